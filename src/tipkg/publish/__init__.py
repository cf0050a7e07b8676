"""`tipkg publish`: the graph as open data, for people (HTML) and machines (RDF).

- ``publish(build_dir, out, base_url)`` writes a static site any web server can host: a page and
  four RDF documents per resource, index pages, pictures, dumps with checksums, the VoID / DCAT
  description, a sitemap, and content-negotiation rules for Apache and nginx.
- ``respond(path, accept)`` answers one request of the same site, for ``tipkg serve``.

The URL design is in tipkg.publish.urls; negotiation in tipkg.publish.negotiate.
"""

from tipkg.publish.negotiate import Responder, Response, configure, respond
from tipkg.publish.site import DEFAULT_BASE_URL, PublishSummary, Site, publish

__all__ = [
    "DEFAULT_BASE_URL",
    "PublishSummary",
    "Responder",
    "Response",
    "Site",
    "configure",
    "publish",
    "respond",
]
