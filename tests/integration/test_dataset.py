"""The SPARQL 1.1 dataset, honoured (issue 13): FROM and FROM NAMED in the query, default-graph-uri
and named-graph-uri in the request (which override the query's own, SPARQL 1.1 Protocol §2.1.4),
and the union of the build's graphs as default graph only when neither is given.

Every case is asked of `tipkg serve`, of Oxigraph's server on the same store, of `tipkg query`'s
function (the cases a query can state by itself) and of rdflib over a dataset built by hand from
the build's files as the specification says; all must give the same rows, row for row.

Oxigraph's server runs without --union-default-graph: with it, the server replaces a query's FROM
by the union as well (the bug this file guards against). The no-dataset case asks it for the
union with its own request parameter, `union-default-graph`.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from tipkg.build import BuildSummary
from tipkg.store import open_read_only, select, term_text
from tipkg.web.launch import Running, start_oxigraph, start_tipkg

GRAPH = "https://w3id.org/tipkg/graph/"
LINKS, BUILD = GRAPH + "links", GRAPH + "build"

BODIES = {
    "default-count": "SELECT (COUNT(*) AS ?n) {dataset} WHERE { ?s ?p ?o }",
    "named-counts": (
        "SELECT ?g (COUNT(*) AS ?n) {dataset} WHERE { GRAPH ?g { ?s ?p ?o } } "
        "GROUP BY ?g ORDER BY ?g"
    ),
    "default-predicates": "SELECT DISTINCT ?p {dataset} WHERE { ?s ?p ?o } ORDER BY ?p",
}


@dataclass(frozen=True)
class Case:
    name: str
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    default_graph_uri: tuple[str, ...] = ()
    named_graph_uri: tuple[str, ...] = ()

    def query(self, body: str) -> str:
        clauses = [f"FROM <{g}>" for g in self.from_graphs]
        clauses += [f"FROM NAMED <{g}>" for g in self.from_named]
        return body.replace("{dataset}", " ".join(clauses))

    @property
    def params(self) -> list[tuple[str, str]]:
        return [("default-graph-uri", g) for g in self.default_graph_uri] + [
            ("named-graph-uri", g) for g in self.named_graph_uri
        ]

    def dataset(self, every: list[str]) -> tuple[list[str], list[str]]:
        """(default graphs, named graphs) by the specification; `every` is the store's graphs."""
        if self.default_graph_uri or self.named_graph_uri:
            return list(self.default_graph_uri), list(self.named_graph_uri)
        if self.from_graphs or self.from_named:
            return list(self.from_graphs), list(self.from_named)
        return every, every


CASES = [
    Case("none"),
    Case("from", from_graphs=(LINKS,)),
    Case("from-two", from_graphs=(LINKS, BUILD)),
    Case("from-named", from_named=(LINKS,)),
    Case("from-and-from-named", from_graphs=(BUILD,), from_named=(LINKS,)),
    Case("default-graph-uri", default_graph_uri=(LINKS,)),
    Case("named-graph-uri", named_graph_uri=(LINKS,)),
    Case("both-uris", default_graph_uri=(LINKS,), named_graph_uri=(BUILD,)),
    Case("uri-overrides-from", from_graphs=(BUILD,), default_graph_uri=(LINKS,)),
    Case("uri-overrides-from-named", from_named=(BUILD,), named_graph_uri=(LINKS,)),
]

Rows = list[list[str]]


@pytest.fixture(scope="module")
def manifest(built: tuple[Path, BuildSummary]) -> dict[str, str]:
    graphs: dict[str, str] = json.loads((built[0] / "build.json").read_text(encoding="utf-8"))[
        "graphs"
    ]
    assert LINKS in graphs and BUILD in graphs
    return graphs


@pytest.fixture(scope="module")
def oxigraph(built: tuple[Path, BuildSummary]) -> Iterator[Running]:
    with start_oxigraph(built[0] / "store", read_only=True, extra=()) as running:
        yield running


@pytest.fixture(scope="module")
def served(built: tuple[Path, BuildSummary]) -> Iterator[Running]:
    with start_tipkg(built[0], "--workers", "1", "--max-slow", "0") as running:
        yield running


@pytest.fixture(scope="module")
def graphs(built: tuple[Path, BuildSummary], manifest: dict[str, str]) -> dict[str, Graph]:
    return {name: Graph().parse(built[0] / rel, format="turtle") for name, rel in manifest.items()}


def ask(url: str, query: str, params: list[tuple[str, str]]) -> Rows:
    request = urllib.request.Request(
        url + "?" + urlencode([("query", query), *params]),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result = ox.parse_query_results(response.read(), format=ox.QueryResultsFormat.JSON)
    assert isinstance(result, ox.QuerySolutions)
    return [[term_text(term) for term in solution] for solution in result]


def by_rdflib(graphs: dict[str, Graph], case: Case, body: str) -> Rows:
    default, named = case.dataset(sorted(graphs))
    dataset = Dataset(default_union=False)
    for name in default:
        for triple in graphs[name]:
            dataset.default_graph.add(triple)
    for name in named:
        target = dataset.graph(URIRef(name))
        for triple in graphs[name]:
            target.add(triple)
    rows: Rows = []
    for row in dataset.query(body.replace("{dataset}", "")):
        assert not isinstance(row, bool)
        rows.append(["" if term is None else str(term) for term in row])  # type: ignore[union-attr]
    return rows


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("body", sorted(BODIES))
def test_dataset_rules_agree_with_oxigraph_server_and_rdflib(
    built: tuple[Path, BuildSummary],
    oxigraph: Running,
    served: Running,
    graphs: dict[str, Graph],
    case: Case,
    body: str,
) -> None:
    query = case.query(BODIES[body])
    ours = ask(served.base_url + "sparql", query, case.params)
    union = [] if case != Case("none") else [("union-default-graph", "")]
    theirs = ask(oxigraph.base_url + "query", query, case.params + union)
    reference = by_rdflib(graphs, case, BODIES[body])
    assert ours == theirs, f"tipkg serve and Oxigraph's server differ on {case.name}"
    assert ours == reference, f"tipkg serve and rdflib differ on {case.name}"
    if not case.params:  # `tipkg query` takes the dataset from the query alone
        local = select(open_read_only(built[0] / "store"), query)
        assert local.rows == ours


def test_from_is_not_the_union_regression_issue_13(
    built: tuple[Path, BuildSummary], graphs: dict[str, Graph]
) -> None:
    """Counting the triples FROM the links graph gave the whole build's count."""
    store = open_read_only(built[0] / "store")
    counted = select(store, f"SELECT (COUNT(*) AS ?n) FROM <{LINKS}> WHERE {{ ?s ?p ?o }}")
    assert int(counted.rows[0][0]) == len(graphs[LINKS])
    everything = select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(everything.rows[0][0]) > len(graphs[LINKS])
