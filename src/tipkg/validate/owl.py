"""OWL consistency: the ontology and the data through HermiT, by way of owlready2.

The graph is written to N-Triples and loaded into a fresh owlready2 ``World`` (never
``default_world``), so that calls share nothing; HermiT runs in a Java subprocess that owlready2
starts. No Java, or a JVM that does not start, raises :class:`ReasonerUnavailable`: a missing
reasoner is a failure of the gate, never a silent pass.

HermiT says only *that* an ontology is inconsistent, not why; :func:`check_consistency` adds the
clashes it can see by itself (an individual whose asserted or domain/range types fall under two
classes declared disjoint) to the explanation.

Datatypes outside the OWL 2 datatype map (``xsd:date``, ``xsd:gYear``...) are passed to HermiT as
opaque by default (``ignore_unsupported_datatypes``): a meeting's ``schema:startDate`` must not
stop the check, at the price that range clashes on such values go unseen.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import owlready2
from owlready2.base import (
    OwlReadyInconsistentOntologyError,
    OwlReadyJavaError,
    OwlReadyOntologyParsingError,
)
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from tipkg.validate.clashes import ClashScan, closure_of, ill_typed

# owlready2's ontology for what the reasoner adds (owlready2's spelling).
_INFERENCES = "http://inferrences/"
_OWL = str(OWL)
_MAX_CLASHES = 10
_JVM_START_FAILURES = (
    "Could not find or load main class",
    "Could not create the Java Virtual Machine",
    "UnsupportedClassVersionError",
    "Error occurred during initialization of VM",
    "NoClassDefFoundError",
)


class ReasonerError(Exception):
    """HermiT could not decide: it failed on the input (or could not run at all)."""


class ReasonerUnavailable(ReasonerError):
    """No reasoner to run: no ``java`` on PATH, or the JVM / HermiT did not start."""


@dataclass
class OwlResult:
    consistent: bool
    unsatisfiable: list[str]
    explanation: str
    seconds: float
    method: str = "HermiT"
    undecided: list[str] = field(default_factory=list)
    """Why the check could not decide (the clash scan refused the data, too large for HermiT):
    not an inconsistency, and not a pass either."""
    data_reasoned: bool = False
    """HermiT reasoned over the data too, not only over the ontology and reference data."""

    @property
    def ok(self) -> bool:
        """Consistent, decided and without unsatisfiable classes: what the build gate requires."""
        return self.consistent and not self.unsatisfiable and not self.undecided


def java_path() -> str:
    """The ``java`` executable HermiT will run with, or ReasonerUnavailable."""
    java = shutil.which("java")
    if java is None:
        raise ReasonerUnavailable(
            "no 'java' on PATH: the OWL check runs HermiT, which needs a Java runtime "
            "(Debian: apt-get install default-jre-headless)"
        )
    return java


def check_consistency(
    graph: Graph,
    *,
    infer_property_values: bool = False,
    ignore_unsupported_datatypes: bool = True,
) -> OwlResult:
    """Run HermiT over ``graph`` (ontology and data together).

    Reports consistency and the unsatisfiable named classes. Raises ReasonerUnavailable when
    Java or HermiT cannot run, ReasonerError when HermiT fails on the input.
    """
    started = time.perf_counter()
    wrong = ill_typed(graph)
    if wrong:
        # No value, so nothing can satisfy the triple: inconsistent before any reasoning (and
        # owlready2 cannot even load the graph).
        more = len(wrong) - _MAX_CLASHES
        return OwlResult(
            consistent=False,
            unsatisfiable=[],
            explanation="ill-typed literals:\n"
            + "\n".join(f"  <{s}> <{p}> {o.n3()}" for s, p, o in wrong[:_MAX_CLASHES])
            + (f"\n  ... and {more} more" if more > 0 else ""),
            seconds=time.perf_counter() - started,
        )
    with _loaded(graph) as world:
        try:
            _reason(world, infer_property_values, ignore_unsupported_datatypes)
        except OwlReadyInconsistentOntologyError as error:
            message = _trim(str(error)) or "HermiT: the ontology is inconsistent"
            return OwlResult(
                consistent=False,
                unsatisfiable=[],
                explanation=f"{message}\n{explain_clash(graph)}",
                seconds=time.perf_counter() - started,
            )
        unsatisfiable = sorted(
            str(entity.iri)
            for entity in world.inconsistent_classes()
            if entity is not None and not str(entity.iri).startswith(_OWL)
        )
    explanation = (
        "unsatisfiable (equivalent to owl:Nothing): " + ", ".join(unsatisfiable)
        if unsatisfiable
        else ""
    )
    return OwlResult(
        consistent=True,
        unsatisfiable=unsatisfiable,
        explanation=explanation,
        seconds=time.perf_counter() - started,
    )


def infer_types(graph: Graph, *, ignore_unsupported_datatypes: bool = True) -> Graph:
    """The rdf:type triples HermiT infers for the named individuals of ``graph`` and that
    ``graph`` does not already state. Raises ReasonerError if the graph is inconsistent."""
    inferred = Graph()
    with _loaded(graph) as world:
        try:
            _reason(world, False, ignore_unsupported_datatypes)
        except OwlReadyInconsistentOntologyError as error:
            raise ReasonerError(
                f"cannot infer types: the graph is inconsistent\n{explain_clash(graph)}"
            ) from error
        inferences = world.get_ontology(_INFERENCES)
        type_storid = world._abbreviate(str(RDF.type))
        for subject, _, obj in inferences._get_obj_triples_spo_spo(None, type_storid, None):
            if subject < 0 or obj < 0:  # blank nodes
                continue
            triple = (
                URIRef(world._unabbreviate(subject)),
                RDF.type,
                URIRef(world._unabbreviate(obj)),
            )
            if str(triple[2]).startswith(_OWL) or triple in graph:
                continue
            if (triple[0], RDF.type, OWL.Class) in graph:  # a class, not an individual
                continue
            inferred.add(triple)
    return _with_superclasses(graph, inferred)


def _with_superclasses(graph: Graph, inferred: Graph) -> Graph:
    """HermiT names only the most specific types; a query for ``?x a tip:Actor`` needs the
    named superclasses too, which the (consistent) ontology entails."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for child, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(child, URIRef) and isinstance(parent, URIRef):
            parents[child].add(parent)
    classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    individuals = {s for s, _, _ in inferred} | {
        s for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and o in classes
    }
    out = Graph()
    for individual in individuals:
        asserted = [*graph.objects(individual, RDF.type), *inferred.objects(individual, RDF.type)]
        for cls in {ancestor for t in asserted for ancestor in closure_of(t, parents)}:
            triple = (individual, RDF.type, cls)
            if isinstance(cls, URIRef) and not str(cls).startswith(_OWL) and triple not in graph:
                out.add(triple)
    return out


def explain_clash(graph: Graph) -> str:
    """Individuals whose types (asserted, or from property domains and ranges, closed under
    rdfs:subClassOf and owl:equivalentClass between named classes) meet two disjoint classes."""
    clashes = find_clashes(graph)
    if not clashes:
        return (
            "no individual falls under two disjoint classes by its asserted, domain or range "
            "types: the contradiction lies in other axioms (restrictions, cardinalities, "
            "datatypes, sameAs/differentFrom)"
        )
    more = len(clashes) - _MAX_CLASHES
    lines = clashes[:_MAX_CLASHES] + ([f"... and {more} more"] if more > 0 else [])
    return "possible clash:\n" + "\n".join(f"  {line}" for line in lines)


def find_clashes(graph: Graph) -> list[str]:
    """The clashes :func:`explain_clash` describes, one sentence each (the scan of
    tipkg.validate.clashes over the graph's own axioms, whatever else they contain)."""
    return ClashScan(graph, strict=False).own_clashes()


# -- owlready2 plumbing -------------------------------------------------------------------------


@contextmanager
def _loaded(graph: Graph) -> Iterator[Any]:
    """A fresh owlready2 World holding ``graph`` (owl:imports dropped: nothing is fetched)."""
    java_path()
    world = owlready2.World()
    try:
        with tempfile.TemporaryDirectory(prefix="tipkg-owl-") as tmp:
            path = Path(tmp) / "graph.nt"
            offline = Graph()
            for triple in graph:
                # ill-typed literals stop owlready2's loader: check_consistency reports them
                if triple[1] != OWL.imports and not (
                    isinstance(triple[2], Literal) and triple[2].ill_typed
                ):
                    offline.add(triple)
            offline.serialize(destination=str(path), format="nt", encoding="utf-8")
            with path.open("rb") as handle:
                try:
                    world.get_ontology("https://w3id.org/tipkg/check/").load(
                        fileobj=handle, format="ntriples"
                    )
                except OwlReadyOntologyParsingError as error:
                    cause = error.__cause__ or error
                    raise ReasonerError(f"owlready2 cannot load the graph: {cause}") from error
        yield world
    finally:
        world.close()


def _reason(world: Any, infer_property_values: bool, ignore_unsupported_datatypes: bool) -> None:
    previous = owlready2.JAVA_EXE
    owlready2.JAVA_EXE = java_path()
    try:
        owlready2.sync_reasoner_hermit(
            world,
            infer_property_values=infer_property_values,
            debug=0,
            ignore_unsupported_datatypes=ignore_unsupported_datatypes,
        )
    except OwlReadyInconsistentOntologyError:
        raise
    except OwlReadyJavaError as error:
        message = _trim(str(error))
        if any(marker in message for marker in _JVM_START_FAILURES):
            raise ReasonerUnavailable(f"HermiT did not start: {message}") from error
        raise ReasonerError(f"HermiT failed: {message}") from error
    except (OSError, subprocess.SubprocessError) as error:
        raise ReasonerUnavailable(f"HermiT did not start: {error}") from error
    finally:
        owlready2.JAVA_EXE = previous


def _trim(message: str, limit: int = 2000) -> str:
    lines = [line.rstrip() for line in message.strip().splitlines() if line.strip()]
    text = "\n".join(lines[:20])
    return text if len(text) <= limit else text[: limit - 1] + "…"
