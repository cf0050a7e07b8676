"""Pictures drawn at build time as plain SVG: readable without JavaScript, a <title> on the
picture and on every mark, every label escaped, links to the resources' pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from html import escape

import pyoxigraph as ox

from tipkg.publish import vocab
from tipkg.publish.html import Ctx
from tipkg.publish.records import recommendations, strength_order

FONT = 12
CHAR = 6.8  # average width of a character at FONT px, for laying labels out
TIP = vocab.TIP
PALETTE = ("#1f5f8b", "#3c8d5a", "#b5651d", "#7a4e9c", "#a83246", "#4b6b7a")


def _x(text: object) -> str:
    return escape(str(text), quote=True)


def _svg(name: str, width: float, height: float, title: str, desc: str, body: list[str]) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-labelledby="{name}-title {name}-desc" font-family="system-ui, sans-serif" '
        f'font-size="{FONT}">\n'
        f'<title id="{name}-title">{_x(title)}</title>\n<desc id="{name}-desc">{_x(desc)}</desc>\n'
    )
    return (head + "\n".join(body) + "\n</svg>\n").encode("utf-8")


def _link(url: str | None, inner: str) -> str:
    return f'<a href="{_x(url)}">{inner}</a>' if url else inner


def _count(ctx: Ctx, n: int) -> str:
    """ "3 recommendations", in the page's language (French takes the singular for 0 and 1)."""
    one = n == 1 or (n == 0 and ctx.lang == "fr")
    return ctx.t("pictures.count_one" if one else "pictures.count_many", count=n)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def themes_matrix(ctx: Ctx) -> bytes:
    """Themes (rows) × recommendations (columns): a filled cell where a theme was given."""
    recs = recommendations(ctx.data)
    by_theme: defaultdict[str, set[str]] = defaultdict(set)
    for rec in recs:
        for theme in rec.themes:
            by_theme[theme].add(rec.iri)
    themes = sorted(by_theme, key=lambda t: (-len(by_theme[t]), ctx.label(t).text.lower()))
    labels = {t: _short(ctx.label(t).text, 48) for t in themes}
    cell, gap = 18, 2
    left = 12 + CHAR * max((len(v) for v in labels.values()), default=10)
    top = 40
    width = left + len(recs) * (cell + gap) + 60
    height = top + len(themes) * (cell + gap) + 20
    body = [
        f'<text x="{left:.0f}" y="14" font-weight="bold">'
        f"{_x(ctx.t('pictures.recommendation'))}</text>",
        f'<text x="{left + len(recs) * (cell + gap) + 8:.0f}" y="{top - 8}" font-weight="bold">'
        f"{_x(ctx.t('pictures.count'))}</text>",
    ]
    for j, rec in enumerate(recs):
        x = left + j * (cell + gap)
        body.append(
            f'<text x="{x + cell / 2:.0f}" y="{top - 8}" text-anchor="middle" font-size="10">'
            f"{_x(rec.printed)}</text>"
        )
    for i, theme in enumerate(themes):
        y = top + i * (cell + gap)
        theme_label = ctx.label(theme).text
        body.append(
            _link(
                ctx.links.iri(theme),
                f'<text x="{left - 8:.0f}" y="{y + cell - 5}" text-anchor="end">'
                f"<title>{_x(theme_label)}</title>{_x(labels[theme])}</text>",
            )
        )
        for j, rec in enumerate(recs):
            x = left + j * (cell + gap)
            if rec.iri in by_theme[theme]:
                title = f"{ctx.label(rec.iri).text}: {theme_label}"
                body.append(
                    _link(
                        ctx.links.iri(rec.iri),
                        f'<rect x="{x:.0f}" y="{y}" width="{cell}" height="{cell}" '
                        f'fill="{PALETTE[0]}"><title>{_x(title)}</title></rect>',
                    )
                )
            else:
                body.append(
                    f'<rect x="{x:.0f}" y="{y}" width="{cell}" height="{cell}" fill="#eef1f4"/>'
                )
        body.append(
            f'<text x="{left + len(recs) * (cell + gap) + 8:.0f}" y="{y + cell - 5}">'
            f"{len(by_theme[theme])}</text>"
        )
    return _svg(
        "themes",
        width,
        height,
        ctx.t("pictures.themes"),
        ctx.t("pictures.themes_desc", themes=len(themes), recs=len(recs)),
        body,
    )


def strengths_bars(ctx: Ctx) -> bytes:
    """How many recommendations per strength, as horizontal bars."""
    recs = recommendations(ctx.data)
    counts: defaultdict[str, int] = defaultdict(int)
    for rec in recs:
        counts[rec.strength] += 1
    order = [s for s in strength_order(ctx.data)] + sorted(
        s for s in counts if s and s not in strength_order(ctx.data)
    )
    labels = {s: ctx.label(s).text for s in order}
    left = 16 + CHAR * max((len(v) for v in labels.values()), default=10)
    bar, gap, scale = 26, 10, 360 / max(max(counts.values(), default=1), 1)
    width = left + 360 + 60
    height = 20 + len(order) * (bar + gap) + 10
    body = []
    for i, strength in enumerate(order):
        y = 20 + i * (bar + gap)
        n = counts.get(strength, 0)
        title = f"{labels[strength]}: {_count(ctx, n)}"
        body.append(
            _link(
                ctx.links.iri(strength),
                f'<text x="{left - 8:.0f}" y="{y + bar / 2 + 4:.0f}" text-anchor="end">'
                f"{_x(labels[strength])}</text>",
            )
        )
        body.append(
            f'<rect x="{left:.0f}" y="{y}" width="{max(n * scale, 1):.0f}" height="{bar}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"><title>{_x(title)}</title></rect>'
        )
        body.append(f'<text x="{left + n * scale + 6:.0f}" y="{y + bar / 2 + 4:.0f}">{n}</text>')
    return _svg(
        "strengths",
        width,
        height,
        ctx.t("pictures.strengths"),
        "; ".join(f"{labels[s]}: {counts.get(s, 0)}" for s in order),
        body,
    )


def organisations_network(ctx: Ctx) -> bytes:
    """Organisations, then databases drawn apart (squares, under their own heading), on the left,
    linked to the recommendations that name them (right)."""
    recs = [r for r in recommendations(ctx.data) if r.names]
    named = {n for r in recs for n in r.names}
    databases = sorted(
        (n for n in named if TIP + "Database" in ctx.data.types(ox.NamedNode(n))),
        key=lambda n: ctx.label(n).text.lower(),
    )
    organisations = sorted(set(named) - set(databases), key=lambda n: ctx.label(n).text.lower())
    orgs = organisations + databases

    def label(iri: str) -> str:
        return ctx.label(iri).text

    left_labels = {o: _short(label(o), 60) for o in orgs}
    row = 30
    left = 16 + CHAR * max((len(v) for v in left_labels.values()), default=10)
    gap = 260
    right = left + gap
    slots = len(orgs) + (1 if databases else 0)  # a slot for the databases' heading
    height = 30 + max(slots, len(recs), 1) * row
    width = right + 200

    def y_of(i: int, n: int) -> float:
        return 30 + (i + 0.5) * (height - 40) / max(n, 1)

    org_y = {o: y_of(i, slots) for i, o in enumerate(organisations)}
    org_y |= {d: y_of(len(organisations) + 1 + i, slots) for i, d in enumerate(databases)}
    rec_y = {r.iri: y_of(i, len(recs)) for i, r in enumerate(recs)}
    body = [
        f'<text x="{left:.0f}" y="16" text-anchor="end" font-weight="bold">'
        f"{_x(ctx.t('pictures.organisation'))}</text>",
        *(
            [
                f'<text x="{left:.0f}" y="{y_of(len(organisations), slots) + 4:.0f}" '
                f'text-anchor="end" font-weight="bold">{_x(ctx.t("pictures.database"))}</text>'
            ]
            if databases
            else []
        ),
        f'<text x="{right:.0f}" y="16" font-weight="bold">'
        f"{_x(ctx.t('pictures.recommendation'))}</text>",
    ]
    for rec in recs:
        for org in rec.names:
            y1, y2 = org_y[org], rec_y[rec.iri]
            mid = (left + right) / 2
            body.append(
                f'<path d="M{left + 6:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} '
                f'{right - 6:.0f},{y2:.0f}" fill="none" stroke="#7f8c99" stroke-width="1.5">'
                f"<title>{_x(ctx.t('pictures.names', rec=label(rec.iri), org=label(org)))}"
                "</title></path>"
            )
    for org in orgs:
        y = org_y[org]
        mark = (
            f'<rect x="{left - 6:.0f}" y="{y - 6:.0f}" width="12" height="12" '
            f'fill="{PALETTE[2]}" class="database">'
            if org in databases
            else f'<circle cx="{left:.0f}" cy="{y:.0f}" r="6" fill="{PALETTE[1]}">'
        )
        end = "</rect>" if org in databases else "</circle>"
        body.append(
            _link(
                ctx.links.iri(org),
                f"{mark}<title>{_x(label(org))}</title>{end}"
                f'<text x="{left - 12:.0f}" y="{y + 4:.0f}" text-anchor="end">'
                f"{_x(left_labels[org])}</text>",
            )
        )
    for rec in recs:
        y = rec_y[rec.iri]
        body.append(
            _link(
                ctx.links.iri(rec.iri),
                f'<circle cx="{right:.0f}" cy="{y:.0f}" r="6" fill="{PALETTE[0]}">'
                f"<title>{_x(label(rec.iri))}</title></circle>"
                f'<text x="{right + 12:.0f}" y="{y + 4:.0f}">{_x(label(rec.iri))}</text>',
            )
        )
    if not orgs:
        body.append(f'<text x="20" y="40">{_x(ctx.t("pictures.none"))}</text>')
    edges = sum(len(r.names) for r in recs)
    return _svg(
        "network",
        width,
        height,
        ctx.t("pictures.network"),
        ctx.t(
            "pictures.network_desc",
            organisations=len(organisations),
            databases=len(databases),
            edges=edges,
            recs=len(recs),
        ),
        body,
    )


PICTURES: tuple[tuple[str, str, Callable[[Ctx], bytes]], ...] = (
    ("pictures/themes-matrix.svg", "pictures.themes", themes_matrix),
    ("pictures/strengths.svg", "pictures.strengths", strengths_bars),
    ("pictures/organisations-network.svg", "pictures.network", organisations_network),
)
"""Each picture: its file, the message key of its heading (drawn in the page's language: the
files at pictures/ are the English ones, the pictures page embeds each in its own language), and
how it is drawn."""
