"""The reference data: States, organisations, instruments and provisions (data/reference/*.ttl)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from tipkg.errors import InputError
from tipkg.paths import REFERENCE_DIR


def reference_files(directory: Path = REFERENCE_DIR) -> list[Path]:
    return sorted(directory.glob("*.ttl"))


def load_reference(directory: Path = REFERENCE_DIR) -> Graph:
    graph = Graph()
    for path in reference_files(directory):
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises several parser exception types
            raise InputError(path, getattr(err, "lines", None), f"not valid Turtle: {err}") from err
    if len(graph) == 0:
        raise InputError(directory, None, "no reference data (*.ttl) found")
    return graph
