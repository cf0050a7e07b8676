"""The live endpoint behind `tipkg serve`: SPARQL 1.1 Protocol, worker processes, query page.

- server: uvicorn (with httptools) on one socket, running the application;
- app: the ASGI application (Starlette): /sparql, /query, the site, refusals, the log line;
- access: the checks an update passes (Origin, Sec-Fetch-Site, bearer token);
- scan: a SPARQL tokenizer that finds the query form, every SERVICE endpoint and LOAD source,
  the query's own dataset (FROM, FROM NAMED) and its nesting depth;
- formats: content negotiation between media types and pyoxigraph's serialisers;
- pool: worker processes that evaluate queries over the store, each under a time limit, slow
  queries on places of their own;
- page: the HTML query page;
- launch: start and stop `tipkg serve` and Oxigraph's server on loopback (tests, benchmarks).
"""
