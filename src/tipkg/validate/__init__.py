"""The gate: SHACL on data, SPARQL QC rules, OWL consistency with HermiT."""
