"""Which triples each document holds.

A document describes one IRI of ours (without fragment): every triple whose subject is that IRI
or one of its fragments (``…/7#span-fr``), the blank nodes they lead to, and the triples from
elsewhere that point to it (a symmetric description, so that a State's document lists the
participations that name it). The ontology's IRI (``…/def/``) and its version IRI are described
by the whole ontology graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from tipkg.publish.model import BuildData, Node, triple_key
from tipkg.publish.urls import CANONICAL, ONTOLOGY_STEM, doc_stem, split_fragment


@dataclass
class Doc:
    stem: str
    iri: str
    subjects: list[Node] = field(default_factory=list)
    own: list[ox.Triple] = field(default_factory=list)
    incoming: list[ox.Triple] = field(default_factory=list)

    @property
    def triples(self) -> list[ox.Triple]:
        return self.own + self.incoming


def _closure(data: BuildData, start: list[ox.Triple]) -> list[ox.Triple]:
    """The triples plus those of every blank node they reach (cycles are visited once)."""
    found = list(start)
    seen: set[str] = set()
    queue = [t.object for t in start if isinstance(t.object, ox.BlankNode)]
    while queue:
        node = queue.pop()
        if not isinstance(node, ox.BlankNode) or node.value in seen:
            continue
        seen.add(node.value)
        for triple in data.out.get(node, ()):
            found.append(triple)
            if isinstance(triple.object, ox.BlankNode):
                queue.append(triple.object)
    return found


def _sorted(triples: list[ox.Triple], main: str) -> list[ox.Triple]:
    unique = {triple_key(t): t for t in triples}

    def rank(key: tuple[str, str, str]) -> tuple[int, tuple[str, str, str]]:
        subject = unique[key].subject
        if isinstance(subject, ox.NamedNode) and subject.value == main:
            return (0, key)
        if isinstance(subject, ox.NamedNode) and split_fragment(subject.value)[0] == main:
            return (1, key)
        return (2 if isinstance(subject, ox.NamedNode) else 3, key)

    return [unique[key] for key in sorted(unique, key=rank)]


def collect(data: BuildData) -> dict[str, Doc]:
    """Every document of the site, by stem, from every IRI of ours the build uses."""
    members: defaultdict[str, set[str]] = defaultdict(set)
    for triple in data.triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                stem = doc_stem(term.value)
                if stem is not None:
                    members[stem].add(term.value)
    docs: dict[str, Doc] = {}
    ontology = data.ontology_graph
    for stem, names in sorted(members.items()):
        main = min((split_fragment(n)[0] for n in names), key=len)
        if stem == ONTOLOGY_STEM:
            main = min(names, key=len)
        doc = Doc(stem, main)
        doc.subjects = sorted(
            (ox.NamedNode(n) for n in names if ox.NamedNode(n) in data.out),
            key=lambda node: (node.value != main, node.value),
        )
        if stem == ONTOLOGY_STEM and ontology is not None:
            doc.own = _sorted(list(ontology.triples), main)
        else:
            own = [t for subject in doc.subjects for t in data.out.get(subject, ())]
            own = _closure(data, own)
            keys = {triple_key(t) for t in own}
            incoming = [
                t
                for name in sorted(names)
                for t in data.inc.get(ox.NamedNode(name), ())
                if isinstance(t.subject, ox.NamedNode) and triple_key(t) not in keys
            ]
            doc.own = _sorted(own, main)
            doc.incoming = _sorted(incoming, main)
        docs[stem] = doc
    return docs


def ours_without_doc(data: BuildData) -> list[str]:
    """IRIs under the base that no document describes (they would not dereference)."""
    missing: set[str] = set()
    for triple in data.triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if (
                isinstance(term, ox.NamedNode)
                and term.value.startswith(CANONICAL)
                and doc_stem(term.value) is None
            ):
                missing.add(term.value)
    return sorted(missing)
