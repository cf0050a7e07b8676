"""A build read back for publishing: its graphs, indexed by subject and object, and labels.

Read with pyoxigraph (fast) from the Turtle files that dist/build.json lists; blank nodes are
relabelled in order of appearance (``g<graph>b<n>``) so that every output is deterministic.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from tipkg import iris
from tipkg.errors import InputError
from tipkg.publish import vocab
from tipkg.publish.urls import doc_stem, split_fragment

Node = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal

MANIFEST = "build.json"
TIP = vocab.TIP


@dataclass(frozen=True)
class GraphFile:
    name: str
    path: Path
    triples: tuple[ox.Triple, ...]


@dataclass(frozen=True)
class Label:
    text: str
    lang: str = ""


def term_key(term: object) -> str:
    return str(term)


def triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def _relabel(quads: Iterable[ox.Quad], prefix: str) -> Iterator[ox.Triple]:
    names: dict[str, ox.BlankNode] = {}

    def fix(term: object) -> object:
        if isinstance(term, ox.BlankNode):
            if term.value not in names:
                names[term.value] = ox.BlankNode(f"{prefix}b{len(names)}")
            return names[term.value]
        return term

    for quad in quads:
        subject = fix(quad.subject)
        obj = fix(quad.object)
        assert isinstance(subject, ox.NamedNode | ox.BlankNode)
        assert isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal)
        yield ox.Triple(subject, quad.predicate, obj)


def read_turtle(path: Path, prefix: str) -> tuple[ox.Triple, ...]:
    try:
        return tuple(_relabel(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE), prefix))
    except (SyntaxError, OSError) as err:
        raise InputError(path, None, f"cannot read Turtle: {err}") from err


@dataclass
class BuildData:
    """Everything publishing needs from one build directory."""

    build_dir: Path
    version: str
    time: str
    build_iri: str
    sources: list[dict[str, str]]
    graphs: list[GraphFile]
    triples: list[ox.Triple] = field(default_factory=list)
    out: dict[Node, list[ox.Triple]] = field(default_factory=dict)
    inc: dict[ox.NamedNode, list[ox.Triple]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, build_dir: Path) -> BuildData:
        manifest_path = build_dir / MANIFEST
        if not manifest_path.is_file():
            raise InputError(build_dir, None, "no build here (no build.json): run `tipkg build`")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            graphs = [
                GraphFile(name, build_dir / rel, read_turtle(build_dir / rel, f"g{i}"))
                for i, (name, rel) in enumerate(manifest["graphs"].items())
            ]
            data = cls(
                build_dir=build_dir,
                version=str(manifest["version"]),
                time=str(manifest["time"]),
                build_iri=str(manifest["build"]),
                sources=[{k: str(v) for k, v in s.items()} for s in manifest.get("sources", [])],
                graphs=graphs,
            )
        except (KeyError, TypeError, ValueError) as err:
            raise InputError(manifest_path, None, f"not a tipkg build manifest: {err}") from err
        data._index()
        return data

    def _index(self) -> None:
        unique: dict[tuple[str, str, str], ox.Triple] = {}
        for graph in self.graphs:
            for triple in graph.triples:
                unique.setdefault(triple_key(triple), triple)
        self.triples = [unique[key] for key in sorted(unique)]
        out: defaultdict[Node, list[ox.Triple]] = defaultdict(list)
        inc: defaultdict[ox.NamedNode, list[ox.Triple]] = defaultdict(list)
        for triple in self.triples:
            subject = triple.subject
            assert isinstance(subject, ox.NamedNode | ox.BlankNode)
            out[subject].append(triple)
            if isinstance(triple.object, ox.NamedNode):
                inc[triple.object].append(triple)
        self.out = dict(out)
        self.inc = dict(inc)
        labels: defaultdict[str, dict[str, str]] = defaultdict(dict)
        # rdfs:label, then skos:prefLabel, dct:title, foaf:name: the first per language wins.
        for predicate in vocab.LABEL_PREDICATES:
            for triple in self.triples:
                if triple.predicate.value != predicate or not isinstance(triple.object, ox.Literal):
                    continue
                if isinstance(triple.subject, ox.NamedNode):
                    labels[triple.subject.value].setdefault(
                        triple.object.language or "", triple.object.value
                    )
        self.labels = dict(labels)

    # -- queries over the index ---------------------------------------------------------------

    def graph(self, name: str) -> GraphFile | None:
        for graph in self.graphs:
            if graph.name == name:
                return graph
        return None

    @property
    def ontology_graph(self) -> GraphFile | None:
        return self.graph(str(iris.named_graph("ontology", "")))

    def values(self, subject: Node, predicate: str) -> list[Term]:
        found: list[Term] = []
        for triple in self.out.get(subject, ()):
            if triple.predicate.value == predicate:
                obj = triple.object
                assert isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal)
                found.append(obj)
        return found

    def value(self, subject: Node, predicate: str) -> Term | None:
        found = self.values(subject, predicate)
        return found[0] if found else None

    def text(self, subject: Node, predicate: str) -> str:
        found = self.value(subject, predicate)
        return found.value if isinstance(found, ox.Literal | ox.NamedNode) else ""

    def literals(self, subject: Node, predicate: str) -> dict[str, str]:
        """Literal values by language tag ("" for none); the first one per language."""
        found: dict[str, str] = {}
        for value in self.values(subject, predicate):
            if isinstance(value, ox.Literal):
                found.setdefault(value.language or "", value.value)
        return found

    def nodes(self, subject: Node, predicate: str) -> list[ox.NamedNode]:
        return [v for v in self.values(subject, predicate) if isinstance(v, ox.NamedNode)]

    def types(self, subject: Node) -> list[str]:
        return [v.value for v in self.nodes(subject, vocab.RDF_TYPE)]

    def instances(self, cls: str) -> list[ox.NamedNode]:
        found = {
            t.subject
            for t in self.inc.get(ox.NamedNode(cls), ())
            if t.predicate.value == vocab.RDF_TYPE and isinstance(t.subject, ox.NamedNode)
        }
        return sorted(found, key=term_key)

    def subjects(self, predicate: str, obj: ox.NamedNode) -> list[Node]:
        found = [
            t.subject
            for t in self.inc.get(obj, ())
            if t.predicate.value == predicate and isinstance(t.subject, ox.NamedNode | ox.BlankNode)
        ]
        return sorted(set(found), key=term_key)

    def number(self, subject: Node) -> int:
        value = self.text(subject, vocab.TIP + "number")
        return int(value) if value.isdigit() else 0

    # -- labels -------------------------------------------------------------------------------

    def label(self, iri: str, prefer: tuple[str, ...] = ("en", "", "fr")) -> Label:
        """The label to show for an IRI: its own, a vocabulary's, or one made from its parts."""
        own = self.labels.get(iri)
        if own:
            for lang in prefer:
                if lang in own:
                    return Label(own[lang], lang)
            lang, text = sorted(own.items())[0]
            return Label(text, lang)
        known = vocab.label(iri)
        if known:
            return Label(known, "en")
        return self._made_label(iri)

    def other_label(self, iri: str, lang: str) -> Label | None:
        own = self.labels.get(iri, {})
        return Label(own[lang], lang) if lang in own else None

    def _made_label(self, iri: str) -> Label:
        node = ox.NamedNode(iri)
        types = self.types(node)
        if TIP + "Participation" in types:
            who = self.nodes(node, TIP + "participant")
            role = self.nodes(node, TIP + "role")
            item = self.nodes(node, TIP + "agendaItem")
            parts = [self.label(n.value).text for n in (*who, *role, *item)]
            return Label(" — ".join(parts) if parts else "participation", "en")
        base, fragment = split_fragment(iri)
        kind = self.label(types[0]).text if types else ""
        if fragment:
            parent = self.label(base).text if base in self.labels else ""
            what = f"{kind or 'part'} #{fragment}"
            theme = self.nodes(node, TIP + "assignedTheme")
            target = self.nodes(node, TIP + "mentionOf")
            if theme:
                what = f"theme {self.label(theme[0].value).text}"
            elif target:
                what = f"mention of {self.label(target[0].value).text}"
            return Label(f"{parent} · {what}" if parent else what, "en")
        key = base.rstrip("/").rsplit("/", 1)[-1]
        if kind and doc_stem(iri) is not None:
            return Label(f"{kind} {key}", "en")
        short = vocab.curie(iri)
        return Label(vocab.external_name(iri) if short == iri else short, "")
