"""The ontology as the build uses it: every ontology/*.ttl, with its version stamped.

The hand-edited Turtle carries no owl:versionInfo or owl:versionIRI: the version is kept in one
place (pyproject.toml, read through ``tipkg.__version__``) and stamped here, at load time.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, Graph, Literal, URIRef

from tipkg import __version__
from tipkg.paths import ONTOLOGY_DIR

ONTOLOGY_IRI = URIRef("https://w3id.org/tipkg/def/")
"""The ontology's IRI, which is also the namespace of its terms (prefix ``tip:``)."""


def version_iri(version: str = __version__) -> URIRef:
    """The IRI of one release of the ontology: ``https://w3id.org/tipkg/def/<version>/``."""
    if not version or "/" in version or any(c.isspace() for c in version):
        raise ValueError(f"not a usable version: {version!r}")
    return URIRef(f"{ONTOLOGY_IRI}{version}/")


def ontology_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    """The Turtle files that make up the ontology, in a stable order."""
    return sorted(directory.glob("*.ttl"))


def load_ontology(directory: Path = ONTOLOGY_DIR, version: str = __version__) -> Graph:
    """Parse every ``*.ttl`` under ``directory`` into one graph and stamp the version on it.

    Adds ``owl:versionInfo "<version>"`` and ``owl:versionIRI <…/def/<version>/>`` to the ontology
    header. A source file that already states either is an error: the version lives in
    pyproject.toml only.
    """
    files = ontology_files(directory)
    if not files:
        raise FileNotFoundError(f"no ontology files (*.ttl) in {directory}")
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    for prop in (OWL.versionInfo, OWL.versionIRI):
        if (ONTOLOGY_IRI, prop, None) in graph:
            raise ValueError(
                f"{prop.n3(graph.namespace_manager)} is stated in {directory}: "
                "the version is stamped at load time from pyproject.toml, not typed in a file"
            )
    graph.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(version)))
    graph.add((ONTOLOGY_IRI, OWL.versionIRI, version_iri(version)))
    return graph
