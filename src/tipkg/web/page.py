"""The HTML query page: the competency questions as ready examples, a form, the rows as a table.

Rendered on the server from the site's template (tipkg/publish/templates/query.html, in the frame
and navigation of the static site) and holding no script: no request leaves for any other host,
every value is escaped by Jinja2's autoescaping, and the server sends a Content-Security-Policy
that forbids scripts and any resource from elsewhere. An IRI in the results links to its page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from tipkg.publish import templating
from tipkg.publish.html import frame_for
from tipkg.publish.questions import Example, Table, load_examples, run_link, table, title_of
from tipkg.publish.urls import Links, lang_prefix

__all__ = ["CSP", "Example", "Outcome", "load_examples", "render", "title_of"]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

HERE = "query.html"
"""Where the query page is in the site's navigation (`tipkg serve` also answers /query)."""


@dataclass(frozen=True)
class Outcome:
    """What a query gave, for the page: an error, or the body of a successful answer."""

    status: int
    content_type: str
    body: bytes
    rows: int
    ms: float


@dataclass(frozen=True)
class Shown:
    rows: int
    ms: str
    ask: str | None = None
    table: Table | None = None
    text: str = ""


def _shown(outcome: Outcome, links: Links) -> Shown:
    ms = f"{outcome.ms:.1f}"
    if "json" not in outcome.content_type or "sparql-results" not in outcome.content_type:
        return Shown(outcome.rows, ms, text=outcome.body.decode("utf-8", "replace"))
    document = json.loads(outcome.body)
    if "boolean" in document:
        return Shown(outcome.rows, ms, ask=str(document["boolean"]).lower())
    return Shown(outcome.rows, ms, table=table(document, links))


def render(
    examples: list[Example],
    query: str,
    outcome: Outcome | None,
    *,
    endpoint: str = "/sparql",
    limits: str = "",
    lang: str = templating.DEFAULT_LANG,
) -> bytes:
    """The whole page: examples, the form holding `query`, and the outcome when there is one;
    in French at fr/query.html."""
    links = Links("", lang_prefix(lang) + HERE)
    root = links.pages
    downloads = []
    if query.strip():
        for fmt in ("json", "csv", "tsv", "xml"):
            downloads.append(
                {
                    "name": fmt.upper(),
                    "href": f"{links.base}{endpoint.lstrip('/')}?"
                    + urlencode({"query": query, "format": fmt}),
                }
            )
    error = None
    shown = None
    if outcome is not None and outcome.status >= 400:
        error = {
            "status": outcome.status,
            "message": outcome.body.decode("utf-8", "replace").strip(),
        }
    elif outcome is not None:
        shown = _shown(outcome, links)
    return templating.render(
        "query.html",
        lang=lang,
        **frame_for(links, title=templating.translate("query.title", lang)),
        live=True,
        endpoint=endpoint,
        limits=limits,
        action=HERE,
        query=query,
        downloads=downloads,
        error=error,
        outcome=shown,
        examples=[
            {
                "name": ex.name,
                "title": ex.title,
                "href": f"{root}questions/{ex.name}.html",
                "run": run_link(root, ex.name),
            }
            for ex in examples
        ],
    )
