"""The HTML query page: the competency questions as ready examples, a form, the rows as a table.

The page is rendered on the server and holds no script: no request leaves for any other host, and
every value put into the HTML goes through html.escape (the server also sends a Content-Security-
Policy that forbids scripts and any resource from elsewhere).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlencode

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


def title_of(text: str, fallback: str) -> str:
    """The first sentence of the query's leading comment (its first line, or more when the
    sentence runs on to the next line)."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        lines.append(stripped.lstrip("#").strip())
    comment = " ".join(line for line in lines if line)
    if not comment:
        return fallback
    end = comment.find(". ")
    return comment[: end + 1] if end >= 0 else comment


def load_examples(directory: Path) -> list[Example]:
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        examples.append(Example(path.stem, title_of(text, path.stem), text))
    return examples


@dataclass(frozen=True)
class Outcome:
    """What a query gave, for the page: an error, or the body of a successful answer."""

    status: int
    content_type: str
    body: bytes
    rows: int
    ms: float


def _cell(term: dict[str, object]) -> str:
    kind = term.get("type")
    if kind == "triple":
        value = term.get("value")
        if isinstance(value, dict):
            parts = [_cell(value[k]) for k in ("subject", "predicate", "object") if k in value]
            return "&lt;&lt; " + " ".join(parts) + " &gt;&gt;"
        return ""
    text = escape(str(term.get("value", "")))
    if kind == "bnode":
        return f"_:{text}"
    if kind == "uri":
        return f"<span class=iri>{text}</span>"
    if "xml:lang" in term:
        return f"{text} <span class=tag>@{escape(str(term['xml:lang']))}</span>"
    if "datatype" in term:
        datatype = escape(str(term["datatype"]))
        return f'<span title="{datatype}">{text}</span>'
    return text


def _results_html(outcome: Outcome) -> str:
    if outcome.status >= 400:
        message = outcome.body.decode("utf-8", "replace").strip()
        return (
            f"<p class=error role=alert>Error {outcome.status}: <span class=msg>"
            f"{escape(message)}</span></p>"
        )
    summary = f"<p class=meta>{outcome.rows} rows in {outcome.ms:.1f} ms</p>"
    if "json" not in outcome.content_type or "sparql-results" not in outcome.content_type:
        text = outcome.body.decode("utf-8", "replace")
        return summary + f"<pre class=graph>{escape(text)}</pre>"
    document = json.loads(outcome.body)
    if "boolean" in document:
        return f"<p class=meta>ASK: <strong>{escape(str(document['boolean']).lower())}</strong></p>"
    names: list[str] = [str(n) for n in document["head"]["vars"]]
    head = "".join(f"<th>{escape(name)}</th>" for name in names)
    body = []
    for binding in document["results"]["bindings"]:
        cells = "".join(
            f"<td>{_cell(binding[name]) if name in binding else ''}</td>" for name in names
        )
        body.append(f"<tr>{cells}</tr>")
    return f"{summary}<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;
color:#1b1b1b}
h1{font-size:1.4rem;margin:0 0 .3rem}.meta,.lead{color:#555}
textarea{width:100%;min-height:14rem;font:13px/1.4 ui-monospace,monospace;box-sizing:border-box}
ul.examples{columns:2;padding-left:1.2rem}ul.examples li{break-inside:avoid;margin:.15rem 0}
table{border-collapse:collapse;width:100%;font-size:13px;margin-top:.5rem}
th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f2f2f2;position:sticky;top:0}.iri{font-family:ui-monospace,monospace;
word-break:break-all}.tag{color:#777;font-size:11px}
.error{background:#fde8e8;border:1px solid #e0a0a0;padding:.5rem}
pre.graph{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:12px}
button{font-size:15px;padding:.3rem 1.2rem}.links a{margin-right:1rem}
"""


def render(
    examples: list[Example],
    query: str,
    outcome: Outcome | None,
    *,
    endpoint: str = "/sparql",
    limits: str = "",
) -> bytes:
    """The whole page: examples, the form holding `query`, and the outcome when there is one."""
    items = "".join(
        f'<li><a href="/query?{escape(urlencode({"example": ex.name}))}">{escape(ex.name)}</a> — '
        f"{escape(ex.title)}</li>"
        for ex in examples
    )
    downloads = ""
    if query.strip():
        links = []
        for fmt in ("json", "csv", "tsv", "xml"):
            href = f"{endpoint}?{urlencode({'query': query, 'format': fmt})}"
            links.append(f'<a href="{escape(href)}">{fmt.upper()}</a>')
        downloads = f"<p class=links>Same query at the endpoint: {''.join(links)}</p>"
    results = _results_html(outcome) if outcome is not None else ""
    page = f"""<!DOCTYPE html>
<html lang=en>
<head>
<meta charset=utf-8>
<meta name=viewport content="width=device-width, initial-scale=1">
<title>tipkg — SPARQL query</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>tipkg — the recommendations of the Working Group on Trafficking in Persons</h1>
<p class=lead>SPARQL 1.1 endpoint at <code>{escape(endpoint)}</code>. {escape(limits)}</p>
<h2>Competency questions</h2>
<ul class=examples>{items}</ul>
<form method=get action="/query">
<label for=query>Query</label>
<textarea id=query name=query spellcheck=false>{escape(query)}</textarea>
<p><button type=submit>Run</button></p>
</form>
{downloads}
{results}
</body>
</html>
"""
    return page.encode("utf-8")
