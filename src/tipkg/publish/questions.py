"""The competency questions (queries/competency/*.rq) as pages: each one's SPARQL, its answer as of
the build, and a link to run it on the endpoint; and the query page's results table, whose IRIs
link to their pages. Shared by the static site and `tipkg serve`'s query page (tipkg.web.page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from tipkg.publish import templating
from tipkg.publish.html import Ctx, frame
from tipkg.publish.urls import Links


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


def title_of(text: str, fallback: str) -> str:
    """The first sentence of the query's leading comment (its first line, or more when the
    sentence runs on to the next line)."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped.lstrip("#").strip())
    comment = " ".join(line for line in lines if line)
    if not comment:
        return fallback
    end = comment.find(". ")
    return comment[: end + 1] if end >= 0 else comment


def load_examples(directory: Path) -> list[Example]:
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        examples.append(Example(path.stem, title_of(text, path.stem), text))
    return examples


@dataclass(frozen=True)
class Cell:
    """One value of a result row, as the results table shows it."""

    text: str
    kind: str = "literal"  # uri, bnode, literal, triple
    href: str = ""  # an IRI's page (ours) or the IRI itself (web)
    lang: str = ""
    datatype: str = ""


@dataclass(frozen=True)
class Table:
    names: list[str]
    rows: list[list[Cell | None]]


def cell(term: Mapping[str, object], links: Links) -> Cell:
    """A SPARQL JSON results term (``{"type": "uri", "value": …}``) as a cell."""
    kind = str(term.get("type", "literal"))
    value = term.get("value", "")
    if kind == "triple" and isinstance(value, Mapping):
        parts = [
            cell(v, links).text
            for k in ("subject", "predicate", "object")
            if isinstance(v := value.get(k), Mapping)
        ]
        return Cell("<< " + " ".join(parts) + " >>", "triple")
    text = str(value)
    if kind == "uri":
        return Cell(text, "uri", links.iri(text) or "")
    if kind == "bnode":
        return Cell(f"_:{text}", "bnode")
    return Cell(
        text, "literal", lang=str(term.get("xml:lang", "")), datatype=str(term.get("datatype", ""))
    )


def table(document: Mapping[str, object], links: Links) -> Table:
    """A SPARQL JSON results document (a SELECT's) as a table."""
    head = document["head"]
    results = document["results"]
    assert isinstance(head, Mapping) and isinstance(results, Mapping)
    names = [str(n) for n in head["vars"]]
    rows = [
        [cell(binding[name], links) if name in binding else None for name in names]
        for binding in results["bindings"]
    ]
    return Table(names, rows)


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            found["datatype"] = term.datatype.value
        return found
    return {"type": "literal", "value": str(term)}


def answer(store: ox.Store, query: str) -> dict[str, object]:
    """A SELECT's answer over ``store`` as a SPARQL JSON results document."""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    bindings = []
    for solution in solutions:
        bindings.append(
            {name: _json_term(solution[name]) for name in names if solution[name] is not None}
        )
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def store_of(triples: Iterable[ox.Triple]) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def run_link(root: str, name: str) -> str:
    """Where a competency question runs live: the query page of `tipkg serve`."""
    return f"{root}query.html?{urlencode({'example': name})}"


def query_page(ctx: Ctx, examples: list[Example]) -> bytes:
    """The static site's query page: the competency questions, each linking to its page (a
    static copy has no endpoint; `tipkg serve` answers the same path with its live form)."""
    lang = ctx.lang
    return templating.render(
        "query.html",
        lang=lang,
        live=False,
        examples=[
            {"name": ex.name, "title": ex.title, "href": ctx.url(f"questions/{ex.name}.html")}
            for ex in examples
        ],
        **frame(ctx, title=templating.translate("query.title", lang)),
    )


def question_page(ctx: Ctx, example: Example, store: ox.Store) -> bytes:
    """A competency question: its SPARQL, its answer over the build, a link to run it live."""
    return templating.render(
        "question.html",
        lang=ctx.lang,
        name=example.name,
        question=example.title,
        sparql=example.text,
        run=run_link(ctx.links.pages, example.name),
        file=ctx.url(f"questions/{example.name}.rq"),
        table=table(answer(store, example.text), ctx.links),
        **frame(ctx, title=example.title),
    )
