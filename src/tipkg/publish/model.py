"""A build read back for publishing: its graphs, indexed by subject and object, and labels.

Read with pyoxigraph (fast) from the Turtle files that dist/build.json lists; blank nodes are
relabelled in order of appearance (``g<graph>b<n>``) so that every output is deterministic.

While publishing, every read of the build is noted (``recording``): which subject's triples,
which object's incoming triples, which IRI's labels, the whole graph, a named graph's file, the
manifest's fields. A page's reads, answered again by the next build, tell whether the page
would come out the same (tipkg.publish.incremental). Nothing reads the build around them: the
indexes are ``Index`` views that note each lookup, the rest are properties that note
themselves. With recording off (``tipkg serve``) a read costs one test of ``None``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar, cast, overload

import pyoxigraph as ox

from tipkg import iris
from tipkg.errors import InputError
from tipkg.publish import vocab
from tipkg.publish.urls import doc_stem, split_fragment

Node = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal

MANIFEST = "build.json"
TIP = vocab.TIP

Read = str
"""One read of the build: what was asked and of what, its parts joined by ``SEP``, terms as
``str(term)``. ``out s`` the triples of subject s, ``out s p`` those with predicate p; ``inc o``,
``inc o p`` the triples whose object is o; ``labels iri``; ``graph name`` a named graph's file;
``graphs``, ``triples`` all of them; ``manifest field`` and ``source path`` of build.json.
``answer`` gives a digest of what each gives in a build. A string, not a tuple: its hash is
computed once, and the hundreds of thousands of reads of a site are looked up many times."""

SEP = "\x1f"
"""Between a read's parts: in no IRI, blank node label or file name."""

DerivedKey = tuple[str, ...]


def read_of(kind: str, *args: str) -> Read:
    return SEP.join((kind, *args))


K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


@dataclass(frozen=True)
class GraphFile:
    name: str
    path: Path
    triples: tuple[ox.Triple, ...]
    #: The SHA-256 of the Turtle file as read: what a dump of the graph copies.
    sha256: str = ""


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


def read_graph_file(name: str, path: Path, prefix: str) -> GraphFile:
    """A named graph's Turtle file, parsed, with the digest of its bytes."""
    try:
        body = path.read_bytes()
        quads = ox.parse(body, format=ox.RdfFormat.TURTLE)
        triples = tuple(_relabel(quads, prefix))
    except (SyntaxError, OSError) as err:
        raise InputError(path, None, f"cannot read Turtle: {err}") from err
    return GraphFile(name, path, triples, hashlib.sha256(body).hexdigest())


def digest(parts: Iterable[object]) -> str:
    """A short digest of a sequence of values, each by its ``str``, kept apart."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(str(part).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


class Index(Generic[K, V]):
    """One index of the build, read through ``get`` and ``in``: each lookup is noted as the read
    ``name key`` while the build's reads are recorded. ``entries`` is the dict itself,
    for building the index (and for tests that alter it), never for rendering."""

    def __init__(self, name: str, data: BuildData, entries: dict[K, V]) -> None:
        self.name = name
        self.data = data
        self.entries = entries

    @overload
    def get(self, key: K) -> V | None: ...
    @overload
    def get(self, key: K, default: T) -> V | T: ...
    def get(self, key: K, default: object = None) -> object:
        if self.data.reads:
            self.data.reads[-1].add(f"{self.name}{SEP}{key}")
        return self.entries.get(key, default)

    def __contains__(self, key: K) -> bool:
        if self.data.reads:
            self.data.reads[-1].add(f"{self.name}{SEP}{key}")
        return key in self.entries


class BuildData:
    """Everything publishing needs from one build directory."""

    def __init__(
        self,
        build_dir: Path,
        manifest: dict[str, object],
        graphs: list[GraphFile],
    ) -> None:
        self.build_dir = build_dir
        self._manifest = manifest
        self._graphs = graphs
        #: The reads being recorded, innermost last; None when nothing records (serving).
        self.reads: list[set[Read]] | None = None
        #: Values computed from the build, with the reads that computed them (None: not recorded).
        self._derived: dict[DerivedKey, tuple[object, frozenset[Read] | None]] = {}
        self._triples: list[ox.Triple] = []
        self.out: Index[Node, list[ox.Triple]] = Index("out", self, {})
        self.inc: Index[ox.NamedNode, list[ox.Triple]] = Index("inc", self, {})
        self.labels: Index[str, dict[str, str]] = Index("labels", self, {})
        self._index()

    @classmethod
    def load(cls, build_dir: Path) -> BuildData:
        manifest_path = build_dir / MANIFEST
        if not manifest_path.is_file():
            raise InputError(build_dir, None, "no build here (no build.json): run `tipkg build`")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            graphs = [
                read_graph_file(name, build_dir / rel, f"g{i}")
                for i, (name, rel) in enumerate(manifest["graphs"].items())
            ]
            fields: dict[str, object] = {
                "version": str(manifest["version"]),
                "time": str(manifest["time"]),
                "build": str(manifest["build"]),
                "sources": [{k: str(v) for k, v in s.items()} for s in manifest.get("sources", [])],
            }
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise InputError(manifest_path, None, f"not a tipkg build manifest: {err}") from err
        return cls(build_dir, fields, graphs)

    def _index(self) -> None:
        unique: dict[tuple[str, str, str], ox.Triple] = {}
        for graph in self._graphs:
            for triple in graph.triples:
                unique.setdefault(triple_key(triple), triple)
        self._triples = [unique[key] for key in sorted(unique)]
        out: defaultdict[Node, list[ox.Triple]] = defaultdict(list)
        inc: defaultdict[ox.NamedNode, list[ox.Triple]] = defaultdict(list)
        for triple in self._triples:
            subject = triple.subject
            assert isinstance(subject, ox.NamedNode | ox.BlankNode)
            out[subject].append(triple)
            if isinstance(triple.object, ox.NamedNode):
                inc[triple.object].append(triple)
        self.out.entries = dict(out)
        self.inc.entries = dict(inc)
        labels: defaultdict[str, dict[str, str]] = defaultdict(dict)
        # rdfs:label, then skos:prefLabel, dct:title, foaf:name: the first per language wins.
        for predicate in vocab.LABEL_PREDICATES:
            for triple in self._triples:
                if triple.predicate.value != predicate or not isinstance(triple.object, ox.Literal):
                    continue
                if isinstance(triple.subject, ox.NamedNode):
                    labels[triple.subject.value].setdefault(
                        triple.object.language or "", triple.object.value
                    )
        self.labels.entries = dict(labels)

    # -- recording what is read ---------------------------------------------------------------

    def note(self, kind: str, *args: str) -> None:
        if self.reads:
            self.reads[-1].add(read_of(kind, *args))

    def start_recording(self) -> None:
        """From now on, reads inside ``recording()`` are noted."""
        if self.reads is None:
            self.reads = []

    @contextmanager
    def recording(self) -> Iterator[set[Read]]:
        """The reads made inside the block; they count for an enclosing block too."""
        assert self.reads is not None, "start_recording() first"
        found: set[Read] = set()
        self.reads.append(found)
        try:
            yield found
        finally:
            self.reads.pop()
            if self.reads:
                self.reads[-1].update(found)

    @contextmanager
    def apart(self) -> Iterator[set[Read]]:
        """The reads made inside the block, kept apart: an enclosing block does not count them
        (a value kept with its reads, noted only where it is used)."""
        found: set[Read] = set()
        if self.reads is None:
            yield found
            return
        self.reads.append(found)
        try:
            yield found
        finally:
            self.reads.pop()

    def note_all(self, reads: Iterable[Read]) -> None:
        if self.reads:
            self.reads[-1].update(reads)

    def derived(self, key: DerivedKey, compute: Callable[[], T]) -> T:
        """``compute()`` once per build's data, kept under ``key``; every use of the value counts
        the reads that computed it, so that a value kept from one page reaches the next page's
        reads too."""
        kept = self._derived.get(key)
        if kept is None or (kept[1] is None and self.reads is not None):
            if self.reads is None:
                kept = (compute(), None)
            else:
                with self.recording() as found:
                    value = compute()
                kept = (value, frozenset(found))
            self._derived[key] = kept
        elif self.reads and kept[1] is not None:
            self.reads[-1].update(kept[1])
        return cast(T, kept[0])

    def answer(self, read: Read) -> str:
        """A digest of what ``read`` gives in this build (KeyError for a read it cannot make)."""
        kind, _, rest = read.partition(SEP)
        args = rest.split(SEP) if kind in ("out", "inc") else [rest]
        if kind in ("out", "inc"):
            # "out s": the triples of s; "out s p": those of them with predicate p
            index = self.out.entries if kind == "out" else self.inc.entries
            by_name = self.derived(("by-name", kind), lambda: {str(k): v for k, v in index.items()})
            found = by_name.get(args[0], ())
            if len(args) > 1:
                found = [t for t in found if t.predicate.value == args[1]]
            return digest(found)
        if kind == "labels":
            return digest(sorted(self.labels.entries.get(args[0], {}).items()))
        if kind == "graph":
            graph = next((g for g in self._graphs if g.name == args[0]), None)
            return graph.sha256 if graph is not None else ""
        if kind == "graphs":
            return digest(f"{g.name} {g.sha256}" for g in self._graphs)
        if kind == "triples":
            return self.derived(("digest", "triples"), lambda: digest(self._triples))
        if kind == "source":
            return str(self._has_source(args[0]))
        if kind == "manifest":
            return digest([json.dumps(self._manifest[args[0]], sort_keys=True)])
        raise KeyError(read)

    # -- the build as a whole -----------------------------------------------------------------

    @property
    def triples(self) -> list[ox.Triple]:
        """Every triple of the build, once, sorted."""
        self.note("triples")
        return self._triples

    @property
    def graphs(self) -> list[GraphFile]:
        self.note("graphs")
        return self._graphs

    def _field(self, name: str) -> object:
        self.note("manifest", name)
        return self._manifest[name]

    @property
    def version(self) -> str:
        return str(self._field("version"))

    @property
    def time(self) -> str:
        return str(self._field("time"))

    @property
    def build_iri(self) -> str:
        return str(self._field("build"))

    @property
    def sources(self) -> list[dict[str, str]]:
        return cast(list[dict[str, str]], self._field("sources"))

    def has_source(self, path: str) -> bool:
        """Whether the build lists a source at ``path`` (under its sources/)."""
        self.note("source", path)
        return self._has_source(path)

    def _has_source(self, path: str) -> bool:
        return any(
            s.get("path") == path for s in cast(list[dict[str, str]], self._manifest["sources"])
        )

    # -- queries over the index ---------------------------------------------------------------

    def graph(self, name: str) -> GraphFile | None:
        self.note("graph", name)
        for graph in self._graphs:
            if graph.name == name:
                return graph
        return None

    @property
    def ontology_graph(self) -> GraphFile | None:
        return self.graph(str(iris.named_graph("ontology", "")))

    def values(self, subject: Node, predicate: str) -> list[Term]:
        # noted by predicate: a page that reads a thing's label or type does not depend on
        # its other statements
        if self.reads:
            self.reads[-1].add(f"out{SEP}{subject}{SEP}{predicate}")
        found: list[Term] = []
        for triple in self.out.entries.get(subject, ()):
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
        node = ox.NamedNode(cls)
        if self.reads:
            self.reads[-1].add(f"inc{SEP}{node}{SEP}{vocab.RDF_TYPE}")
        found = {
            t.subject
            for t in self.inc.entries.get(node, ())
            if t.predicate.value == vocab.RDF_TYPE and isinstance(t.subject, ox.NamedNode)
        }
        return sorted(found, key=term_key)

    def subjects(self, predicate: str, obj: ox.NamedNode) -> list[Node]:
        if self.reads:
            self.reads[-1].add(f"inc{SEP}{obj}{SEP}{predicate}")
        found = [
            t.subject
            for t in self.inc.entries.get(obj, ())
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
