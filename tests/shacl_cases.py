"""What the SHACL tests share (tests/unit/test_shacl.py, and test_shacl_referee.py, which runs
the same cases on both engines): the fixture cases, the real build's names, planted faults."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef

from tipkg.validate.shacl import load_shapes, node_shapes
from tipkg.vocab import TIP

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shacl"
ID = Namespace("https://w3id.org/tipkg/id/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
REPORT_KEY = "wg-tip-2020-draft-report-addendum-1"
RECOMMENDATION = Namespace(f"{ID}recommendation/{REPORT_KEY}/")
ARGENTINA = ID["state/arg"]

ALL_SHAPES = node_shapes(load_shapes())


def case_name(shape: URIRef) -> str:
    """A shape's fixture folder: its local name in kebab case without "Shape"."""
    local = re.sub(r"Shape$", "", str(shape).rsplit("/", 1)[1])
    return re.sub(r"(?<!^)(?=[A-Z])", "-", local).lower()


#: A fault planted in copies of the real build's report graphs and context.
Mutation = Callable[[dict[str, Graph], Graph], None]


def planted(
    built: tuple[dict[str, Graph], Graph], mutate: Mutation
) -> tuple[dict[str, Graph], Graph]:
    """Copies of the real build's graphs, with one fault planted."""
    reports = {key: copy(graph) for key, graph in built[0].items()}
    context = copy(built[1])
    mutate(reports, context)
    return reports, context


def copy(graph: Graph) -> Graph:
    duplicate = Graph()
    duplicate += graph
    return duplicate


def no_text(reports: dict[str, Graph], context: Graph) -> None:
    reports[REPORT_KEY].remove((RECOMMENDATION["1"], TIP.text, None))


def two_sevens(reports: dict[str, Graph], context: Graph) -> None:
    seven = Literal(7, datatype=XSD.positiveInteger)
    reports[REPORT_KEY].set((RECOMMENDATION["8"], TIP.number, seven))


def alpha3(reports: dict[str, Graph], context: Graph) -> None:
    context.set((ARGENTINA, TIP.iso3166Alpha3, Literal("AR1")))


def qid(reports: dict[str, Graph], context: Graph) -> None:
    context.set((ARGENTINA, TIP.wikidataId, Literal("X414")))
