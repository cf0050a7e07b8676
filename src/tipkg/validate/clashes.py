"""OWL consistency of data by a linear scan, exact for the constructs tipkg's ontology uses.

HermiT decides consistency for any OWL 2 ontology, but its time grows much faster than the data
(8 s at 10k triples, a minute at 20k, over 15 minutes at 100k on this machine). tipkg's ontology
uses few constructs: named classes under ``rdfs:subClassOf`` and ``owl:equivalentClass``,
property hierarchies, domains and ranges (named classes, unions of them, datatypes) and
disjointness (``owl:disjointWith``, ``owl:AllDisjointClasses``). Over such axioms, data is
inconsistent exactly when an individual (or a set of ``owl:sameAs`` individuals) falls under
two disjoint classes, under ``owl:Nothing``, under a union all of whose members are disjoint
with its other types, or when a literal falls outside the range of its datatype property. That
is what :class:`ClashScan` looks for, node by node: time linear in the data, and per report,
so reports are scanned in parallel and a report that did not change is not scanned again.

The scan refuses axioms it does not model (cardinalities, restrictions, functional or inverse
properties, complements...): :class:`UnsupportedAxioms` names them, and the ontology must then
be checked by HermiT alone (or the scan taught the new construct). The build still runs HermiT
over the ontology and the reference data, for unsatisfiable classes and for the axioms' own
consistency, and over the data too when it is small (``tipkg.validate.gate.OWL_DATA_LIMIT``).

Datatypes outside the OWL 2 datatype map (``xsd:date``...) are opaque, as HermiT is run
(``ignore_unsupported_datatypes``): a range of such a type is not checked by either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from tipkg import iris

_OWL = str(OWL)
# Terms read on every triple, named once: rdflib makes a namespace's term anew on each access
# and compares terms in Python: a report's scan took 17 ms, against 8 (issue 18).
_TYPE, _SAME_AS, _NOTHING = RDF.type, OWL.sameAs, OWL.Nothing
_ROLES: dict[Node, Node] = {_TYPE: _TYPE, _SAME_AS: _SAME_AS}
_LITERAL, _LANG_STRING, _STRING = RDFS.Literal, RDF.langString, XSD.string
_INTEGER, _POSITIVE_INTEGER = XSD.integer, XSD.positiveInteger
_SKIPPED_NAMESPACES = (_OWL, str(RDFS), str(RDF))

_AXIOM_PREDICATES = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.disjointWith,
        OWL.members,
        OWL.unionOf,
    }
)
"""Schema predicates the scan models; data graphs must not carry them."""

_MODELLED_OWL = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.Ontology,
        OWL.AllDisjointClasses,
        OWL.NamedIndividual,
        OWL.Thing,
        OWL.Nothing,
        OWL.disjointWith,
        OWL.members,
        OWL.unionOf,
        OWL.equivalentClass,
        OWL.sameAs,
        OWL.imports,
        OWL.versionIRI,
        OWL.versionInfo,
        OWL.priorVersion,
        OWL.deprecated,
    }
)
"""The OWL vocabulary the scan understands (or that cannot make data inconsistent)."""

_INTEGERS = frozenset(
    {
        XSD.integer,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        XSD.long,
        XSD.int,
        XSD.short,
        XSD.byte,
        XSD.unsignedLong,
        XSD.unsignedInt,
        XSD.unsignedShort,
        XSD.unsignedByte,
    }
)
_OPAQUE = frozenset(
    {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.gMonth, XSD.gDay, XSD.gMonthDay, XSD.time}
)
_CHECKED_RANGES = frozenset(
    {
        XSD.string,
        RDF.langString,
        XSD.integer,
        XSD.nonNegativeInteger,
        XSD.positiveInteger,
        RDFS.Literal,
    }
)

T = TypeVar("T", bound=Node)
Union = frozenset[URIRef]
ClassExpr = URIRef | Union


class UnsupportedAxioms(ValueError):
    """The axioms use a construct the scan does not model: its answer would not be exact."""


@dataclass
class NodeTypes:
    """What a graph says a node is: its classes (asserted, or from domains and ranges, not yet
    closed under subclasses), the unions it falls under, and why, for the messages."""

    named: dict[URIRef, str] = field(default_factory=dict)
    unions: dict[Union, str] = field(default_factory=dict)

    def add(self, cls: ClassExpr, why: str) -> None:
        if isinstance(cls, URIRef):
            self.named.setdefault(cls, why)
        else:
            self.unions.setdefault(cls, why)

    def update(self, other: NodeTypes, where: str = "") -> None:
        for cls, why in other.named.items():
            self.named.setdefault(cls, f"{why}{where}")
        for union, why in other.unions.items():
            self.unions.setdefault(union, f"{why}{where}")

    def to_json(self) -> list[list[str]]:
        """[[class, why]...] then [[member|member, why]...]: for the build's manifest."""
        return [[str(c), why] for c, why in sorted(self.named.items())] + [
            ["|".join(sorted(map(str, u))), why]
            for u, why in sorted(self.unions.items(), key=lambda item: sorted(item[0]))
        ]

    @classmethod
    def from_json(cls, rows: Iterable[list[str]]) -> NodeTypes:
        types = cls()
        for expr, why in rows:
            members = [URIRef(member) for member in expr.split("|")]
            types.add(members[0] if len(members) == 1 else frozenset(members), why)
        return types


@dataclass
class ReportScan:
    clashes: list[str]
    shared: dict[str, NodeTypes]
    """The types this report gives to nodes it does not mint (States, meetings, participants,
    other reports' resources): a clash there may need another report's statements too."""
    refused: list[str] = field(default_factory=list)
    """What the scan cannot decide (schema axioms or constructs it does not model): not a
    clash, a refusal; HermiT decides instead, or the check says it could not."""


class ClashScan:
    """The axioms of ``schema`` (the ontology, with the reference data and anything else every
    report is read with), ready to scan data graphs. Raises UnsupportedAxioms, unless not
    ``strict`` (to explain what HermiT found, where a partial scan still helps)."""

    def __init__(self, schema: Graph, *, strict: bool = True) -> None:
        self.schema = schema
        unsupported = unsupported_constructs(schema, data=False)
        self.parents: dict[URIRef, set[URIRef]] = defaultdict(set)
        for sub, sup in schema.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                self.parents[sub].add(sup)
            else:
                unsupported.add(f"rdfs:subClassOf to or from a class expression ({sub} {sup})")
        for first, second in schema.subject_objects(OWL.equivalentClass):
            if isinstance(first, URIRef) and isinstance(second, URIRef):
                self.parents[first].add(second)
                self.parents[second].add(first)
            else:
                unsupported.add(f"owl:equivalentClass to a class expression ({first})")
        self.disjoint: dict[URIRef, set[URIRef]] = defaultdict(set)
        for group in _disjoint_groups(schema):
            for first in group:
                self.disjoint[first].update(other for other in group if other != first)
        super_properties: dict[Node, set[Node]] = defaultdict(set)
        for sub, sup in schema.subject_objects(RDFS.subPropertyOf):
            super_properties[sub].add(sup)
        datatype_properties = set(schema.subjects(RDF.type, OWL.DatatypeProperty))
        self.domains: dict[Node, list[ClassExpr]] = {}
        self.ranges: dict[Node, list[ClassExpr]] = {}
        self.datatypes: dict[Node, list[URIRef]] = {}
        properties = set(schema.subjects(RDFS.domain, None)) | set(schema.subjects(RDFS.range))
        properties |= set(super_properties)
        for prop in properties:
            lineage = closure_of(prop, super_properties)
            domains = [d for p in lineage for d in schema.objects(p, RDFS.domain)]
            ranges = [r for p in lineage for r in schema.objects(p, RDFS.range)]
            self.domains[prop] = [self._expr(d, unsupported) for d in domains]
            if prop in datatype_properties:
                self.datatypes[prop] = [self._datatype(r, unsupported) for r in ranges]
            else:
                self.ranges[prop] = [self._expr(r, unsupported) for r in ranges]
        if unsupported and strict:
            raise UnsupportedAxioms(
                "the OWL clash scan does not model: " + "; ".join(sorted(unsupported))
            )
        self._closures: dict[URIRef, frozenset[URIRef]] = {}
        self._names: dict[URIRef, str] = {}
        self.context_types = self.types_of(schema)

    def own_clashes(self) -> list[str]:
        """The clashes of the schema graph itself (its individuals: reference data...)."""
        found = [c for node, types in self.context_types.items() for c in self.clashes(node, types)]
        return sorted(found) + self.literal_clashes(self.schema)

    def _expr(self, node: Node, unsupported: set[str]) -> ClassExpr:
        if isinstance(node, URIRef):
            return node
        members = list(self.schema.objects(node, OWL.unionOf))
        if len(members) == 1:
            named = list(Collection(self.schema, members[0]))
            if all(isinstance(m, URIRef) for m in named):
                return frozenset(m for m in named if isinstance(m, URIRef))
        unsupported.add(f"a domain or range that is not a named class or a union of them ({node})")
        return OWL.Thing

    def _datatype(self, node: Node, unsupported: set[str]) -> URIRef:
        if isinstance(node, URIRef) and (node in _CHECKED_RANGES or node in _OPAQUE):
            return node
        unsupported.add(f"a datatype range the scan does not check ({node})")
        return RDFS.Literal

    def closure(self, cls: URIRef) -> frozenset[URIRef]:
        known = self._closures.get(cls)
        if known is None:
            known = self._closures[cls] = frozenset(closure_of(cls, self.parents))
        return known

    def types_of(self, graph: Graph) -> dict[Node, NodeTypes]:
        """What ``graph`` says each of its nodes is (owl:sameAs nodes merged)."""
        types: dict[Node, NodeTypes] = defaultdict(NodeTypes)
        same: list[tuple[Node, Node]] = []
        for s, p, o in graph:
            role = _ROLES.get(p)
            if role is _TYPE:
                if o == _NOTHING:
                    types[s].add(_NOTHING, "typed owl:Nothing")
                elif isinstance(o, URIRef) and not str(o).startswith(_SKIPPED_NAMESPACES):
                    types[s].add(o, f"typed {self.name(o)}")
                continue
            if role is _SAME_AS:
                same.append((s, o))
                continue
            for domain in self.domains.get(p, ()):
                types[s].add(domain, f"subject of {self.name(p)}")
            if not isinstance(o, Literal):
                for range_ in self.ranges.get(p, ()):
                    types[o].add(range_, f"object of {self.name(p)}")
        return _merge_same(types, same)

    def literal_clashes(self, graph: Graph) -> list[str]:
        """Ill-typed literals (a lexical form outside its datatype's lexical space has no value:
        the graph is inconsistent), and literals outside the range of their property."""
        found = [
            f"{self.name(s)} {self.name(p)} {o.n3()}: an ill-typed literal, not a valid "
            f"{self.name(o.datatype)}"
            for s, p, o in ill_typed(graph)
            if o.datatype is not None
        ]
        for prop, ranges in self.datatypes.items():
            for s, o in graph.subject_objects(prop):
                if isinstance(o, Literal) and o.ill_typed:
                    continue  # said above
                for range_ in ranges:
                    if not _in_range(o, range_):
                        found.append(
                            f"{self.name(s)} {self.name(prop)} {o.n3()}: not in its range "
                            f"{self.name(range_)}"
                        )
        return found

    def clashes(self, node: Node, types: NodeTypes) -> list[str]:
        closed: dict[URIRef, str] = {}
        for cls, why in types.named.items():
            for ancestor in self.closure(cls):
                closed.setdefault(ancestor, why)
        disjoint = sorted(
            (first, second)
            for first in closed
            for second in self.disjoint.get(first, ())
            if first < second and second in closed
        )
        found: list[str] = []
        if _NOTHING not in closed and not disjoint and not types.unions:
            return found  # nothing to say: the node's name is not worked out
        who = self.name(node)
        if _NOTHING in closed:
            found.append(f"{who} is an owl:Nothing ({closed[_NOTHING]})")
        for first, second in disjoint:
            found.append(
                f"{who} is a {self.name(first)} ({closed[first]}) and a "
                f"{self.name(second)} ({closed[second]}), which are disjoint"
            )
        for union, why in types.unions.items():
            if all(self._excluded(member, closed) for member in union):
                members = " or ".join(sorted(self.name(m) for m in union))
                others = ", ".join(f"{self.name(c)} ({w})" for c, w in sorted(types.named.items()))
                found.append(f"{who} is a {members} ({why}), each disjoint with {others}")
        return found

    def _excluded(self, cls: URIRef, closed: dict[URIRef, str]) -> bool:
        return any(other in closed for c in self.closure(cls) for other in self.disjoint.get(c, ()))

    def scan(self, graph: Graph, key: str | None = None) -> ReportScan:
        """The clashes of ``graph`` read with the schema; with a report ``key``, the types given
        to the nodes the report does not mint are returned for the check across reports."""
        refused = [
            f"data uses {construct}, which only HermiT decides"
            for construct in sorted(unsupported_constructs(graph, data=True))
        ]
        found: list[str] = []
        shared: dict[str, NodeTypes] = {}
        for node, types in self.types_of(graph).items():
            if isinstance(node, URIRef) and key is not None and iris.report_key_of(node) != key:
                shared[str(node)] = types
            known = self.context_types.get(node)
            if known is not None:
                merged = NodeTypes()
                merged.update(types)
                merged.update(known)
                types = merged
            found.extend(self.clashes(node, types))
        found.extend(self.literal_clashes(graph))
        return ReportScan(found, shared, refused)

    def across(self, shared: dict[str, dict[str, NodeTypes]]) -> list[str]:
        """Clashes on the nodes several reports describe ({report key: shared types})."""
        by_node: dict[str, list[tuple[str, NodeTypes]]] = defaultdict(list)
        for key, nodes in sorted(shared.items()):
            for node, types in nodes.items():
                by_node[node].append((key, types))
        found: list[str] = []
        for node, described in sorted(by_node.items()):
            if len(described) < 2:
                continue
            merged = NodeTypes()
            for key, types in described:
                merged.update(types, f" in {key}")
            known = self.context_types.get(URIRef(node))
            if known is not None:
                merged.update(known)
            found.extend(self.clashes(URIRef(node), merged))
        return found

    def name(self, node: Node) -> str:
        if not isinstance(node, URIRef):
            return str(node)
        # Asked for every triple's predicate and class: rdflib's shortening is slow, the names
        # few.
        known = self._names.get(node)
        if known is None:
            try:
                known = self.schema.namespace_manager.normalizeUri(node)
            except Exception:  # noqa: BLE001 - any IRI rdflib cannot shorten is printed whole
                known = f"<{node}>"
            self._names[node] = known
        return known


def unsupported_constructs(graph: Graph, *, data: bool) -> set[str]:
    """OWL vocabulary the scan does not model; in data, any schema axiom at all."""
    found: set[str] = set()
    for _, p, o in graph:
        if data and p in _AXIOM_PREDICATES:
            found.add(f"the schema axiom {p}")
        elif str(p).startswith(_OWL) and p not in _MODELLED_OWL:
            found.add(str(p))
        elif (
            _ROLES.get(p) is _TYPE
            and isinstance(o, URIRef)
            and str(o).startswith(_OWL)
            and o not in _MODELLED_OWL
        ):
            found.add(str(o))
    return found


def ill_typed(graph: Graph) -> list[tuple[Node, Node, Literal]]:
    """The triples whose object is an ill-typed literal ("abc"^^xsd:integer), in a stable
    order. Datatypes outside the OWL 2 datatype map (xsd:date...) are opaque to HermiT and the
    scan alike, so their literals are not counted here (SHACL's sh:datatype checks them)."""
    return sorted(
        (s, p, o)
        for s, p, o in graph
        if isinstance(o, Literal) and o.ill_typed and o.datatype not in _OPAQUE
    )


def closure_of(node: T, parents: Mapping[T, set[T]]) -> set[T]:
    """``node`` and everything ``parents`` reaches from it."""
    seen = {node}
    todo = [node]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _disjoint_groups(graph: Graph) -> list[list[URIRef]]:
    groups: list[list[Node]] = [[a, b] for a, b in graph.subject_objects(OWL.disjointWith)]
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        for members in graph.objects(axiom, OWL.members):
            groups.append(list(Collection(graph, members)))
    return [[m for m in group if isinstance(m, URIRef)] for group in groups]


def _merge_same(
    types: dict[Node, NodeTypes], same: list[tuple[Node, Node]]
) -> dict[Node, NodeTypes]:
    """Individuals said to be owl:sameAs share their types (each keeps the union)."""
    if not same:
        return dict(types)
    leader: dict[Node, Node] = {}

    def find(node: Node) -> Node:
        while leader.get(node, node) != node:
            node = leader[node]
        return node

    for a, b in same:
        ra, rb = find(a), find(b)
        if ra != rb:
            leader[rb] = ra
    groups: dict[Node, list[Node]] = defaultdict(list)
    for node in set(types) | {n for pair in same for n in pair}:
        groups[find(node)].append(node)
    merged: dict[Node, NodeTypes] = {}
    for members in groups.values():
        together = NodeTypes()
        for member in members:
            if member in types:
                together.update(types[member])
        for member in members:
            merged[member] = together
    return merged


def _in_range(value: Node, range_: URIRef) -> bool:
    if range_ == _LITERAL or range_ in _OPAQUE:
        return True
    if not isinstance(value, Literal):
        return False
    if range_ == _LANG_STRING:
        return value.language is not None
    if range_ == _STRING:
        return value.language is None and value.datatype in (None, _STRING)
    if value.datatype not in _INTEGERS or value.ill_typed or not isinstance(value.value, int):
        return False
    if range_ == _POSITIVE_INTEGER:
        return value.value > 0
    return range_ == _INTEGER or value.value >= 0
