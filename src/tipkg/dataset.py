"""The SPARQL 1.1 dataset of a query, for pyoxigraph: one rule for `tipkg query` and `tipkg serve`.

No rdflib here: the endpoint's worker processes import this module, and start faster without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from tipkg.web.scan import scan


def dataset(
    query: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
) -> dict[str, Any]:
    """The SPARQL 1.1 dataset of a query, as the keyword arguments of pyoxigraph's Store.query.

    - default-graph-uri / named-graph-uri given (the protocol's dataset): they override the
      query's own FROM / FROM NAMED (SPARQL 1.1 Protocol §2.1.4); a list left out is empty.
    - otherwise, FROM / FROM NAMED in the query: pyoxigraph honours them by itself when given no
      dataset argument (use_default_graph_as_union would replace the FROM graphs by the union).
    - neither: the default graph is the union of the build's named graphs, every named graph
      available to GRAPH.

    Raises ValueError for a graph name that is no IRI."""
    if default_graphs or named_graphs:
        return {
            "default_graph": [ox.NamedNode(graph) for graph in default_graphs],
            "named_graphs": [ox.NamedNode(graph) for graph in named_graphs],
        }
    if scan(query).has_dataset:
        return {}
    return {"use_default_graph_as_union": True}
