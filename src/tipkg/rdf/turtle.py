"""Canonical Turtle: the same graph always gives the same bytes, whatever order it was built in."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Graph
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

    rdflib's ``longturtle`` writer follows insertion order, so the graph is rebuilt in sorted
    order from its canonical form (rdflib.compare) before writing.
    """
    canonical = to_canonical_graph(graph)
    ordered = Graph(bind_namespaces="none")
    known = set(PREFIXES.values())
    for prefix, namespace in graph.namespaces():
        if str(namespace) not in known and prefix and not prefix.startswith(("ns", "default")):
            ordered.bind(prefix, namespace)
    for prefix, iri in PREFIXES.items():
        ordered.bind(prefix, iri, replace=True)
    for triple in sorted(canonical, key=lambda t: tuple(_key(n) for n in t)):
        ordered.add(triple)
    text = ordered.serialize(format="longturtle")
    # Split on line feeds only: str.splitlines() also splits at a form feed (a PDF's page break,
    # kept in the quoted source characters), which would break the literal holding it.
    used = "\n".join(
        line
        for line in text.split("\n")
        if not line.startswith("PREFIX ") or _prefix_used(line, text)
    )
    body = used.strip() + "\n"
    return (header.rstrip() + "\n\n" + body) if header else body


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
    name = prefix_line.split()[1]
    return text.count(name) > 1
