"""Index pages: home, recommendations (by section, theme, strength, organisation), search,
participants, meeting and report, SKOS schemes, the ontology's documentation, pictures, dataset.

Each function reads the graph into plain values and renders its page's template
(templates/<kind>.html); the templates write the HTML, autoescaped.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict

import pyoxigraph as ox
from markupsafe import Markup

from tipkg.publish import vocab
from tipkg.publish.dataset import (
    CC_BY,
    DESCRIPTION_EN,
    DESCRIPTION_FR,
    TITLE_EN,
    TITLE_FR,
    UN_TERMS,
    Dump,
)
from tipkg.publish.html import A, Ctx, Lit, a, doc_formats, heading, link, page
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
from tipkg.publish.serverconf import site_prefix
from tipkg.publish.urls import ONTOLOGY_STEM, Links, dataset_iri, page_of

TIP = vocab.TIP

REC_PAGES: tuple[tuple[str, str], ...] = (
    ("recommendations.html", "recs.by_section"),
    ("recommendations-by-theme.html", "recs.by_theme"),
    ("recommendations-by-strength.html", "recs.by_strength"),
    ("recommendations-by-organisation.html", "recs.by_organisation"),
)

REC_COLUMNS = "number=printed;section=letter;modality=strength;text=text"
"""The CSV download of the recommendations page: recommendations.rq's columns (name=key of the
filter index; the number as printed, the same for the Working Group's)."""


def subnav(ctx: Ctx, current: str) -> list[dict[str, object]]:
    pages = [*REC_PAGES, ("search.html", "recs.search")]
    return [
        {"href": ctx.url(path), "name": ctx.t(key), "current": path == current}
        for path, key in pages
    ]


def _crumbs(ctx: Ctx, title: str) -> list[A]:
    return [
        a(ctx.url("index.html"), ctx.t("nav.home")),
        a(ctx.url("recommendations.html"), ctx.t("nav.recommendations")),
        A(title),
    ]


def _is_top_theme(ctx: Ctx, theme: str) -> bool:
    return bool(ctx.data.nodes(ox.NamedNode(theme), vocab.SKOS + "topConceptOf"))


def _rec_item(ctx: Ctx, rec: Rec, *, anchor: str = "") -> dict[str, object]:
    facts = [link(ctx, rec.strength)] if rec.strength else []
    facts += [link(ctx, t) for t in rec.themes if not _is_top_theme(ctx, t)]
    return {
        "id": anchor,
        "link": link(ctx, rec.iri),
        "facts": facts,
        "text": Lit(rec.text, rec.lang),
    }


def _numbers(ctx: Ctx, recs: list[Rec]) -> list[A]:
    return [a(ctx.links.iri(r.iri), r.printed, title=ctx.label(r.iri).text) for r in recs]


def recommendations_by_section(ctx: Ctx) -> bytes:
    recs = recommendations(ctx.data)
    by_section: defaultdict[str, list[Rec]] = defaultdict(list)
    for rec in recs:
        by_section[rec.section].append(rec)
    groups = []
    position = {rec.iri: i for i, rec in enumerate(recs)}
    for section in sorted(
        by_section, key=lambda s: (by_section[s][0].report, by_section[s][0].number)
    ):
        groups.append(
            {
                "id": "",
                "heading": heading(ctx, section) if section else None,
                "definition": "",
                "report": link(ctx, by_section[section][0].report),
                "numbers": [],
                "recs": [
                    {**_rec_item(ctx, r, anchor=f"rec-{r.number}"), "i": position[r.iri]}
                    for r in by_section[section]
                ],
            }
        )
    title = ctx.t("recs.section_title")
    return page(
        ctx,
        "recommendations.html",
        title=title,
        crumbs=_crumbs(ctx, title),
        subnav=subnav(ctx, "recommendations.html"),
        intro=ctx.t("recs.section_intro", count=len(recs)),
        toc=[],
        groups=groups,
        filters=filters(ctx, recs),
        columns=REC_COLUMNS,
        # JSON with every '<' as \u003c: cannot close the script element
        index=Markup(  # noqa: S704
            json.dumps(filter_index(ctx, recs), ensure_ascii=False, separators=(",", ":")).replace(
                "<", "\\u003c"
            )
        ),
    )


def _notation(ctx: Ctx, iri: str) -> str:
    return ctx.data.text(ox.NamedNode(iri), vocab.SKOS + "notation") or iri


def filter_index(ctx: Ctx, recs: list[Rec]) -> list[dict[str, object]]:
    """What the filters of the recommendations page match on, one entry per recommendation in
    the page's order; the CSV download's columns are recommendations.rq's."""
    return [
        {
            "number": rec.number,
            "printed": rec.printed,
            "iri": rec.iri,
            "report": rec.report,
            "mechanism": rec.mechanism,
            "section": rec.section,
            "letter": ctx.data.text(ox.NamedNode(rec.section), TIP + "letter")
            if rec.section
            else "",
            "strength": _notation(ctx, rec.strength) if rec.strength else "",
            "theme": [_notation(ctx, t) for t in rec.themes if not _is_top_theme(ctx, t)],
            "name": list(rec.names),
            "provision": list(rec.provisions),
            "text": rec.text,
            "lang": rec.lang,
        }
        for rec in recs
    ]


def filters(ctx: Ctx, recs: list[Rec]) -> list[dict[str, object]]:
    """The filters' choices: only values some recommendation has, labelled in the page's
    language; organisations and databases apart."""

    def option(iri: str, value: str = "") -> dict[str, str]:
        label = ctx.label(iri)
        return {"value": value or iri, "text": label.text, "lang": label.lang}

    def by_label(iris: set[str]) -> list[str]:
        return sorted(iris, key=lambda i: ctx.label(i).text.lower())

    themes = {t for r in recs for t in r.themes if not _is_top_theme(ctx, t)}
    names = {n for r in recs for n in r.names}
    databases = {n for n in names if TIP + "Database" in ctx.data.types(ox.NamedNode(n))}
    strengths = [s for s in strength_order(ctx.data) if any(r.strength == s for r in recs)]
    sections = list(dict.fromkeys(r.section for r in recs if r.section))
    reports = list(dict.fromkeys(r.report for r in recs if r.report))
    mechanisms = {r.mechanism for r in recs if r.mechanism}

    def one(options: list[dict[str, str]]) -> list[dict[str, object]]:
        return [{"label": "", "options": options}]

    return [
        {
            "name": "theme",
            "label": ctx.t("filter.theme"),
            "groups": one([option(t, _notation(ctx, t)) for t in by_label(themes)]),
        },
        {
            "name": "strength",
            "label": ctx.t("filter.strength"),
            "groups": one([option(s, _notation(ctx, s)) for s in strengths]),
        },
        {
            "name": "name",
            "label": ctx.t("filter.name"),
            "groups": [
                {
                    "label": ctx.t("filter.organisations"),
                    "options": [option(n) for n in by_label(names - databases)],
                },
                {
                    "label": ctx.t("filter.databases"),
                    "options": [option(n) for n in by_label(databases)],
                },
            ],
        },
        {
            "name": "provision",
            "label": ctx.t("filter.provision"),
            "groups": one([option(p) for p in by_label({p for r in recs for p in r.provisions})]),
        },
        {
            "name": "section",
            "label": ctx.t("filter.section"),
            "groups": one([option(s) for s in sections]),
        },
        {
            "name": "report",
            "label": ctx.t("filter.report"),
            "groups": one([option(r) for r in reports]),
        },
        {
            "name": "mechanism",
            "label": ctx.t("filter.mechanism"),
            "groups": one([option(m) for m in by_label(mechanisms)]),
        },
    ]


def _grouped_page(
    ctx: Ctx, path: str, title: str, intro: str, groups: list[tuple[str, list[Rec]]]
) -> bytes:
    toc = []
    shown = []
    for i, (key, recs) in enumerate(groups):
        label = ctx.label(key)
        toc.append({"link": a(f"#g-{i}", label.text, lang=label.lang), "count": len(recs)})
        shown.append(
            {
                "id": f"g-{i}",
                "heading": heading(ctx, key),
                "definition": _definition(ctx, key),
                "report": None,
                "numbers": _numbers(ctx, recs),
                "recs": [_rec_item(ctx, r) for r in recs],
            }
        )
    return page(
        ctx,
        "recommendations.html",
        title=title,
        crumbs=_crumbs(ctx, title),
        subnav=subnav(ctx, path),
        intro=intro,
        toc=toc,
        groups=shown,
        filters=[],
        columns=REC_COLUMNS,
        index="",
    )


def _definition(ctx: Ctx, iri: str) -> str:
    found = ctx.data.literals(ox.NamedNode(iri), vocab.SKOS + "definition")
    return found.get(ctx.lang) or found.get("en", "")


def recommendations_by_theme(ctx: Ctx) -> bytes:
    recs = recommendations(ctx.data)
    by: defaultdict[str, list[Rec]] = defaultdict(list)
    for rec in recs:
        for theme in rec.themes:
            by[theme].append(rec)
    order = sorted(by, key=lambda t: (-len(by[t]), ctx.label(t).text.lower()))
    return _grouped_page(
        ctx,
        "recommendations-by-theme.html",
        ctx.t("recs.theme_title"),
        ctx.t("recs.theme_intro"),
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
        ctx.t("recs.strength_title"),
        ctx.t("recs.strength_intro"),
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

    def rank(key: str) -> tuple[int, str]:
        types = ctx.data.types(ox.NamedNode(key))
        kind = kind_of(ctx.data, key)
        order = 1 if TIP + "Database" in types else 0 if kind != "other" else 2
        return (order, ctx.label(key).text.lower())

    return _grouped_page(
        ctx,
        "recommendations-by-organisation.html",
        ctx.t("recs.organisation_title"),
        ctx.t("recs.organisation_intro"),
        [(k, by[k]) for k in sorted(by, key=rank)],
    )


def fold(text: str) -> str:
    """Lower case, accents and typographic apostrophes folded: what the search matches on."""
    decomposed = unicodedata.normalize("NFD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def search_index(ctx: Ctx) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for rec in recommendations(ctx.data):
        themes = [ctx.label(t).text for t in rec.themes]
        names = [ctx.label(n).text for n in (*rec.names, *rec.provisions)]
        alt = [
            ctx.data.label(n, (lang,)).text
            for n in (*rec.themes, *rec.names)
            for lang in ("en", "fr")
        ]
        items.append(
            {
                "number": rec.number,
                "iri": rec.iri,
                "url": ctx.links.iri(rec.iri),
                "label": ctx.label(rec.iri).text,
                "text": rec.text,
                "lang": rec.lang,
                "strength": ctx.label(rec.strength).text if rec.strength else "",
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
    return page(
        ctx,
        "search.html",
        title=ctx.t("nav.search"),
        subnav=subnav(ctx, "search.html"),
        items=items,
        # JSON with every '<' as \u003c: cannot close the script element
        index=Markup(index),  # noqa: S704
    )


def participants_page(ctx: Ctx) -> bytes:
    meetings = []
    for meeting in ctx.data.instances(TIP + "Meeting"):
        by_who: defaultdict[str, list[A]] = defaultdict(list)
        behalf: dict[str, str] = {}
        for part in participations(ctx.data, meeting.value):
            role = ctx.label(part.role).text
            item = f" ({ctx.label(part.item).text})" if part.item else ""
            by_who[part.participant].append(a(ctx.links.iri(part.participation), role + item))
            if part.on_behalf_of:
                behalf[part.participant] = part.on_behalf_of
        kinds = []
        for kind, key in (
            ("state", "participants.states"),
            ("organization", "participants.organisations"),
            ("person", "participants.persons"),
            ("other", "participants.others"),
        ):
            who = sorted(
                (w for w in by_who if kind_of(ctx.data, w) == kind),
                key=lambda w: ctx.label(w).text.lower(),
            )
            if who:
                kinds.append(
                    {
                        "title": ctx.t(key),
                        "rows": [
                            {
                                "who": link(ctx, w),
                                "behalf": link(ctx, behalf[w]) if w in behalf else None,
                                "code": ctx.data.text(ox.NamedNode(w), TIP + "iso3166Alpha3"),
                                "parts": by_who[w],
                            }
                            for w in who
                        ],
                    }
                )
        meetings.append({"heading": heading(ctx, meeting.value), "kinds": kinds})
    return page(ctx, "participants.html", title=ctx.t("nav.participants"), meetings=meetings)


def meetings_page(ctx: Ctx) -> bytes:
    meetings = []
    for m in ctx.data.instances(TIP + "Meeting"):
        places = ctx.data.literals(m, TIP + "place")
        reports = []
        for report in ctx.data.subjects(TIP + "reportOf", m):
            assert isinstance(report, ox.NamedNode)
            reports.append(
                {
                    "link": link(ctx, report.value),
                    "kinds": [
                        link(ctx, k.value) for k in ctx.data.nodes(report, TIP + "documentKind")
                    ],
                    "count": len(
                        [r for r in recommendations(ctx.data) if r.report == report.value]
                    ),
                    "expressions": [
                        {
                            "link": link(ctx, e.value),
                            "files": [
                                link(ctx, f.value) for f in ctx.data.nodes(e, TIP + "hasFile")
                            ],
                        }
                        for e in ctx.data.nodes(report, TIP + "hasExpression")
                    ],
                }
            )
        meetings.append(
            {
                "heading": heading(ctx, m.value),
                "bodies": [link(ctx, b.value) for b in ctx.data.nodes(m, TIP + "meetingOf")],
                "place": places.get(ctx.lang) or next(iter(places.values()), ""),
                "start": ctx.data.text(m, TIP + "startDate"),
                "end": ctx.data.text(m, TIP + "endDate"),
                "agenda": [link(ctx, i.value) for i in ctx.data.nodes(m, TIP + "hasAgendaItem")],
                "participations": len(participations(ctx.data, m.value)),
                "reports": reports,
            }
        )
    return page(ctx, "meetings.html", title=ctx.t("nav.meetings"), meetings=meetings)


def schemes_page(ctx: Ctx) -> bytes:
    shown = []
    for scheme in schemes(ctx.data):
        rows = []
        for concept in concepts(ctx.data, scheme.value):
            labels = ctx.data.literals(concept, vocab.SKOS + "prefLabel")
            definition = ctx.data.literals(concept, vocab.SKOS + "definition")
            notation = ctx.data.text(concept, vocab.SKOS + "notation") or concept.value
            rows.append(
                {
                    "link": a(ctx.links.iri(concept.value), notation),
                    "en": labels.get("en", ""),
                    "fr": labels.get("fr", ""),
                    "broader": [
                        link(ctx, b.value) for b in ctx.data.nodes(concept, vocab.SKOS + "broader")
                    ],
                    "definition": Label(
                        definition.get(ctx.lang, definition.get("en", "")),
                        ctx.lang if ctx.lang in definition else "en",
                    ),
                }
            )
        shown.append(
            {
                "anchor": scheme.value.rsplit("/", 1)[-1],
                "heading": heading(ctx, scheme.value),
                "iri": scheme.value,
                "page": a(ctx.links.iri(scheme.value), ctx.t("schemes.page")),
                "definition": _definition(ctx, scheme.value),
                "concepts": rows,
            }
        )
    return page(ctx, "schemes.html", title=ctx.t("schemes.title"), schemes=shown)


_TERM_KINDS: tuple[tuple[str, str, str], ...] = (
    (vocab.OWL + "Class", "classes", "ontology.classes"),
    (vocab.OWL + "ObjectProperty", "object-properties", "ontology.object_properties"),
    (vocab.OWL + "DatatypeProperty", "datatype-properties", "ontology.datatype_properties"),
    (vocab.OWL + "AnnotationProperty", "annotation-properties", "ontology.annotation_properties"),
)


def ontology_page(ctx: Ctx, jsonld: bytes) -> bytes:
    """The ontology's documentation: every class and property with fr and en labels and
    definitions, generated from the build's ontology graph."""
    data = ctx.data
    onto = ox.NamedNode(TIP)
    titles = data.literals(onto, vocab.DCT + "title")
    kinds = []
    for cls, anchor, key in _TERM_KINDS:
        terms = [t for t in data.instances(cls) if t.value.startswith(TIP)]
        if terms:
            kinds.append(
                {"anchor": anchor, "title": ctx.t(key), "terms": [_term(ctx, t) for t in terms]}
            )
    return page(
        ctx,
        "ontology.html",
        title=titles.get(ctx.lang) or titles.get("en") or ctx.t("nav.ontology"),
        stem=ONTOLOGY_STEM,
        jsonld=jsonld,
        titles={"en": titles.get("en", "tipkg ontology"), "fr": titles.get("fr", "")},
        iri=TIP,
        version_iri=data.text(onto, vocab.OWL + "versionIRI"),
        version=data.text(onto, vocab.OWL + "versionInfo"),
        formats=doc_formats(ctx, ONTOLOGY_STEM),
        descriptions=data.literals(onto, vocab.DCT + "description"),
        licences=[link(ctx, lic.value) for lic in data.nodes(onto, vocab.DCT + "license")],
        modified=data.text(onto, vocab.DCT + "modified"),
        see_also=[link(ctx, s.value) for s in data.nodes(onto, vocab.RDFS + "seeAlso")],
        note=data.literals(onto, vocab.SKOS + "scopeNote").get(ctx.lang, ""),
        kinds=kinds,
    )


def _term(ctx: Ctx, term: ox.NamedNode) -> dict[str, object]:
    data = ctx.data
    facts = []
    for predicate, key in (
        (vocab.RDFS + "subClassOf", "ontology.subclass_of"),
        (vocab.RDFS + "subPropertyOf", "ontology.subproperty_of"),
        (vocab.RDFS + "domain", "ontology.domain"),
        (vocab.RDFS + "range", "ontology.range"),
        (vocab.OWL + "disjointWith", "ontology.disjoint_with"),
        (vocab.OWL + "equivalentClass", "ontology.equivalent_class"),
        (vocab.OWL + "inverseOf", "ontology.inverse_of"),
    ):
        values = [link(ctx, v.value) for v in data.nodes(term, predicate)]
        if values:
            facts.append({"name": ctx.t(key), "links": values})
    for predicate, key in (
        (vocab.RDFS + "subClassOf", "ontology.subclasses"),
        (vocab.RDFS + "domain", "ontology.with_domain"),
    ):
        found = data.subjects(predicate, term)
        subjects = [link(ctx, s.value) for s in found if isinstance(s, ox.NamedNode)]
        if subjects:
            facts.append({"name": ctx.t(key), "links": subjects})
    return {
        "local": term.value[len(TIP) :],
        "labels": data.literals(term, vocab.RDFS + "label"),
        "definitions": data.literals(term, vocab.SKOS + "definition"),
        "notes": data.literals(term, vocab.SKOS + "scopeNote"),
        "page": a(ctx.links.iri(term.value), ctx.t("schemes.page")),
        "facts": facts,
        "deprecated": data.text(term, vocab.OWL + "deprecated") == "true",
    }


def pictures_page(ctx: Ctx, pictures: list[tuple[str, str, bytes]]) -> bytes:
    shown = [
        {
            "href": ctx.url(path),
            "title": title,
            # drawn by svg.py, which escapes every label it writes
            "svg": Markup(svg.decode("utf-8").split("?>", 1)[-1].strip()),  # noqa: S704
        }
        for path, title, svg in pictures
    ]
    return page(ctx, "pictures.html", title=ctx.t("nav.pictures"), pictures=shown)


def home_page(ctx: Ctx) -> bytes:
    return page(
        ctx,
        "home.html",
        title=ctx.t("nav.home"),
        description=ctx.t("home.description"),
        counts={
            "recs": len(recommendations(ctx.data)),
            "reports": len(ctx.data.instances(TIP + "Report")),
            "meetings": len(ctx.data.instances(TIP + "Meeting")),
            "triples": len(ctx.data.triples),
        },
        subnav=subnav(ctx, ""),
        dataset=ctx.links.iri(dataset_iri()),
        dumps=[
            {"href": ctx.url(f"dumps/tipkg.{ext}"), "name": name}
            for ext, name in (
                ("ttl", "Turtle"),
                ("nt.gz", "N-Triples (gzip)"),
                ("jsonld", "JSON-LD"),
                ("rdf", "RDF/XML"),
            )
        ],
    )


def not_found_page(ctx: Ctx) -> bytes:
    """The 404 page. A static server answers every missing path, at any depth, with this one
    file, so links relative to where it is written would resolve against the missing path's
    folder: its links are absolute from the path the site is served under — the base URL's path,
    or with relative links the canonical base's (``/tipkg/``), the path the generated
    .htaccess and nginx.conf serve it from. No script needed. `tipkg serve` renders it for the
    path asked (``here`` is that path, not 404.html), where relative links work."""
    if ctx.links.relative and page_of(ctx.links.here) == "404.html":
        prefix = site_prefix(ctx.links.absolute)
        ctx = Ctx(ctx.data, Links(prefix, ctx.links.here, ctx.links.lang))
    return page(ctx, "not_found.html", title=ctx.t("notfound.title"))


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return str(n)


def _dump_title(ctx: Ctx, dump: Dump) -> str:
    """A dump's title for people in the page's language (the RDF's dct:title stays English): its
    kind, then the syntax its own title gives in parentheses."""
    syntax = dump.title.rsplit(" (", 1)[-1].removesuffix(")") if " (" in dump.title else ""
    if dump.subset:
        name = dump.path.removeprefix("dumps/").removesuffix(".ttl")
        return ctx.t("dataset.dump_graph", name=name, syntax=syntax)
    if dump.key == "shapes":
        return ctx.t("dataset.dump_shapes", syntax=syntax)
    return ctx.t("dataset.dump_whole", syntax=syntax)


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
    from tipkg.publish.urls import CANONICAL, sparql_endpoint

    whole = [d for d in dumps if not d.subset]
    subsets = [d for d in dumps if d.subset]
    if shapes is not None:
        whole.append(shapes)

    def rows(items: list[Dump]) -> list[dict[str, object]]:
        return [
            {
                "href": ctx.url(d.path),
                "name": d.path.removeprefix("dumps/"),
                "title": _dump_title(ctx, d),
                "media_type": d.media_type,
                "compressed": d.compressed,
                "size": _size(len(d.body)),
                "sha256": d.sha256,
            }
            for d in items
        ]

    titles = {"en": TITLE_EN, "fr": TITLE_FR}
    other = "en" if ctx.lang == "fr" else "fr"
    return page(
        ctx,
        "dataset.html",
        title=ctx.t("dataset.title"),
        stem=stem,
        jsonld=jsonld,
        # the dataset's title in the page's language, the other beside it
        titles={"main": titles[ctx.lang], "alt": titles[other], "alt_lang": other},
        iri=dataset_iri(),
        formats=doc_formats(ctx, stem),
        description=DESCRIPTION_FR if ctx.lang == "fr" else DESCRIPTION_EN,
        cc_by=CC_BY,
        un_terms=UN_TERMS,
        version=__version__,
        time=ctx.data.time,
        built_by=link(ctx, ctx.data.build_iri),
        whole=rows(whole),
        subsets=rows(subsets),
        canonical=CANONICAL,
        endpoint=sparql_endpoint(),
        # the names of the statistics are VoID's properties (void:triples …): said for people
        stats=[
            {"name": ctx.t(f"dataset.stat.{name}"), "term": name, "count": count}
            for name, count in stats.items()
        ],
        vocabularies=[a(ctx.links.iri(v) or v, v) for v in vocabularies],
        examples=[link(ctx, e) for e in examples],
    )
