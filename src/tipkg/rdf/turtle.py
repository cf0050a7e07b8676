"""Canonical Turtle: the same graph always gives the same bytes, whatever order it was built in."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from tipkg.errors import InputError, not_utf8

PREFIXES = {
    "tip": "https://w3id.org/tipkg/def/",
    "tipid": "https://w3id.org/tipkg/id/",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "sh": "http://www.w3.org/ns/shacl#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "vann": "http://purl.org/vocab/vann/",
}


def _key(node: Node) -> tuple[int, str]:
    return (1 if isinstance(node, BNode) else 0, str(node))


def canonical_turtle(graph: Graph, header: str = "") -> str:
    """Serialise ``graph`` as Turtle with blank nodes labelled canonically and triples sorted.

    A graph without blank nodes (every report) is written by `_ground_turtle`, a port of what
    the path below gives for such a graph, in a tenth of its time; a graph with blank nodes (the
    ontology's unions) takes the path below. tests/unit/test_turtle.py holds both to the same
    bytes on every graph the build writes and on the 2020 report's committed output.
    """
    text = _ground_turtle(graph)
    if text is None:
        return rdflib_canonical_turtle(graph, header)
    return _finish(text, header)


def rdflib_canonical_turtle(graph: Graph, header: str = "") -> str:
    """The reference path: rdflib's ``longturtle`` writer follows insertion order, so the graph
    is rebuilt in sorted order from its canonical form (rdflib.compare) before writing."""
    canonical = to_canonical_graph(graph)
    ordered = _prefixed_graph(graph)
    for triple in sorted(canonical, key=lambda t: tuple(_key(n) for n in t)):
        ordered.add(triple)
    return _finish(ordered.serialize(format="longturtle"), header)


def _prefixed_graph(graph: Graph) -> Graph:
    """An empty graph with the prefixes of the output: tipkg's, and any other the graph binds."""
    ordered = Graph(bind_namespaces="none")
    known = set(PREFIXES.values())
    for prefix, namespace in graph.namespaces():
        if str(namespace) not in known and prefix and not prefix.startswith(("ns", "default")):
            ordered.bind(prefix, namespace)
    for prefix, iri in PREFIXES.items():
        ordered.bind(prefix, iri, replace=True)
    return ordered


def _finish(text: str, header: str) -> str:
    # Split on line feeds only: str.splitlines() also splits at a form feed (a PDF's page break,
    # kept in the quoted source characters), which would break the literal holding it.
    used = "\n".join(
        line
        for line in text.split("\n")
        if not line.startswith("PREFIX ") or _prefix_used(line, text)
    )
    body = used.strip() + "\n"
    return (header.rstrip() + "\n\n" + body) if header else body


_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_TYPE, _LABEL, _CLASS, _NIL = RDF.type, RDFS.label, RDFS.Class, RDF.nil
_FIRST_PREDICATES = (_TYPE, _LABEL)
# Looked up rather than compared: rdflib's == is a Python call, and these tests run on every
# triple (a report's Turtle took 27 ms, against 25).
_SPECIAL: dict[Node, Node] = {_TYPE: _TYPE, _NIL: _NIL}


def _ground_turtle(graph: Graph) -> str | None:
    """rdflib's ``longturtle`` output of the canonical path, written directly for a graph with
    no blank node: no canonical relabelling (there is nothing to relabel), no sorted copy of the
    graph, no per-subject lookups in a store. Subjects by (references as an object, IRI) with the
    members of rdfs:Class first, rdf:type and rdfs:label first, then predicates by IRI, objects
    in rdflib's order of terms; prefixed names as rdflib's namespace manager makes them. None
    when the graph has a blank node: the caller takes the rdflib path."""
    by_subject: dict[Node, dict[Node, list[Node]]] = {}
    references: dict[Node, int] = defaultdict(int)
    for s, p, o in graph:
        if not isinstance(s, URIRef) or isinstance(p, BNode) or isinstance(o, BNode):
            return None
        if isinstance(o, URIRef):  # only subjects' counts are read: a literal is never one
            references[o] += 1
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    # The triples in the order of (subject, predicate, object) as text, sorted level by level:
    # each term made text once, not once per triple it is in (those strings were a third of the
    # writer's time). Objects of one subject and predicate that read alike stay in the graph's
    # order, as a stable sort of the triples leaves them.
    triples: list[tuple[Node, Node, Node]] = []
    for s in sorted(by_subject, key=str):
        properties = by_subject[s]
        for p in sorted(properties, key=str):
            objects = properties[p]
            objects.sort(key=str)
            triples.extend((s, p, o) for o in objects)
    manager = _prefixed_graph(graph).namespace_manager
    store = manager.store
    namespaces: dict[str, str] = {}
    rewrites: dict[str, str] = {}
    names: dict[tuple[Node, bool], str | None] = {}

    def add_namespace(prefix: str, namespace: str) -> str:
        if (prefix > "" and prefix[0] == "_") or namespaces.get(prefix, namespace) != namespace:
            if prefix not in rewrites:
                rewritten = "p" + prefix
                while rewritten in namespaces:
                    rewritten = "p" + rewritten
                rewrites[prefix] = rewritten
            prefix = rewrites.get(prefix, prefix)
        namespaces[prefix] = namespace
        return prefix

    def pname(uri: Node, generate: bool) -> str | None:
        if not isinstance(uri, URIRef):
            return None
        known = names.get((uri, generate), "")
        if known != "":
            return known
        try:
            prefix, namespace, local = manager.compute_qname(uri, generate=generate)
        except Exception:  # as rdflib's serializer: then the IRI may be a namespace itself
            found = store.prefix(uri)
            if found is None:
                names[(uri, generate)] = None
                return None
            prefix, namespace, local = found, uri, ""
        local = _PERCENT.sub("\\\\%", local.replace("(", r"\(").replace(")", r"\)"))
        if local.endswith("."):
            names[(uri, generate)] = None
            return None
        name = f"{add_namespace(prefix, namespace)}:{local}"
        names[(uri, generate)] = name
        return name

    # The prefixes, as rdflib's serializer meets them. A term met before changes nothing: passed
    # over without asking pname (a subject or object apart from a predicate, whose prefixed name
    # may be generated).
    met, met_verbs = set(), set()
    for s, p, o in triples:
        if s not in met:
            met.add(s)
            pname(s, False)
        if p not in met_verbs:
            met_verbs.add(p)
            if _SPECIAL.get(p) is not _TYPE:
                pname(p, True)
        if isinstance(o, Literal):
            if o.datatype:
                pname(o.datatype, False)
        elif o not in met:
            met.add(o)
            pname(o, False)

    # rdflib names the terms afresh as it writes them: an IRI no prefix named when it was first
    # met may have one now (a predicate's made-up ns1: names it as a subject too).
    for unnamed in [key for key, name in names.items() if name is None]:
        del names[unnamed]
    labels: dict[Node, str] = {}

    def label(node: Node, verb: bool = False) -> str:
        if not verb:
            known = labels.get(node)
            if known is not None:
                return known
        if isinstance(node, Literal):
            text = node._literal_n3(use_plain=True, qname_callback=lambda dt: pname(dt, False))
        else:
            special = _SPECIAL.get(node)
            if special is _TYPE and verb:
                return "a"
            if special is _NIL:
                return "()"
            text = pname(node, verb) or node.n3()
        if not verb:
            labels[node] = text
        return text

    classes = sorted(str(s) for s, p, o in triples if _SPECIAL.get(p) is _TYPE and o == _CLASS)
    top = set(classes)
    rest = sorted((references[s], str(s)) for s in by_subject if str(s) not in top)
    ordered = [URIRef(s) for s in dict.fromkeys(classes)] + [URIRef(s) for _, s in rest]
    out: list[str] = [f"PREFIX {prefix}: <{uri}>\n" for prefix, uri in sorted(namespaces.items())]
    for subject in ordered:
        properties = by_subject[subject]
        first = [p for p in _FIRST_PREDICATES if p in properties]
        firsts = set(first)
        predicates = first + sorted((p for p in properties if p not in firsts), key=str)
        out.append(f"\n{label(subject)}\n")
        for index, predicate in enumerate(predicates):
            out.append("    " if index == 0 else " ;\n    ")
            out.append(label(predicate, verb=True))
            objects = properties[predicate]
            if len(objects) == 1:
                out.append(" " + label(objects[0]))
                continue
            objects.sort(key=str)
            objects.sort()  # type: ignore[call-arg]  # rdflib's order of terms
            out.append("\n        " + " ,\n        ".join(label(o) for o in objects))
        out.append(" ;\n.\n")
    return "".join(out).encode("utf-8", "replace").decode("utf-8")


def read_turtle(source: Graph | Path) -> Graph:
    """A Turtle file as a graph (a graph is returned as it is); InputError naming the file and,
    where the parser says, the line."""
    if isinstance(source, Graph):
        return source
    graph = Graph()
    try:
        graph.parse(source, format="turtle")
    except FileNotFoundError as err:
        raise InputError(source, None, "no such file") from err
    except IsADirectoryError as err:
        raise InputError(source, None, "a directory, not a Turtle file") from err
    except OSError as err:
        raise InputError(source, None, f"cannot read: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raw = err.object if isinstance(err.object, bytes) else source.read_bytes()
        raise not_utf8(source, raw, err.start) from err
    except BadSyntax as err:
        # rdflib counts lines from 0; its message runs over several lines, quoting the text
        why = getattr(err, "_why", None) or "bad syntax"
        raise InputError(source, err.lines + 1, f"not valid Turtle: {why}") from err
    except Exception as err:  # rdflib raises several other parser exception types
        message = " ".join(str(err).split())
        raise InputError(
            source, getattr(err, "lines", None), f"not valid Turtle: {message}"
        ) from err
    return graph


def _prefix_used(prefix_line: str, text: str) -> bool:
    """Whether the prefixed name is in the text twice (its PREFIX line and a use): looked for up
    to the second time rather than counted through the whole text, once per prefix (3 ms of a
    report's Turtle). Occurrences of a name ("tip:") cannot overlap: its only ':' is its last."""
    name = prefix_line.split()[1]
    first = text.find(name)
    return first >= 0 and text.find(name, first + len(name)) >= 0
