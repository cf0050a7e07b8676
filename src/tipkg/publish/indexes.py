"""Index pages: home, recommendations (by section, theme, strength, organisation), search,
participants, meeting and report, SKOS schemes, the ontology's documentation, pictures."""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict

import pyoxigraph as ox

from tipkg.publish import vocab
from tipkg.publish.dataset import CC_BY, DESCRIPTION_EN, TITLE_EN, TITLE_FR, UN_TERMS, Dump
from tipkg.publish.html import (
    Ctx,
    a,
    doc_formats,
    esc,
    heading,
    label_html,
    lang_attr,
    link,
    page,
    ul,
)
from tipkg.publish.model import Label
from tipkg.publish.records import (
    Rec,
    concepts,
    kind_of,
    participations,
    recommendations,
    schemes,
    strength_order,
)
from tipkg.publish.urls import ONTOLOGY_STEM, dataset_iri

TIP = vocab.TIP

REC_PAGES: tuple[tuple[str, str], ...] = (
    ("recommendations.html", "by section"),
    ("recommendations-by-theme.html", "by theme"),
    ("recommendations-by-strength.html", "by strength"),
    ("recommendations-by-organisation.html", "by organisation named"),
)


def _rec_title(ctx: Ctx, rec: Rec) -> str:
    return link(ctx, rec.iri)


def _rec_item(ctx: Ctx, rec: Rec, *, anchor: str = "") -> str:
    facts = [link(ctx, rec.strength)] if rec.strength else []
    facts += [link(ctx, t) for t in rec.themes if not _is_top_theme(ctx, t)]
    text = f"<p{lang_attr(rec.lang)}>{esc(rec.text)}</p>"
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return (
        f'<article class="rec"{ident}><h3>{_rec_title(ctx, rec)}</h3>'
        f'<p class="facts">{" · ".join(facts)}</p>{text}</article>'
    )


def _is_top_theme(ctx: Ctx, theme: str) -> bool:
    return bool(ctx.data.nodes(ox.NamedNode(theme), vocab.SKOS + "topConceptOf"))


def _rec_links(ctx: Ctx, recs: list[Rec]) -> str:
    return ", ".join(
        a(ctx.links.iri(r.iri), str(r.number), title=ctx.data.label(r.iri).text) for r in recs
    )


def _subnav(ctx: Ctx, current: str) -> str:
    items = []
    for path, name in REC_PAGES:
        if path == current:
            items.append(f'<li><strong aria-current="page">{esc(name)}</strong></li>')
        else:
            items.append(f"<li>{a(ctx.url(path), name)}</li>")
    if current == "search.html":
        items.append('<li><strong aria-current="page">search</strong></li>')
    else:
        items.append(f"<li>{a(ctx.url('search.html'), 'search')}</li>")
    return f'<nav aria-label="Recommendations" class="subnav"><ul>{"".join(items)}</ul></nav>'


def recommendations_by_section(ctx: Ctx) -> bytes:
    recs = recommendations(ctx.data)
    by_section: defaultdict[str, list[Rec]] = defaultdict(list)
    for rec in recs:
        by_section[rec.section].append(rec)
    body = [
        "<h1>Recommendations by section</h1>",
        _subnav(ctx, "recommendations.html"),
        f"<p>{len(recs)} recommendations, as published, repaired of extraction damage only.</p>",
    ]
    for section in sorted(
        by_section, key=lambda s: (by_section[s][0].report, by_section[s][0].number)
    ):
        body.append(
            '<section class="group">'
            + (heading(ctx, section, 2) if section else "<h2>Without section</h2>")
        )
        body.append(f'<p class="facts">In {link(ctx, by_section[section][0].report)}</p>')
        body.extend(_rec_item(ctx, rec, anchor=f"rec-{rec.number}") for rec in by_section[section])
        body.append("</section>")
    return page(ctx, title="Recommendations by section", body="\n".join(body))


def _grouped_page(
    ctx: Ctx, path: str, title: str, intro: str, groups: list[tuple[str, list[Rec]]]
) -> bytes:
    body = [f"<h1>{esc(title)}</h1>", _subnav(ctx, path), f"<p>{esc(intro)}</p>"]
    toc = [
        a(f"#g-{i}", ctx.data.label(key).text, lang=ctx.data.label(key).lang) + f" ({len(recs)})"
        for i, (key, recs) in enumerate(groups)
    ]
    body.append(ul(toc, "toc"))
    for i, (key, recs) in enumerate(groups):
        body.append(f'<section class="group" id="g-{i}">{heading(ctx, key, 2)}')
        definition = _definition(ctx, key)
        if definition:
            body.append(definition)
        body.append(f"<p>{_plural(len(recs), 'recommendation')}: {_rec_links(ctx, recs)}</p>")
        body.extend(_rec_item(ctx, rec) for rec in recs)
        body.append("</section>")
    return page(ctx, title=title, body="\n".join(body))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _definition(ctx: Ctx, iri: str) -> str:
    found = ctx.data.literals(ox.NamedNode(iri), vocab.SKOS + "definition")
    if "en" in found:
        return f'<p class="definition">{esc(found["en"])}</p>'
    return ""


def recommendations_by_theme(ctx: Ctx) -> bytes:
    recs = recommendations(ctx.data)
    by: defaultdict[str, list[Rec]] = defaultdict(list)
    for rec in recs:
        for theme in rec.themes:
            by[theme].append(rec)
    order = sorted(by, key=lambda t: (-len(by[t]), ctx.data.label(t).text.lower()))
    return _grouped_page(
        ctx,
        "recommendations-by-theme.html",
        "Recommendations by theme",
        "Themes are given by the words of each recommendation (see a recommendation's page "
        "for the words and the rule); a recommendation may have several.",
        [(t, by[t]) for t in order],
    )


def recommendations_by_strength(ctx: Ctx) -> bytes:
    recs = recommendations(ctx.data)
    by: defaultdict[str, list[Rec]] = defaultdict(list)
    for rec in recs:
        by[rec.strength].append(rec)
    order = [s for s in strength_order(ctx.data) if s in by] + sorted(
        s for s in by if s not in strength_order(ctx.data)
    )
    return _grouped_page(
        ctx,
        "recommendations-by-strength.html",
        "Recommendations by strength",
        "The strength is read from the operative clause: devraient (should), devraient "
        "envisager (should consider), sont encouragés à (encouraged), pourraient envisager "
        "(may consider).",
        [(s, by[s]) for s in order if s],
    )


def recommendations_by_organisation(ctx: Ctx) -> bytes:
    recs = recommendations(ctx.data)
    by: defaultdict[str, list[Rec]] = defaultdict(list)
    for rec in recs:
        for name in rec.names:
            by[name].append(rec)
        for provision in rec.provisions:
            by[provision].append(rec)
    orgs = sorted(
        (k for k in by if kind_of(ctx.data, k) != "other"),
        key=lambda k: ctx.data.label(k).text.lower(),
    )
    others = sorted(
        (k for k in by if kind_of(ctx.data, k) == "other"),
        key=lambda k: ctx.data.label(k).text.lower(),
    )
    return _grouped_page(
        ctx,
        "recommendations-by-organisation.html",
        "Recommendations by organisation named",
        "The organisations and databases each recommendation names, then the treaty "
        "provisions it cites.",
        [(k, by[k]) for k in (*orgs, *others)],
    )


def fold(text: str) -> str:
    """Lower case, accents and typographic apostrophes folded: what the search matches on."""
    decomposed = unicodedata.normalize("NFD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_index(ctx: Ctx) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for rec in recommendations(ctx.data):
        themes = [ctx.data.label(t).text for t in rec.themes]
        names = [ctx.data.label(n).text for n in (*rec.names, *rec.provisions)]
        alt = [ctx.data.label(n, ("fr",)).text for n in (*rec.themes, *rec.names)]
        items.append(
            {
                "number": rec.number,
                "iri": rec.iri,
                "url": ctx.links.iri(rec.iri),
                "label": ctx.data.label(rec.iri).text,
                "text": rec.text,
                "lang": rec.lang,
                "strength": ctx.data.label(rec.strength).text if rec.strength else "",
                "themes": themes,
                "names": names,
                "key": fold(" ".join([rec.text, *themes, *names, *alt, str(rec.number)])),
            }
        )
    return items


def search_json(ctx: Ctx) -> bytes:
    return (json.dumps(search_index(ctx), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def search_page(ctx: Ctx) -> bytes:
    items = search_index(ctx)
    index = json.dumps(items, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    listing = []
    for item in items:
        listing.append(
            f'<li data-n="{esc(item["number"])}">'
            f'<a href="{esc(item["url"])}">{esc(item["label"])}</a>'
            f' <span class="facts">{esc(item["strength"])}</span>'
            f"<p{lang_attr(str(item['lang']))}>{esc(item['text'])}</p></li>"
        )
    body = f"""<h1>Search the recommendations</h1>
{_subnav(ctx, "search.html")}
<form id="search" role="search" hidden>
<label for="q">Words to find (in the text, themes and names; accents optional)</label>
<input type="search" id="q" name="q" autocomplete="off">
<p id="count" aria-live="polite"></p>
</form>
<noscript><p>Without JavaScript every recommendation is listed below: use your browser's
find in page.</p></noscript>
<ul id="results" class="results">
{"".join(listing)}
</ul>
<script type="application/json" id="search-index">{index}</script>
<script src="{esc(ctx.url("static/search.js"))}"></script>"""
    return page(ctx, title="Search", body=body)


def participants_page(ctx: Ctx) -> bytes:
    body = ["<h1>Participants</h1>"]
    for meeting in ctx.data.instances(TIP + "Meeting"):
        parts = participations(ctx.data, meeting.value)
        body.append(f'<section class="group">{heading(ctx, meeting.value, 2)}')
        by_who: defaultdict[str, list[str]] = defaultdict(list)
        behalf: dict[str, str] = {}
        for part in parts:
            role = ctx.data.label(part.role).text
            item = f" ({ctx.data.label(part.item).text})" if part.item else ""
            by_who[part.participant].append(a(ctx.links.iri(part.participation), role + item))
            if part.on_behalf_of:
                behalf[part.participant] = part.on_behalf_of
        for kind, title in (
            ("state", "States"),
            ("organization", "Organisations"),
            ("person", "Persons"),
            ("other", "Others"),
        ):
            who = sorted(
                (w for w in by_who if kind_of(ctx.data, w) == kind),
                key=lambda w: ctx.data.label(w).text.lower(),
            )
            if not who:
                continue
            rows = []
            for w in who:
                code = ctx.data.text(ox.NamedNode(w), TIP + "iso3166Alpha3")
                extra = f" for {link(ctx, behalf[w])}" if w in behalf else ""
                rows.append(
                    f'<tr><th scope="row">{link(ctx, w)}{extra}</th><td>{esc(code)}</td>'
                    f"<td>{ul(by_who[w])}</td></tr>"
                )
            body.append(
                f"<h3>{esc(title)} ({len(who)})</h3>"
                '<div class="scroll"><table><thead><tr><th scope="col">who</th>'
                '<th scope="col">ISO 3166</th><th scope="col">part in the meeting</th></tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table></div>"
            )
        body.append("</section>")
    return page(ctx, title="Participants", body="\n".join(body))


def meetings_page(ctx: Ctx) -> bytes:
    body = ["<h1>Meeting and report</h1>"]
    for meeting in ctx.data.instances(TIP + "Meeting"):
        m = meeting
        places = ctx.data.literals(m, TIP + "place")
        agenda = ctx.data.nodes(m, TIP + "hasAgendaItem")
        place = places.get("en") or next(iter(places.values()), "")
        facts = [f"Body: {link(ctx, b.value)}" for b in ctx.data.nodes(m, TIP + "meetingOf")] + [
            f"Place: {esc(place)}",
            f"Dates: {esc(ctx.data.text(m, TIP + 'startDate'))} to "
            f"{esc(ctx.data.text(m, TIP + 'endDate'))}",
            "Agenda items: " + ", ".join(link(ctx, i.value) for i in agenda),
            f"{a(ctx.url('participants.html'), 'Participants')}: "
            + _plural(len(participations(ctx.data, m.value)), "participation"),
        ]
        body.append(f'<section class="group">{heading(ctx, m.value, 2)}{ul(facts)}')
        for report in ctx.data.subjects(TIP + "reportOf", m):
            assert isinstance(report, ox.NamedNode)
            recs = [r for r in recommendations(ctx.data) if r.report == report.value]
            items = [
                "Kind: "
                + ", ".join(
                    link(ctx, k.value) for k in ctx.data.nodes(report, TIP + "documentKind")
                ),
                f"Recommendations: {a(ctx.url('recommendations.html'), str(len(recs)))}",
            ]
            for expression in ctx.data.nodes(report, TIP + "hasExpression"):
                files = [link(ctx, f.value) for f in ctx.data.nodes(expression, TIP + "hasFile")]
                items.append(
                    f"Language version: {link(ctx, expression.value)} — {', '.join(files)}"
                )
            body.append(f"<h3>Report: {link(ctx, report.value)}</h3>{ul(items)}")
        body.append("</section>")
    return page(ctx, title="Meeting and report", body="\n".join(body))


def _labels_fr_en(ctx: Ctx, iri: str, predicate: str) -> str:
    found = ctx.data.literals(ox.NamedNode(iri), predicate)
    cells = []
    for lang in ("en", "fr"):
        cells.append(f"<td{lang_attr(lang)}>{esc(found.get(lang, ''))}</td>")
    return "".join(cells)


def schemes_page(ctx: Ctx) -> bytes:
    body = [
        "<h1>SKOS concept schemes</h1>",
        "<p>The controlled vocabularies of tipkg, with French and English labels.</p>",
    ]
    all_schemes = schemes(ctx.data)
    body.append(
        ul(
            [
                a("#" + s.value.rsplit("/", 1)[-1], ctx.data.label(s.value).text)
                for s in all_schemes
            ],
            "toc",
        )
    )
    for scheme in all_schemes:
        anchor = scheme.value.rsplit("/", 1)[-1]
        body.append(f'<section class="group" id="{esc(anchor)}">{heading(ctx, scheme.value, 2)}')
        body.append(
            f'<p class="iri">IRI <code>{esc(scheme.value)}</code> · '
            f"{a(ctx.links.iri(scheme.value), 'page')}</p>"
        )
        body.append(_definition(ctx, scheme.value))
        rows = []
        for concept in concepts(ctx.data, scheme.value):
            broader = ", ".join(
                link(ctx, b.value) for b in ctx.data.nodes(concept, vocab.SKOS + "broader")
            )
            definition = ctx.data.literals(concept, vocab.SKOS + "definition")
            notation = ctx.data.text(concept, vocab.SKOS + "notation") or concept.value
            rows.append(
                f'<tr><th scope="row">{a(ctx.links.iri(concept.value), notation)}</th>'
                + _labels_fr_en(ctx, concept.value, vocab.SKOS + "prefLabel")
                + f"<td>{broader}</td><td>{esc(definition.get('en', ''))}</td></tr>"
            )
        body.append(
            '<div class="scroll"><table><thead><tr><th scope="col">notation</th>'
            '<th scope="col">English</th>'
            '<th scope="col">French</th><th scope="col">broader</th><th scope="col">definition</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
        )
    return page(ctx, title="SKOS concept schemes", body="\n".join(body))


_TERM_KINDS: tuple[tuple[str, str, str], ...] = (
    (vocab.OWL + "Class", "classes", "Classes"),
    (vocab.OWL + "ObjectProperty", "object-properties", "Object properties"),
    (vocab.OWL + "DatatypeProperty", "datatype-properties", "Datatype properties"),
    (vocab.OWL + "AnnotationProperty", "annotation-properties", "Annotation properties"),
)


def ontology_page(ctx: Ctx, jsonld: bytes) -> bytes:
    """The ontology's documentation: every class and property with fr and en labels and
    definitions, generated from the build's ontology graph."""
    data = ctx.data
    onto = ox.NamedNode(TIP)
    titles = data.literals(onto, vocab.DCT + "title")
    descriptions = data.literals(onto, vocab.DCT + "description")
    body = [
        f"<h1>{esc(titles.get('en', 'tipkg ontology'))}</h1>",
        f'<p class="alt" lang="fr">{esc(titles.get("fr", ""))}</p>' if "fr" in titles else "",
        f'<p class="iri">IRI <code>{esc(TIP)}</code> · version '
        f"<code>{esc(data.text(onto, vocab.OWL + 'versionIRI'))}</code> "
        f"({esc(data.text(onto, vocab.OWL + 'versionInfo'))}) · prefix <code>tip:</code></p>",
        doc_formats(ctx, ONTOLOGY_STEM),
        f"<p>{esc(descriptions.get('en', ''))}</p>",
        f'<p lang="fr">{esc(descriptions.get("fr", ""))}</p>' if "fr" in descriptions else "",
    ]
    facts = [f"Licence: {link(ctx, lic.value)}" for lic in data.nodes(onto, vocab.DCT + "license")]
    facts.append(f"Modified: {esc(data.text(onto, vocab.DCT + 'modified'))}")
    facts += [f"See also: {link(ctx, s.value)}" for s in data.nodes(onto, vocab.RDFS + "seeAlso")]
    body.append(ul(facts))
    notes = data.literals(onto, vocab.SKOS + "scopeNote")
    if "en" in notes:
        body.append(f'<p class="note">{esc(notes["en"])}</p>')
    kinds = [
        (cls, anchor, title, [t for t in data.instances(cls) if t.value.startswith(TIP)])
        for cls, anchor, title in _TERM_KINDS
    ]
    kinds = [k for k in kinds if k[3]]
    toc = [a(f"#{anchor}", f"{title} ({len(terms)})") for _, anchor, title, terms in kinds]
    toc.append(a(ctx.url("schemes.html"), "Concept schemes"))
    body.append(f'<nav aria-label="Contents">{ul(toc, "toc")}</nav>')
    for _, anchor, title, terms in kinds:
        body.append(f'<section class="group" id="{anchor}"><h2>{esc(title)} ({len(terms)})</h2>')
        body.append(
            ul(
                [a("#" + t.value[len(TIP) :], data.label(t.value).text) for t in terms],
                "toc inline",
            )
        )
        body.extend(_term(ctx, t) for t in terms)
        body.append("</section>")
    return page(
        ctx,
        title=titles.get("en", "Ontology"),
        body="\n".join(b for b in body if b),
        stem=ONTOLOGY_STEM,
        jsonld=jsonld,
    )


def _term(ctx: Ctx, term: ox.NamedNode) -> str:
    data = ctx.data
    local = term.value[len(TIP) :]
    labels = data.literals(term, vocab.RDFS + "label")
    definitions = data.literals(term, vocab.SKOS + "definition")
    notes = data.literals(term, vocab.SKOS + "scopeNote")
    rows = [
        f'<tr><th scope="row">label</th><td>{esc(labels.get("en", ""))}</td>'
        f'<td lang="fr">{esc(labels.get("fr", ""))}</td></tr>',
        f'<tr><th scope="row">definition</th><td>{esc(definitions.get("en", ""))}</td>'
        f'<td lang="fr">{esc(definitions.get("fr", ""))}</td></tr>',
    ]
    if notes:
        rows.append(
            f'<tr><th scope="row">scope note</th><td>{esc(notes.get("en", ""))}</td>'
            f'<td lang="fr">{esc(notes.get("fr", ""))}</td></tr>'
        )
    facts = []
    for predicate, name in (
        (vocab.RDFS + "subClassOf", "subclass of"),
        (vocab.RDFS + "subPropertyOf", "subproperty of"),
        (vocab.RDFS + "domain", "domain"),
        (vocab.RDFS + "range", "range"),
        (vocab.OWL + "disjointWith", "disjoint with"),
        (vocab.OWL + "equivalentClass", "equivalent class"),
        (vocab.OWL + "inverseOf", "inverse of"),
    ):
        values = [link(ctx, v.value) for v in data.nodes(term, predicate)]
        if values:
            facts.append(f"{esc(name)}: {', '.join(values)}")
    for predicate, name in (
        (vocab.RDFS + "subClassOf", "subclasses"),
        (vocab.RDFS + "domain", "properties with this domain"),
    ):
        found = data.subjects(predicate, term)
        subjects = [link(ctx, s.value) for s in found if isinstance(s, ox.NamedNode)]
        if subjects:
            facts.append(f"{name}: {', '.join(subjects)}")
    if data.text(term, vocab.OWL + "deprecated") == "true":
        facts.append("<strong>deprecated</strong>")
    return (
        f'<article class="term" id="{esc(local)}">'
        f"<h3>{label_html(Label(labels.get('en', local), 'en'))} "
        f'<span class="alt" lang="fr">{esc(labels.get("fr", ""))}</span></h3>'
        f'<p class="iri"><code>tip:{esc(local)}</code> · {a(ctx.links.iri(term.value), "page")}</p>'
        '<div class="scroll"><table class="term"><thead><tr><th scope="col"></th>'
        '<th scope="col">English</th><th scope="col" lang="fr">français</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"{ul(facts)}</article>"
    )


def pictures_page(ctx: Ctx, pictures: list[tuple[str, str, bytes]]) -> bytes:
    body = [
        "<h1>Pictures</h1>",
        "<p>Drawn at build time as SVG; each is also a file of its own.</p>",
    ]
    for path, title, svg in pictures:
        inline = svg.decode("utf-8").split("?>", 1)[-1].strip()
        body.append(
            f'<figure class="picture"><figcaption><h2>{esc(title)}</h2>'
            f"{a(ctx.url(path), 'SVG file')}</figcaption>"
            f'<div class="scroll">{inline}</div></figure>'
        )
    return page(ctx, title="Pictures", body="\n".join(body))


def home_page(ctx: Ctx) -> bytes:
    recs = recommendations(ctx.data)
    meetings = ctx.data.instances(TIP + "Meeting")
    reports = ctx.data.instances(TIP + "Report")
    body = f"""<h1>Recommendations of the Working Group on Trafficking in Persons</h1>
<p class="alt" lang="fr">Recommandations du Groupe de travail sur la traite des personnes</p>
<p>The recommendations of the Working Group on Trafficking in Persons (a body of the Conference of
the Parties to the United Nations Convention against Transnational Organized Crime) as linked open
data: {len(recs)} recommendations from {len(reports)} report{"s" if len(reports) != 1 else ""},
{len(meetings)} meeting{"s" if len(meetings) != 1 else ""}, {len(ctx.data.triples)} triples. Every
resource has a page for people and Turtle, JSON-LD, N-Triples and RDF/XML for machines.</p>
<form class="quick-search" action="{esc(ctx.url("search.html"))}" method="get" role="search">
<label for="home-q">Search the recommendations</label>
<input type="search" id="home-q" name="q"> <button type="submit">Search</button>
</form>
<h2>Browse</h2>
{
        ul(
            [
                a(ctx.url("recommendations.html"), "Recommendations by section")
                + " · "
                + " · ".join(a(ctx.url(p), n) for p, n in REC_PAGES[1:]),
                a(ctx.url("participants.html"), "States and organisations at the meeting"),
                a(ctx.url("meetings.html"), "The meeting and the report"),
                a(ctx.url("pictures.html"), "Pictures: themes, strengths, organisations"),
            ]
        )
    }
<h2>Vocabulary</h2>
{
        ul(
            [
                a(ctx.url(ONTOLOGY_STEM + ".html"), "The ontology")
                + " (classes and properties, in English and French)",
                a(ctx.url("schemes.html"), "SKOS concept schemes")
                + " (strengths, themes, roles, addressees, kinds of document)",
            ]
        )
    }
<h2>Data</h2>
{
        ul(
            [
                a(ctx.links.iri(dataset_iri()), "The dataset")
                + ": licence, dumps, statistics, SPARQL endpoint",
                "Dumps: "
                + " · ".join(
                    a(ctx.url(f"dumps/tipkg.{ext}"), name)
                    for ext, name in (
                        ("ttl", "Turtle"),
                        ("nt.gz", "N-Triples (gzip)"),
                        ("jsonld", "JSON-LD"),
                        ("rdf", "RDF/XML"),
                    )
                ),
                a(ctx.url("sparql"), "SPARQL endpoint")
                + " (where the site is served by tipkg serve)",
            ]
        )
    }"""
    return page(
        ctx,
        title="Home",
        body=body,
        description="The recommendations of the UN Working Group on Trafficking in Persons "
        "as linked open data.",
    )


def not_found_page(ctx: Ctx) -> bytes:
    body = (
        "<h1>Not found</h1><p>There is no page here. Try the "
        f"{a(ctx.url('index.html'), 'home page')} or the {a(ctx.url('search.html'), 'search')}.</p>"
    )
    return page(ctx, title="Not found", body=body)


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return str(n)


def dataset_page(
    ctx: Ctx,
    *,
    stem: str,
    jsonld: bytes,
    dumps: list[Dump],
    shapes: Dump | None,
    stats: dict[str, int],
    vocabularies: list[str],
    examples: list[str],
) -> bytes:
    """The human page of the dataset: what it is, its licence, its dumps and how to reach it."""
    from tipkg import __version__
    from tipkg.publish.urls import CANONICAL, dataset_iri, sparql_endpoint

    whole = [d for d in dumps if not d.subset]
    subsets = [d for d in dumps if d.subset]
    if shapes is not None:
        whole.append(shapes)

    def rows(items: list[Dump]) -> str:
        return "".join(
            f'<tr><th scope="row">{a(ctx.url(d.path), d.path.removeprefix("dumps/"))}</th>'
            f"<td>{esc(d.title)}</td><td><code>{esc(d.media_type)}</code>"
            f"{' (gzip)' if d.compressed else ''}</td><td>{esc(_size(len(d.body)))}</td>"
            f'<td><code class="hash">{esc(d.sha256)}</code></td></tr>'
            for d in items
        )

    head = (
        '<thead><tr><th scope="col">file</th><th scope="col">content</th>'
        '<th scope="col">media type</th><th scope="col">size</th><th scope="col">SHA-256</th>'
        "</tr></thead>"
    )
    stat_rows = "".join(
        f'<tr><th scope="row">{esc(name)}</th><td>{count}</td></tr>'
        for name, count in stats.items()
    )
    body = f"""<h1>{esc(TITLE_EN)}</h1>
<p class="alt" lang="fr">{esc(TITLE_FR)}</p>
<p class="iri">IRI <code>{
        esc(dataset_iri())
    }</code> · a <code>dcat:Dataset</code> and <code>void:Dataset</code></p>
{doc_formats(ctx, stem)}
<p>{esc(DESCRIPTION_EN)}</p>
<h2>Licence</h2>
<p>The tipkg data is published under {a(CC_BY, "Creative Commons Attribution 4.0 (CC BY 4.0)")}.
Text quoted from United Nations documents (the recommendations, paragraphs and headings, and the
source files) remains subject to the {a(UN_TERMS, "United Nations terms of use")}.</p>
<h2>Version</h2>
{
        ul(
            [
                f"Version {esc(__version__)}, issued and modified {esc(ctx.data.time)} "
                "(the build's time)",
                f"Built by {link(ctx, ctx.data.build_iri)}",
                "Publisher: tipkg developers",
                f"Vocabulary: {a(ctx.url(ONTOLOGY_STEM + '.html'), 'the tipkg ontology')}",
            ]
        )
    }
<h2>Dumps</h2>
<p>Each file's checksum is also in {a(ctx.url("dumps/SHA256SUMS"), "SHA256SUMS")}
(<code>sha256sum -c SHA256SUMS</code> in the dumps directory).</p>
<div class="scroll"><table>{head}<tbody>{rows(whole)}</tbody></table></div>
<h3>Named graphs</h3>
<p>The graph is kept in named graphs; each one's IRI (<code>{esc(CANONICAL)}graph/…</code>)
redirects to its dump.</p>
<div class="scroll"><table>{head}<tbody>{rows(subsets)}</tbody></table></div>
<h2>Querying</h2>
<p>SPARQL endpoint: <code>{esc(sparql_endpoint())}</code> (where the site is served by
<code>tipkg serve</code>; a static copy of the site has none).</p>
<h2>Statistics</h2>
<div class="scroll"><table><tbody>{stat_rows}</tbody></table></div>
<p>Entities are the IRIs under <code>{esc(CANONICAL)}id/</code> that are subjects.</p>
<h2>Vocabularies used</h2>
{ul([a(ctx.links.iri(v) or v, v) for v in vocabularies])}
<h2>Example resources</h2>
{ul([link(ctx, e) for e in examples])}
<h2>IRIs and formats</h2>
<p>Every IRI under <code>{esc(CANONICAL)}id/</code> and <code>{esc(CANONICAL)}def/</code>
answers 303 See Other to its document, <code>…/doc/…</code>, in the format the Accept header asks
for: HTML, Turtle (<code>text/turtle</code>), JSON-LD (<code>application/ld+json</code>),
N-Triples (<code>application/n-triples</code>) or RDF/XML (<code>application/rdf+xml</code>);
each document is also at its own suffix (.html, .ttl, .jsonld, .nt, .rdf). The rules for a
static host: {a(ctx.url(".htaccess"), "Apache .htaccess")}, {a(ctx.url("nginx.conf"), "nginx")}.
Pages: {a(ctx.url("sitemap.xml"), "sitemap")}.</p>"""
    return page(ctx, title="Dataset", body=body, stem=stem, jsonld=jsonld)
