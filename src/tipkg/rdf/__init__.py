"""Records to RDF: the graph of a report, canonical Turtle."""
