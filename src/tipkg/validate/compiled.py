"""The shapes of shapes/*.ttl compiled to SPARQL SELECTs that pyoxigraph runs: the gate's engine.

Why
---
pyshacl was the largest cost of a report's path (0.47 s of about 1 s, issue 18): it walks every
focus node in Python over rdflib. Here each constraint becomes one SELECT that finds all of its
violations at once, run by pyoxigraph over the same graph pyshacl would check (the report plus
the context stubs, see tipkg.validate.shacl). pyshacl stays the reference: the test suite
(tests/unit/test_shacl_referee.py) runs both engines on every fixture and planted fault and fails
on any difference in (focus node, path, source shape, constraint component, severity, value).

What is compiled
----------------
Exactly the components the shapes use, with pyshacl's reporting conventions (which value a result
carries, one result per failing value):

- targets: sh:targetClass (instances through rdfs:subClassOf*, as pyshacl sees the axioms that
  shacl.py copies into the data), sh:targetSubjectsOf, sh:targetObjectsOf, sh:targetNode;
- paths: an IRI, sh:inversePath, a sequence, sh:alternativePath, sh:zeroOrMorePath,
  sh:oneOrMorePath, sh:zeroOrOnePath (SPARQL property paths);
- value constraints: sh:class, sh:datatype, sh:nodeKind, sh:pattern (with sh:flags), sh:minLength,
  sh:maxLength, sh:in, sh:hasValue, sh:languageIn, sh:node, sh:or, sh:and, sh:not, sh:xone;
- counts: sh:minCount, sh:maxCount, sh:qualifiedValueShape with sh:qualifiedMinCount and
  sh:qualifiedMaxCount (up to MAX_COUNT), sh:uniqueLang;
- pairs: sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals;
- SHACL-SPARQL: sh:sparql with sh:select, run once with $this free and joined with the shape's
  focus nodes (the rows pre-binding $this gives, as long as the query has no construct under
  which binding first and filtering after differ: those are refused, see _ORDER_SENSITIVE).

A shape using anything else (sh:closed, sh:minInclusive, sh:qualifiedValueShapesDisjoint, a
SPARQL constraint without $this in its rows...) is refused when the shapes are compiled, with
UnsupportedShape naming the shape and the term: a constraint must never be skipped in silence.
There is no fallback to pyshacl in the gate; a new component is added here, with its case in the
referee tests, before a shape may use it.

Nested shapes (sh:node, sh:or, sh:not, sh:xone, qualified value shapes) compile to a boolean
SPARQL expression "this node does not conform", built of EXISTS patterns, so that one query still
answers for every focus node.

Well-formed literals: sh:datatype also fails a literal whose lexical form is not valid for its
datatype ("0"^^xsd:positiveInteger). Which ones are ill-typed is decided by rdflib (the parser the
data came through, and the one pyshacl reads them with), not re-implemented in SPARQL: those
literals are listed in a named graph of the store (ILL_TYPED) that the datatype checks consult.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, KeysView
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Identifier, Node

from tipkg.store import nt_escape, nt_term, rdflib_term
from tipkg.validate.clashes import closure_of

SH = Namespace("http://www.w3.org/ns/shacl#")

ILL_TYPED = "urn:tipkg:shacl:ill-typed"
"""The named graph (and its one subject and predicate) listing the data's ill-typed literals."""

MAX_COUNT = 4
"""The largest count (sh:minCount, sh:maxCount + 1, qualified counts) compiled: a count of n is
n pairwise distinct values in one pattern, which grows as n²; the shapes use 1 and 2."""

# The terms a shape may carry that are not constraints: they are read (messages, severity,
# paths...) or are documentation.
_DESCRIPTIVE = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.order,
    SH.group,
    SH.path,
    SH.flags,
    SH.defaultValue,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
}
# Constraints that read one value node at a time (a focus node's values, or the node itself).
_VALUE = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.minLength,
    SH.maxLength,
    SH["in"],
    SH.languageIn,
    SH.node,
    SH["or"],
    SH["and"],
    SH["not"],
    SH.xone,
}
# Constraints of a property shape on the set of its values.
_SET = {
    SH.minCount,
    SH.maxCount,
    SH.qualifiedValueShape,
    SH.uniqueLang,
    SH.hasValue,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
}
# Read with another constraint, not a constraint of their own.
_COMPANIONS = {SH.qualifiedMinCount, SH.qualifiedMaxCount}
_STRUCTURE = {SH.property, SH.sparql, SH.deactivated}
_COMPONENT_NAMES = {
    "class": "Class",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "pattern": "Pattern",
    "minLength": "MinLength",
    "maxLength": "MaxLength",
    "in": "In",
    "languageIn": "LanguageIn",
    "node": "Node",
    "or": "Or",
    "and": "And",
    "not": "Not",
    "xone": "Xone",
    "minCount": "MinCount",
    "maxCount": "MaxCount",
    "uniqueLang": "UniqueLang",
    "hasValue": "HasValue",
    "equals": "Equals",
    "disjoint": "Disjoint",
    "lessThan": "LessThan",
    "lessThanOrEquals": "LessThanOrEquals",
}
# Each sh:nodeKind: the test of a value that violates it, and the kinds of value it allows
# (Needs).
_NODE_KINDS: dict[Node, tuple[str, frozenset[str]]] = {
    SH.IRI: ("!isIRI({v})", frozenset({"IRI"})),
    SH.Literal: ("!isLiteral({v})", frozenset({"Literal"})),
    SH.BlankNode: ("!isBlank({v})", frozenset({"BlankNode"})),
    SH.BlankNodeOrIRI: ("isLiteral({v})", frozenset({"BlankNode", "IRI"})),
    SH.BlankNodeOrLiteral: ("isIRI({v})", frozenset({"BlankNode", "Literal"})),
    SH.IRIOrLiteral: ("isBlank({v})", frozenset({"IRI", "Literal"})),
}
# rdflib never finds these ill-typed: no need to consult ILL_TYPED.
_ALWAYS_WELL_TYPED = {XSD.string, RDF.langString}

_ORDER_SENSITIVE = re.compile(
    r"\b(?:GROUP\s+BY|HAVING|LIMIT|OFFSET|MINUS|VALUES|SERVICE)\b|\{\s*SELECT\b", re.IGNORECASE
)
"""What makes evaluating with $this free, then keeping its rows, differ from pre-binding it."""


class UnsupportedShape(ValueError):
    """A shape uses a term this compiler does not translate: refused, never skipped."""


@dataclass(frozen=True)
class Target:
    """A shape's focus nodes: the pattern binding ?this, and what the data must hold for it to
    bind anything. A check whose target cannot bind has no violation, so its query is not run
    (a sixth of the checks on a report, whose shapes target classes and predicates it lacks)."""

    pattern: str
    classes: frozenset[URIRef] = frozenset()
    """sh:targetClass: binds when the data types a node with one of them (or a subclass)."""
    predicates: frozenset[URIRef] = frozenset()
    """sh:targetSubjectsOf and sh:targetObjectsOf: binds when the data uses one of them."""
    always: bool = False
    """sh:targetNode: the node is a focus node whether or not the data mentions it."""

    def may_bind(self, present: Present) -> bool:
        return (
            self.always
            or not self.predicates.isdisjoint(present.predicates)
            or not self.classes.isdisjoint(present.classes)
        )


Signature = tuple[str, Node | None, bool]
"""What a value is, as the checks on one value read it: its kind ("IRI", "BlankNode",
"Literal"), a literal's datatype (xsd:string for a plain literal, rdf:langString with a language)
and whether rdflib finds it ill-typed."""

_IRI_VALUE: Signature = ("IRI", None, False)
_BLANK_VALUE: Signature = ("BlankNode", None, False)


@dataclass(frozen=True)
class Needs:
    """What the data must hold for a check on the values of one predicate (a property shape's
    sh:path, when it is an IRI) to find a violation, beside its target binding. Read from the
    data in one pass (Present), so that a check that cannot fail is not run: on a typical report
    256 of the 344 checks whose targets bind, sh:minCount 1 on nodes that all have a value,
    sh:maxCount 1 and sh:datatype on values that are single and well typed above all."""

    predicate: Node
    repeated: bool = False
    """Some node has two values of it (sh:maxCount n, n ≥ 1)."""
    same_language: bool = False
    """Some node has two values of it in one language (sh:uniqueLang)."""
    only: frozenset[Signature] | None = None
    """A value whose signature is not one of these (sh:datatype)."""
    kinds: frozenset[str] | None = None
    """A value whose kind is not one of these (sh:nodeKind)."""
    outside: Node | None = None
    """A value that is no instance of this class (sh:class)."""
    lacking: frozenset[URIRef] | None = None
    """An instance of one of these classes, other than a stub, without a value (sh:minCount 1
    on a shape whose focus nodes are these classes' instances). Else, a check on the values
    needs the predicate used at all."""

    def may_fail(self, present: Present) -> bool:
        if self.lacking is not None:
            having = present.subjects.get(self.predicate, set())
            return any(not present.focus(cls) <= having for cls in self.lacking)
        values = present.values.get(self.predicate)
        if values is None:
            return False
        if self.repeated and self.predicate not in present.repeated:
            return False
        if self.same_language and self.predicate not in present.same_language:
            return False
        if self.only is not None and values <= self.only:
            return False
        kinds = {kind for kind, _, _ in values}
        if self.kinds is not None and kinds <= self.kinds:
            return False
        if self.outside is not None and "Literal" not in kinds:
            objects = present.objects.get(self.predicate, set())
            return not objects <= present.instances.get(self.outside, set())
        return True


@dataclass
class Present:
    """What the checked triples hold, as the checks' targets and Needs read it: the predicates
    used and the classes with instances (rdf:type/rdfs:subClassOf*, read over the same triples
    as the queries read), each class's instances, each predicate's subjects, objects other than
    literals and the signatures of its values, the predicates some node has two values of, or
    two in one language; and the stubs (tipkg.validate.shacl), whose class-targeted results are
    left out."""

    classes: set[Node] = field(default_factory=set)
    instances: dict[Node, set[Node]] = field(default_factory=dict)
    values: dict[Node, set[Signature]] = field(default_factory=dict)
    subjects: dict[Node, set[Node]] = field(default_factory=dict)
    objects: dict[Node, set[Node]] = field(default_factory=dict)
    repeated: set[Node] = field(default_factory=set)
    same_language: set[Node] = field(default_factory=set)
    stubs: frozenset[str] = frozenset()
    _focus: dict[Node, set[Node]] = field(default_factory=dict)

    @property
    def predicates(self) -> KeysView[Node]:
        return self.values.keys()

    def focus(self, cls: Node) -> set[Node]:
        """The instances of `cls` a class-targeted check reports on: all but the stubs."""
        found = self._focus.get(cls)
        if found is None:
            instances = self.instances.get(cls, ())
            found = self._focus[cls] = {node for node in instances if str(node) not in self.stubs}
        return found

    @classmethod
    def of(
        cls, triples: Iterable[tuple[Node, Node, Node]], stubs: frozenset[str] = frozenset()
    ) -> Present:
        present = cls(stubs=stubs)
        parents: dict[Node, set[Node]] = {}
        typed: list[tuple[Node, Node]] = []
        tagged: set[tuple[Node, Node, str]] = set()
        for s, p, o in triples:
            subjects = present.subjects.get(p)
            if subjects is None:
                present.subjects[p] = {s}
            elif s in subjects:
                present.repeated.add(p)
            else:
                subjects.add(s)
            if isinstance(o, Literal):
                if o.language:
                    signature = _LANG_VALUE
                    tag = (s, p, o.language.lower())
                    if tag in tagged:
                        present.same_language.add(p)
                    tagged.add(tag)
                else:
                    datatype = o.datatype
                    if datatype is None or datatype in _STRING:
                        signature = _STRING_VALUE
                    else:
                        signature = ("Literal", datatype, bool(o.ill_typed))
            else:
                signature = _IRI_VALUE if isinstance(o, URIRef) else _BLANK_VALUE
                objects = present.objects.get(p)
                if objects is None:
                    present.objects[p] = {o}
                else:
                    objects.add(o)
            found = present.values.get(p)
            if found is None:
                present.values[p] = {signature}
            else:
                found.add(signature)
            # Looked up rather than compared: rdflib's == is a Python call on every triple.
            schema = _SCHEMA.get(p)
            if schema is _TYPE:
                typed.append((s, o))
            elif schema is _SUBCLASS:
                parents.setdefault(s, set()).add(o)
        ancestors: dict[Node, set[Node]] = {}
        for node, type_ in typed:
            above = ancestors.get(type_)
            if above is None:
                above = ancestors[type_] = closure_of(type_, parents)
            for cls_ in above:
                present.instances.setdefault(cls_, set()).add(node)
        present.classes.update(present.instances)
        return present


_TYPE, _SUBCLASS = RDF.type, RDFS.subClassOf
_SCHEMA: dict[Node, Node] = {_TYPE: _TYPE, _SUBCLASS: _SUBCLASS}
_STRING = {XSD.string}
_STRING_VALUE: Signature = ("Literal", XSD.string, False)
_LANG_VALUE: Signature = ("Literal", RDF.langString, False)


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as a query whose rows are its violations."""

    shape: Node
    """The source shape: the node shape, or the property shape the constraint is on."""
    owner: Node
    """The named shape it belongs to (for a property shape, its node shape)."""
    component: URIRef
    """The sh:…ConstraintComponent."""
    path: Node | None
    """The property shape's sh:path (as in the shapes graph), None for a node shape."""
    severity: URIRef
    messages: tuple[Literal, ...]
    query: str
    """SELECT ?this [?value] …: one row per violation."""
    value: str
    """Where a result's value comes from: "value" (the ?value column), "focus" (the focus node
    itself, for a constraint on a node shape) or "" (none: a count, sh:hasValue...)."""
    target: Target
    constraint: Node | None = None
    """The sh:sparql node of a SHACL-SPARQL constraint."""
    needs: Needs | None = None
    """What the data must hold for the check to fail, if that can be told before it runs."""


@dataclass(frozen=True)
class Violation:
    check: Check
    focus: Identifier
    value: Identifier | None
    path: Node | None
    messages: tuple[Literal, ...]


@dataclass
class CompiledShapes:
    checks: list[Check] = field(default_factory=list)

    def run(
        self,
        triples: Iterable[tuple[Node, Node, Node]],
        stubs: Iterable[URIRef] = (),
        written: str | None = None,
    ) -> list[Violation]:
        """Every violation of every check over ``triples`` (the graph pyshacl would validate),
        but those of ``stubs`` under a shape with a class target: nodes the triples only
        mention, whose results belong to the run that describes them (tipkg.validate.shacl).
        Their rows are passed over before any is read: they were nearly all of a report's.
        ``written``: the same triples as an N-Triples document (tipkg.store.n_triples), when the
        caller has one (_Loaded)."""
        # By their IRIs as text: one pyoxigraph would refuse to build as a NamedNode (two '#')
        # is read leniently, as every other term (_Loaded).
        skipped = {str(node) for node in stubs}
        loaded = _Loaded(triples, written)
        present = Present.of(loaded.triples, frozenset(skipped))
        core = ox.Store()
        core.load(loaded.core_text(), ox.RdfFormat.N_QUADS, lenient=True)
        plain: ox.Store | None = None
        found: list[Violation] = []
        for check in self.checks:
            if not check.target.may_bind(present) or (
                check.needs is not None and not check.needs.may_fail(present)
            ):
                continue
            if check.constraint is None:
                found.extend(_violations(check, core, loaded, skipped))
                continue
            if plain is None:
                plain = ox.Store()
                plain.load(loaded.plain_text(), ox.RdfFormat.N_TRIPLES, lenient=True)
            found.extend(_violations(check, plain, loaded, skipped))
        return found


ENCODED = "urn:tipkg:shacl:literal:"
"""The prefix of the datatype a typed literal is stored with for the core checks.

pyoxigraph stores a literal by its value: "05"^^xsd:positiveInteger comes back as
"5"^^xsd:integer, "1"^^xsd:boolean as "true". SHACL (and pyshacl) see the term as written: its
datatype, its lexical form. So every typed literal other than xsd:string is written with the
datatype ``ENCODED`` + its datatype, which pyoxigraph keeps verbatim, and the checks compare
datatypes in that form (``_datatype_term``); sh:lessThan decodes it to compare values. The
SHACL-SPARQL constraints, written for real values (``?n + 1``), run on a second store with the
literals as they are (as pyshacl's queries did when tipkg.validate.shacl ran them in pyoxigraph).
"""


_UNENCODED = (XSD.string, RDF.langString)
"""The datatypes a literal is stored with as they are: pyoxigraph keeps their lexical forms."""
_QUOTED_TYPE = '\\"^^<'
"""A quote inside a literal, written before what reads as a datatype."""


def _datatype_term(datatype: Node) -> str:
    if datatype in _UNENCODED:
        return f"<{datatype}>"
    return f"<{ENCODED}{datatype}>"


def _integer(node: Node) -> int:
    """A count or length of a shape: an integer literal, else the shape is refused."""
    value = node.toPython() if isinstance(node, Literal) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise UnsupportedShape(f"{node!r} where an integer is expected")
    return value


def _decoded(v: str) -> str:
    """An expression: the value in ``v`` with its real datatype again, for comparing values."""
    datatype = f"STR(DATATYPE({v}))"
    return (
        f'IF(isLiteral({v}) && STRSTARTS({datatype}, "{ENCODED}"), '
        f'STRDT(STR({v}), IRI(STRAFTER({datatype}, "{ENCODED}"))), {v})'
    )


def _literal_text(literal: Literal, encode: bool) -> str:
    """The literal in N-Triples, its datatype encoded for the core checks' store (ENCODED)."""
    if not encode or literal.language or literal.datatype is None:
        return nt_term(literal)
    return f'"{nt_escape(str(literal))}"^^{_datatype_term(literal.datatype)}'


class _Loaded:
    """Triples as N-Triples for pyoxigraph, and the way back to rdflib's terms.

    Written as text and loaded leniently, so that an IRI pyoxigraph would refuse to build (two
    '#' in a link to a web page) is checked as pyshacl checks it rather than failing the run.
    Blank nodes get short labels, mapped back to the data's own.

    Triples already written as an N-Triples document (`written`, as tipkg.build's workers have a
    report's) are not written again when they hold no blank node: the plain text is theirs, and
    the core text the same with each typed literal's datatype encoded (a report's texts 7.5 ms →
    2 ms)."""

    def __init__(
        self, triples: Iterable[tuple[Node, Node, Node]], written: str | None = None
    ) -> None:
        self.blanks: dict[str, BNode] = {}
        self._labels: dict[BNode, str] = {}
        self.triples = list(triples)
        self._document = written

    def _written(self, node: Node) -> tuple[str, str]:
        """The node as the core checks' store reads it, and as the plain store does."""
        if isinstance(node, URIRef):
            text = f"<{node}>"
            return text, text
        if isinstance(node, BNode):
            label = self._labels.get(node)
            if label is None:
                label = self._labels[node] = f"b{len(self._labels)}"
                self.blanks[label] = node
            return f"_:{label}", f"_:{label}"
        assert isinstance(node, Literal)
        return _literal_text(node, True), _literal_text(node, False)

    def _from_document(self, plain: str) -> tuple[str, str] | None:
        """The texts from the triples' N-Triples document; None when they hold a blank node (whose
        label is not this class's) or a literal with a quote before "^^<" (read as a datatype)."""
        if _QUOTED_TYPE in plain:
            return None
        ill = f"<{ILL_TYPED}>"
        flagged: list[str] = []
        for s, p, o in self.triples:
            if isinstance(s, BNode) or isinstance(p, BNode) or isinstance(o, BNode):
                return None
            if isinstance(o, Literal) and o.ill_typed:
                flagged.append(f"{ill} {ill} {_literal_text(o, True)} {ill} .\n")
        core = plain.replace('"^^<', f'"^^<{ENCODED}')
        for datatype in _UNENCODED:  # written as they are (_datatype_term)
            core = core.replace(f'"^^<{ENCODED}{datatype}>', f'"^^<{datatype}>')
        return core + "".join(flagged), plain

    @cached_property
    def _texts(self) -> tuple[str, str]:
        if self._document is not None:
            texts = self._from_document(self._document)
            if texts is not None:
                return texts
        # Both written in one pass, each term once (a report's terms recur: 6.9 ms → 5.2).
        written: dict[Node, tuple[str, str]] = {}
        core: list[str] = []
        plain: list[str] = []
        ill = f"<{ILL_TYPED}>"
        for s, p, o in self.triples:
            terms = []
            for node in (s, p, o):
                text = written.get(node)
                if text is None:
                    text = written[node] = self._written(node)
                terms.append(text)
            (s_core, s_plain), (p_core, p_plain), (o_core, o_plain) = terms
            core.append(f"{s_core} {p_core} {o_core} .")
            plain.append(f"{s_plain} {p_plain} {o_plain} .")
            if isinstance(o, Literal) and o.ill_typed:
                core.append(f"{ill} {ill} {o_core} {ill} .")
        return "\n".join(core), "\n".join(plain)

    def core_text(self) -> str:
        return self._texts[0]

    def plain_text(self) -> str:
        return self._texts[1]

    def term(self, term: object) -> Identifier:
        """A pyoxigraph term of either store back as the data's rdflib term."""
        if isinstance(term, ox.BlankNode):
            return self.blanks.get(term.value) or BNode(term.value)
        if isinstance(term, ox.Literal) and term.datatype.value.startswith(ENCODED):
            return Literal(term.value, datatype=URIRef(term.datatype.value[len(ENCODED) :]))
        return rdflib_term(term)


def _violations(
    check: Check, store: ox.Store, loaded: _Loaded, stubs: set[str]
) -> Iterator[Violation]:
    solutions = store.query(check.query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    skip = stubs if check.target.classes else set()
    for solution in solutions:
        this = solution["this"]
        if isinstance(this, ox.NamedNode) and this.value in skip:
            continue
        row = {name: loaded.term(term) for name in names if (term := solution[name]) is not None}
        focus = row["this"]
        if check.constraint is None:
            value = row.get("value") if check.value == "value" else None
            if check.value == "focus":
                value = focus
            yield Violation(check, focus, value, check.path, check.messages)
            continue
        # SHACL-SPARQL: the value is ?value, else the focus node (pyshacl's convention for a
        # node shape); the messages' {?var} and {$var} are filled in from the row.
        value = row.get("value", focus)
        path = row.get("path")
        filled = {**row, "value": value}
        yield Violation(check, focus, value, path, tuple(_fill(m, filled) for m in check.messages))


def _fill(message: Literal, row: dict[str, Identifier]) -> Literal:
    text = str(message)
    for name, term in row.items():
        text = text.replace(f"{{?{name}}}", str(term)).replace(f"{{${name}}}", str(term))
    return Literal(text, lang=message.language)


# -- compiling -------------------------------------------------------------------------------


def _value_needs(path: Node | None, p: Node, arg: Node) -> Needs | None:
    """A constraint on each value of a property shape whose path is an IRI finds nothing where
    the data never uses it; sh:datatype nothing where all its values are well-typed literals of
    that datatype, sh:nodeKind nothing where all are of the kinds allowed."""
    if not isinstance(path, URIRef):
        return None
    if p == SH.datatype:
        return Needs(path, only=frozenset({("Literal", arg, False)}))
    if p == SH.nodeKind and arg in _NODE_KINDS:
        return Needs(path, kinds=_NODE_KINDS[arg][1])
    if p == SH["class"]:
        return Needs(path, outside=arg)
    return Needs(path)


def _set_needs(path: Node | None, p: Node, arg: Node, target: Target) -> Needs | None:
    """sh:maxCount n finds nothing where no node has two values of an IRI path (n ≥ 1) or
    none (n = 0); sh:uniqueLang nothing where no node has two in one language; sh:minCount 1,
    on a shape whose focus nodes are the instances of its target classes, nothing where every
    one of them has a value. Every other constraint on the set of values may fail where there
    are none."""
    if not isinstance(path, URIRef):
        return None
    class_targeted = bool(target.classes) and not target.predicates and not target.always
    if p == SH.minCount and _integer(arg) == 1 and class_targeted:
        return Needs(path, lacking=target.classes)
    if p == SH.maxCount:
        return Needs(path, repeated=_integer(arg) >= 1)
    if p == SH.uniqueLang and arg == Literal(True):
        return Needs(path, same_language=True)
    return None


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Every targeted shape of ``shapes`` as checks; UnsupportedShape if any term is not
    translated."""
    return _Compiler(shapes).compile()


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.count = 0
        self.nesting: list[Node] = []
        self.prefixes = {
            str(prefix): str(namespace) for prefix, namespace in shapes.namespaces() if prefix
        }

    def compile(self) -> CompiledShapes:
        out = CompiledShapes()
        targeted = sorted(
            {
                s
                for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
                for s in self.shapes.subjects(p, None)
            },
            key=str,
        )
        for shape in targeted:
            if self._deactivated(shape):
                continue
            target = self._target(shape)
            out.checks.extend(self._checks(shape, shape, target))
            for prop in self._objects(shape, SH.property):
                if self._deactivated(prop):
                    continue
                out.checks.extend(self._checks(prop, shape, target))
        return out

    # -- the shapes graph

    def _objects(self, node: Node, p: URIRef) -> list[Node]:
        return sorted(self.shapes.objects(node, p), key=str)

    def _one(self, node: Node, p: URIRef) -> Node | None:
        """The one value of ``p`` (a path, flags, a count): two would make the result depend
        on which one rdflib happens to give first."""
        found = self._objects(node, p)
        if len(found) > 1:
            raise UnsupportedShape(f"{node}: more than one {p}")
        return found[0] if found else None

    def _list(self, head: Node) -> list[Node]:
        return list(Collection(self.shapes, head))

    def _deactivated(self, shape: Node) -> bool:
        return self.shapes.value(shape, SH.deactivated) == Literal(True)

    def _severity(self, shape: Node) -> URIRef:
        severity = self.shapes.value(shape, SH.severity)
        return severity if isinstance(severity, URIRef) else SH.Violation

    def _messages(self, node: Node) -> tuple[Literal, ...]:
        found = [m for m in self._objects(node, SH.message) if isinstance(m, Literal)]
        return tuple(found)

    def _var(self) -> str:
        self.count += 1
        return f"?v{self.count}"

    def _vars(self, n: int) -> list[str]:
        return [self._var() for _ in range(n)]

    def _check_terms(self, shape: Node) -> None:
        """Refuse a shape with a term that is neither read nor compiled."""
        known = _DESCRIPTIVE | _VALUE | _SET | _COMPANIONS | _STRUCTURE
        for p in set(self.shapes.predicates(shape, None)):
            if p not in known and str(p).startswith(str(SH)):
                raise UnsupportedShape(f"{shape}: {p} is not compiled (tipkg.validate.compiled)")
        for kind in self.shapes.objects(shape, RDF.type):
            if kind not in (SH.NodeShape, SH.PropertyShape):
                # A shape that is also a class targets its instances implicitly.
                raise UnsupportedShape(f"{shape}: a shape typed {kind} (implicit class target)")
        if (shape, SH.qualifiedValueShapesDisjoint, None) in self.shapes:
            raise UnsupportedShape(f"{shape}: sh:qualifiedValueShapesDisjoint is not compiled")

    # -- terms and paths

    def _term(self, node: Node) -> str:
        if isinstance(node, BNode):
            raise UnsupportedShape(f"a blank node as a constant in a constraint: {node}")
        if isinstance(node, URIRef):
            return f"<{node}>"
        assert isinstance(node, Literal)
        return _literal_text(node, encode=True)

    def _path(self, path: Node) -> str:
        if isinstance(path, URIRef):
            return f"<{path}>"
        for key, suffix in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = self.shapes.value(path, key)
            if inner is not None:
                return f"({self._path(inner)}){suffix}"
        inverse = self.shapes.value(path, SH.inversePath)
        if inverse is not None:
            return f"^({self._path(inverse)})"
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path(p) for p in self._list(alternatives)) + ")"
        if (path, RDF.first, None) in self.shapes:
            return "(" + "/".join(self._path(p) for p in self._list(path)) + ")"
        raise UnsupportedShape(f"a path that is not compiled: {path}")

    def _target(self, shape: Node) -> Target:
        parts = []
        classes = self._objects(shape, SH.targetClass)
        for cls in classes:
            parts.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {self._term(cls)} .")
        subjects_of = self._objects(shape, SH.targetSubjectsOf)
        for p in subjects_of:
            parts.append(f"?this {self._term(p)} [] .")
        objects_of = self._objects(shape, SH.targetObjectsOf)
        for p in objects_of:
            parts.append(f"[] {self._term(p)} ?this .")
        nodes = self._objects(shape, SH.targetNode)
        for node in nodes:
            parts.append(f"VALUES ?this {{ {self._term(node)} }}")
        return Target(
            " UNION ".join("{ " + p + " }" for p in parts),
            frozenset(c for c in classes if isinstance(c, URIRef)),
            frozenset(p for p in (*subjects_of, *objects_of) if isinstance(p, URIRef)),
            bool(nodes),
        )

    # -- top-level checks

    def _checks(self, shape: Node, owner: Node, target: Target) -> list[Check]:
        self._check_terms(shape)
        path_node = self._one(shape, SH.path)
        path = self._path(path_node) if path_node is not None else None
        severity, messages = self._severity(shape), self._messages(shape)
        checks: list[Check] = []

        def add(component: str, where: str, value: str, needs: Needs | None = None) -> None:
            columns = "?this ?value" if value == "value" else "?this"
            query = f"SELECT DISTINCT {columns} WHERE {{ {target.pattern} {where} }}"
            iri = SH[f"{_COMPONENT_NAMES[component]}ConstraintComponent"]
            checks.append(
                Check(
                    shape,
                    owner,
                    iri,
                    path_node,
                    severity,
                    messages,
                    query,
                    value,
                    target,
                    needs=needs,
                )
            )

        for p, arg in sorted(
            self.shapes.predicate_objects(shape), key=lambda t: (str(t[0]), str(t[1]))
        ):
            name = str(p)[len(str(SH)) :]
            if p in _VALUE:
                if path is None:
                    add(name, f"FILTER ({self._value(shape, p, arg, '?this')})", "focus")
                else:
                    violation = self._value(shape, p, arg, "?value")
                    needs = _value_needs(path_node, p, arg)
                    add(name, f"?this {path} ?value . FILTER ({violation})", "value", needs)
            elif p in _SET:
                if path is None:
                    if p != SH.hasValue:
                        raise UnsupportedShape(f"{shape}: {p} on a node shape is not compiled")
                    add(name, f"FILTER (!sameTerm(?this, {self._term(arg)}))", "")
                    continue
                if p == SH.qualifiedValueShape:
                    for bound, component in (
                        (SH.qualifiedMinCount, "QualifiedMinCount"),
                        (SH.qualifiedMaxCount, "QualifiedMaxCount"),
                    ):
                        count = self._one(shape, bound)
                        if count is None:
                            continue
                        where = f"FILTER ({self._qualified(arg, bound, count, '?this', path)})"
                        query = f"SELECT DISTINCT ?this WHERE {{ {target.pattern} {where} }}"
                        iri = SH[f"{component}ConstraintComponent"]
                        checks.append(
                            Check(
                                shape, owner, iri, path_node, severity, messages, query, "", target
                            )
                        )
                    continue
                pair = self._pair_rows(p, arg, path)
                if pair is not None:
                    add(name, pair, "value")
                else:
                    needs = _set_needs(path_node, p, arg, target)
                    add(name, f"FILTER ({self._set(shape, p, arg, '?this', path)})", "", needs)
        for constraint in self._objects(shape, SH.sparql):
            checks.append(self._sparql(shape, owner, constraint, target))
        return checks

    def _sparql(self, shape: Node, owner: Node, constraint: Node, target: Target) -> Check:
        if self._deactivated(constraint):
            raise UnsupportedShape(f"{shape}: a deactivated SPARQL constraint is not compiled")
        select = self._one(constraint, SH.select)
        if select is None:
            raise UnsupportedShape(f"{shape}: a SPARQL constraint without sh:select")
        text = str(select)
        if _ORDER_SENSITIVE.search(text):
            raise UnsupportedShape(
                f"{shape}: a SPARQL constraint whose rows with $this free may differ from "
                "pre-binding $this (GROUP BY, LIMIT, MINUS, VALUES, a subquery...)"
            )
        projection = re.split(r"\bWHERE\b|\{", text, maxsplit=1, flags=re.IGNORECASE)[0]
        if not re.search(r"[?$]this\b", projection):
            raise UnsupportedShape(f"{shape}: a SPARQL constraint that does not select $this")
        if re.search(r"[?$](?:shapesGraph|currentShape)\b", text):
            raise UnsupportedShape(f"{shape}: $shapesGraph and $currentShape are not compiled")
        prefixes = "".join(
            f"PREFIX {prefix}: <{namespace}>\n"
            for prefix, namespace in self._declared_prefixes(constraint).items()
        )
        query = f"{prefixes}SELECT * WHERE {{ {{ {text} }} {target.pattern} }}"
        severity = self._severity(shape)
        path = self._one(shape, SH.path)
        if path is not None:
            raise UnsupportedShape(f"{shape}: SPARQL constraints on property shapes")
        return Check(
            shape,
            owner,
            SH.SPARQLConstraintComponent,
            None,
            severity,
            self._messages(constraint),
            query,
            "value",
            target,
            constraint,
        )

    def _declared_prefixes(self, constraint: Node) -> dict[str, str]:
        found: dict[str, str] = {}
        for source in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(source, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                if prefix is not None and namespace is not None:
                    found[str(prefix)] = str(namespace)
        return found

    def _pair_rows(
        self, p: Node, arg: Node, path: str, x: str = "?this", value: str = "?value"
    ) -> str | None:
        """The violations of a property-pair constraint on the node in ``x``, one row per value
        at fault, bound to ``value`` (pyshacl reports each value missing on either side, each
        shared value, each pair out of order); None for any other constraint."""
        other = self._term(arg)
        if p == SH.equals:
            return (
                f"{{ {x} {path} {value} . FILTER NOT EXISTS {{ {x} {other} {value} }} }} UNION "
                f"{{ {x} {other} {value} . FILTER NOT EXISTS {{ {x} {path} {value} }} }}"
            )
        if p == SH.disjoint:
            return f"{x} {path} {value} . {x} {other} {value} ."
        if p in (SH.lessThan, SH.lessThanOrEquals):
            op = "<" if p == SH.lessThan else "<="
            compared = self._var()
            return (
                f"{x} {path} {value} . {x} {other} {compared} . "
                f"FILTER (!COALESCE({_decoded(value)} {op} {_decoded(compared)}, false))"
            )
        return None

    # -- expressions: true when the node in ``v`` (a SPARQL variable) violates the constraint

    def _value(self, shape: Node, p: Node, arg: Node, v: str) -> str:
        if p == SH["class"]:
            return f"NOT EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* {self._term(arg)} }}"
        if p == SH.datatype:
            well = f"isLiteral({v}) && DATATYPE({v}) = {_datatype_term(arg)}"
            if arg not in _ALWAYS_WELL_TYPED:
                ill = f"<{ILL_TYPED}>"
                well += f" && NOT EXISTS {{ GRAPH {ill} {{ {ill} {ill} {v} }} }}"
            return f"!({well})"
        if p == SH.nodeKind:
            kind = _NODE_KINDS.get(arg) if isinstance(arg, URIRef) else None
            if kind is None:
                raise UnsupportedShape(f"{shape}: sh:nodeKind {arg}")
            return kind[0].format(v=v)
        if p == SH.pattern:
            flags = self._one(shape, SH.flags)
            args = f"{self._term(Literal(str(arg)))}"
            if flags is not None:
                args += f", {self._term(Literal(str(flags)))}"
            return f"(isBlank({v}) || !REGEX(STR({v}), {args}))"
        if p in (SH.minLength, SH.maxLength):
            op = "<" if p == SH.minLength else ">"
            return f"(isBlank({v}) || STRLEN(STR({v})) {op} {_integer(arg)})"
        if p == SH["in"]:
            members = [f"sameTerm({v}, {self._term(m)})" for m in self._list(arg)]
            return "!(" + (" || ".join(members) or "false") + ")"
        if p == SH.languageIn:
            tags = [
                f"LANGMATCHES(LANG({v}), {self._term(Literal(str(t)))})" for t in self._list(arg)
            ]
            inside = " || ".join(tags) or "false"
            return f'!(isLiteral({v}) && LANG({v}) != "" && ({inside}))'
        if p == SH.node:
            return self._nonconforming(arg, v)
        if p == SH["or"]:
            return "(" + " && ".join(self._nonconforming(m, v) for m in self._list(arg)) + ")"
        if p == SH["and"]:
            return "(" + " || ".join(self._nonconforming(m, v) for m in self._list(arg)) + ")"
        if p == SH["not"]:
            return f"!{self._nonconforming(arg, v)}"
        if p == SH.xone:
            conforming = [f"IF({self._nonconforming(m, v)}, 0, 1)" for m in self._list(arg)]
            return "((" + " + ".join(conforming) + ") != 1)"
        raise UnsupportedShape(f"{shape}: {p} is not compiled")

    def _distinct(self, x: str, path: str, n: int, each: str = "", placeholder: str = "") -> str:
        """A pattern: ``n`` pairwise distinct values of ``path`` from ``x`` (each passing the
        filter ``each``, written for the variable ``placeholder``)."""
        if n > MAX_COUNT:
            raise UnsupportedShape(f"a count of {n} (at most {MAX_COUNT} is compiled)")
        values = self._vars(n)
        parts = [f"{x} {path} {value} ." for value in values]
        tests = [f"!sameTerm({a}, {b})" for i, a in enumerate(values) for b in values[i + 1 :]]
        if each:
            pattern = re.compile(re.escape(placeholder) + r"\b")
            tests.extend(pattern.sub(value, each) for value in values)
        if tests:
            parts.append("FILTER (" + " && ".join(tests) + ")")
        return " ".join(parts)

    def _count_below(self, x: str, path: str, n: int, each: str = "", var: str = "") -> str:
        if n <= 0:
            return "false"
        return f"NOT EXISTS {{ {self._distinct(x, path, n, each, var)} }}"

    def _count_above(self, x: str, path: str, n: int, each: str = "", var: str = "") -> str:
        return f"EXISTS {{ {self._distinct(x, path, n + 1, each, var)} }}"

    def _qualified(self, shape: Node, bound: Node, count: Node, x: str, path: str) -> str:
        # Written once for a placeholder variable, which _distinct renames for each value.
        placeholder = self._var()
        conforming = "!" + self._nonconforming(shape, placeholder)
        if bound == SH.qualifiedMinCount:
            return self._count_below(x, path, _integer(count), conforming, placeholder)
        return self._count_above(x, path, _integer(count), conforming, placeholder)

    def _set(self, shape: Node, p: Node, arg: Node, x: str, path: str) -> str:
        if p == SH.minCount:
            return self._count_below(x, path, _integer(arg))
        if p == SH.maxCount:
            return self._count_above(x, path, _integer(arg))
        if p == SH.hasValue:
            return f"NOT EXISTS {{ {x} {path} {self._term(arg)} }}"
        if p == SH.uniqueLang:
            if arg != Literal(True):
                return "false"
            a, b = self._vars(2)
            return (
                f"EXISTS {{ {x} {path} {a} . {x} {path} {b} . FILTER (!sameTerm({a}, {b}) && "
                f'isLiteral({a}) && isLiteral({b}) && LANG({a}) != "" && '
                f"LCASE(LANG({a})) = LCASE(LANG({b}))) }}"
            )
        # A property pair inside a nested shape: some row of the top-level form exists.
        rows = self._pair_rows(p, arg, path, x, self._var())
        if rows is not None:
            return f"EXISTS {{ {rows} }}"
        raise UnsupportedShape(f"{shape}: {p} is not compiled")

    def _nonconforming(self, shape: Node, v: str) -> str:
        """True when the node in ``v`` does not conform to ``shape`` (a nested shape: sh:node,
        a member of sh:or/sh:xone/sh:not, a qualified value shape). Only its constraints count,
        not its targets, if it has any."""
        if shape in self.nesting:
            raise UnsupportedShape(f"{shape}: a recursive shape")
        self._check_terms(shape)
        if self._deactivated(shape):
            return "false"
        self.nesting.append(shape)
        try:
            return self._nonconforming_terms(shape, v)
        finally:
            self.nesting.pop()

    def _nonconforming_terms(self, shape: Node, v: str) -> str:
        if (shape, SH.sparql, None) in self.shapes:
            raise UnsupportedShape(f"{shape}: a nested shape with a SPARQL constraint")
        terms: list[str] = []
        path_node = self._one(shape, SH.path)
        path = self._path(path_node) if path_node is not None else None
        for p, arg in sorted(
            self.shapes.predicate_objects(shape), key=lambda t: (str(t[0]), str(t[1]))
        ):
            if p in _VALUE:
                if path is None:
                    terms.append(self._value(shape, p, arg, v))
                else:
                    value = self._var()
                    inner = self._value(shape, p, arg, value)
                    terms.append(f"EXISTS {{ {v} {path} {value} . FILTER ({inner}) }}")
            elif p in _SET:
                if path is None:
                    if p != SH.hasValue:
                        raise UnsupportedShape(f"{shape}: {p} on a node shape is not compiled")
                    terms.append(f"!sameTerm({v}, {self._term(arg)})")
                elif p == SH.qualifiedValueShape:
                    for bound in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                        count = self._one(shape, bound)
                        if count is not None:
                            terms.append(self._qualified(arg, bound, count, v, path))
                else:
                    terms.append(self._set(shape, p, arg, v, path))
        for prop in self._objects(shape, SH.property):
            if not self._deactivated(prop):
                terms.append(self._nonconforming(prop, v))
        return "(" + (" || ".join(terms) or "false") + ")"
