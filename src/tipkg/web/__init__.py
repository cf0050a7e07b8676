"""The live endpoint behind `tipkg serve`: SPARQL 1.1 Protocol, worker processes, query page.

- scan: a SPARQL tokenizer that finds the query form and every SERVICE endpoint;
- formats: content negotiation between media types and pyoxigraph's serialisers;
- pool: worker processes that evaluate queries over the store, each under a time limit;
- page: the HTML query page.
"""
