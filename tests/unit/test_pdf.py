"""The PDF reader (issue 16): official UN PDFs read in reading order, furniture dropped by
position and repetition, notes kept apart, every line's page and box; bad PDFs refused."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from pdfs import pages_pdf, pdf_bytes

from tipkg import iris
from tipkg.errors import InputError
from tipkg.extract.furniture import find_furniture, mask, paged
from tipkg.extract.pdf import PdfText, headings_inside, link_notes, read_pdf
from tipkg.extract.records import Note
from tipkg.extract.report import extract
from tipkg.extract.source import read_source
from tipkg.ontology import load_ontology
from tipkg.paths import SOURCES_DIR
from tipkg.rdf.rules import rules_from
from tipkg.reference import load_reference

PDFS = Path(__file__).parents[1] / "fixtures" / "pdf"
REPORT = SOURCES_DIR / "upr-a-hrc-43-15.en.pdf"
ADDENDUM = SOURCES_DIR / "upr-a-hrc-43-15-add-1.en.pdf"


@pytest.mark.parametrize(
    ("pdf", "pages", "symbol", "job"),
    [
        (REPORT, 24, "A/HRC/43/15", "GE.19-21936(E)"),
        (ADDENDUM, 8, "A/HRC/43/15/Add.1", "GE.20-02535(E)"),
    ],
)
def test_the_furniture_of_every_page_is_dropped(
    pdf: Path, pages: int, symbol: str, job: str
) -> None:
    read = read_pdf(pdf)
    assert read.pages == pages
    dropped = [(line.page, line.text) for line in read.furniture]
    # The running header of every page but the first, and its page number.
    for page in range(2, pages + 1):
        assert (page, symbol) in dropped and (page, str(page)) in dropped
    assert (1, job) in dropped
    assert job not in read.text
    # Only the masthead of the first page names the symbol.
    assert read.text.count(symbol) == 1
    assert "Distr.: General" in read.text.splitlines()[1]  # the masthead's own line stays


@pytest.mark.parametrize(
    ("pdf", "text"),
    [
        (REPORT, "a-hrc-43-15.pdftotext.txt"),
        (ADDENDUM, "a-hrc-43-15-add-1.pdftotext.txt"),
    ],
)
def test_the_words_are_pdftotexts_without_its_furniture_and_notes(pdf: Path, text: str) -> None:
    read = read_pdf(pdf)
    words = read.text.split()
    source = (PDFS / text).read_text(encoding="utf-8")
    expected = find_furniture_free_words(source)
    [note] = read.notes
    assert note.page == 1 and note.call == "*"
    note_words = ["*", *note.text.split()]
    at = next(i for i in range(len(expected)) if expected[i : i + len(note_words)] == note_words)
    # The title's call "Review*" is set smaller than the title: a call, taken out of the text.
    [call] = read.calls
    assert (call.page, call.mark) == (1, "*")
    assert read.text[call.offset - 6 : call.offset] == "Review"
    title = expected.index("Review*")
    expected[title] = "Review"
    assert words == expected[:at] + expected[at + len(note_words) :]
    # The text's reading masks the note too, as a footnote at the foot of its page (issue 15):
    # the same words as the PDF's, the title's call aside.
    view = paged(source).view.split()
    view[view.index("Review*")] = "Review"
    assert view == words


def find_furniture_free_words(text: str) -> list[str]:
    """The words of a pdftotext text without its running headers and footers (footnotes kept)."""
    return mask(text, find_furniture(text)).split()


def test_a_note_is_linked_to_the_text_that_calls_it(tmp_path: Path) -> None:
    """A footnote called by a raised, smaller number inside a paragraph: the number leaves the
    paragraph's text, and the note is linked to that paragraph; a note without a call, and a
    call without a note, are said."""
    body = (
        b"BT /F1 10 Tf 1 0 0 1 72 760 Tm (1. States should ratify the Protocol) Tj "
        b"/F1 6 Tf 3 Ts (12) Tj 0 Ts /F1 10 Tf ( and apply it.) Tj ET\n"
        b"BT /F1 10 Tf 1 0 0 1 72 730 Tm (2. They should train judges) Tj "
        b"/F1 6 Tf 3 Ts (13) Tj 0 Ts /F1 10 Tf (.) Tj ET\n"
        b"BT /F1 8 Tf 1 0 0 1 72 120 Tm (12 Entered into force on 25 December 2003.) Tj ET\n"
        b"BT /F1 8 Tf 1 0 0 1 72 110 Tm (14 A note whose call is nowhere.) Tj ET"
    )
    read = _read_one_page(tmp_path, body)
    assert read.text.split("\n\n")[0] == "1. States should ratify the Protocol and apply it."
    assert [(c.page, c.mark) for c in read.calls] == [(1, "12"), (1, "13")]
    first = read.text.index("1. ")
    second = read.text.index("2. ")
    holders = [
        ("paragraph", "1", first, second - 2),
        ("paragraph", "2", second, len(read.text.rstrip())),
    ]
    notes, doubts = link_notes(read, holders)
    assert [(n.call, n.text, n.page, n.called_from) for n in notes] == [
        ("12", "Entered into force on 25 December 2003.", 1, ("paragraph", "1")),
        ("14", "A note whose call is nowhere.", 1, None),
    ]
    assert [what for _, what in doubts] == [
        "note 14 of page 1: no call in the text; kept apart",
        "a note call «13» on page 1 whose note was not found",
    ]


def test_every_line_knows_its_page_and_box() -> None:
    read = read_pdf(REPORT)
    start = read.text.index("121.1 Ratify the International Convention")
    end = read.text.index("(Lithuania);", start) + len("(Lithuania);")
    [(page, left, top, width, height)] = list(read.boxes(start, end))
    assert page == 11  # where pdftotext puts it too: after the tenth form feed
    assert 0 < left < 200 and 0 < top < 842 and 200 < width < 500 and 10 < height < 40
    assert read.metadata["producer"].startswith("Microsoft")
    assert read.metadata["created"].startswith("D:2019")


def _page(content: bytes) -> list[bytes]:
    """The objects of a one-page PDF with the given content stream (6 may follow)."""
    stream = zlib.compress(content)
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def test_a_small_pdf_of_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.pdf"
    path.write_bytes(pdf_bytes(_page(b"BT /F1 12 Tf 72 700 Td (States parties should act.) Tj ET")))
    assert read_pdf(path).text.strip() == "States parties should act."


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"Recommendation 1\nStates parties should act.\n", "not a PDF"),
        (pdf_bytes(_page(b"0 0 1 rg 72 72 200 200 re f")), "no text layer"),
        (pdf_bytes(_page(b"BT /F1 12 Tf 72 700 Td (Text) Tj ET"))[:300], "damaged or truncated"),
        (
            pdf_bytes(
                _page(b"BT /F1 12 Tf 72 700 Td (Text) Tj ET")
                + [
                    b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
                    b"/O <" + b"00" * 32 + b"> /U <" + b"11" * 32 + b"> >>"
                ],
                b"/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> "
                b"<0123456789abcdef0123456789abcdef>] ",
            ),
            "encrypted",
        ),
    ],
    ids=["not-a-pdf", "image-only", "truncated", "encrypted"],
)
def test_a_bad_pdf_is_refused_with_a_clear_message(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read_pdf(path)
    assert problem in str(raised.value) and str(path) in str(raised.value)


def test_a_warning_in_a_pdf_names_the_page_and_its_line() -> None:
    """A line of the text tipkg derives from a PDF is nowhere a reader can look: warnings and
    errors name the PDF's page and the line on it, counted from the top (running header
    included), as a reader counts them."""
    rules = rules_from(
        load_ontology() + load_reference(), frozenset({str(iris.organization("upr-wg"))})
    )
    source = read_source(ADDENDUM)
    _, warnings = extract(source, rules)
    [hyphen] = [w for w in warnings if "«under-represented»" in w.problem]
    # Page 3 of A/HRC/43/15/Add.1: "… Opportunities for Women and Men Act with the aim to
    # increase the share of the under-" is its 11th line.
    assert (hyphen.page, hyphen.line) == (3, 11)
    assert str(hyphen).startswith(f"{ADDENDUM}, page 3, line 11: warning: reply 122.23–24:")
    assert source.pdf is not None
    error = source.pdf.locate(InputError(ADDENDUM, hyphen_line(source.text), "a problem"))
    assert str(error) == f"{ADDENDUM}, page 3, line 11: a problem"


def hyphen_line(text: str) -> int:
    return 1 + text[: text.index("under-\n")].count("\n")


def test_the_title_pages_note_is_the_reports_own() -> None:
    """A/HRC/43/15's title ends with a call, "Review*", whose note stands at the foot of page 1:
    the note is the report's, its call outside any numbered text."""
    rules = rules_from(
        load_ontology() + load_reference(), frozenset({str(iris.organization("upr-wg"))})
    )
    report, warnings = extract(read_source(REPORT), rules)
    # Every heading of the report in larger type is one the profile reads: none is doubted.
    assert not [w for w in warnings if "heading type" in w.problem]
    assert report.notes == [
        Note(
            1,
            "*",
            "The annex is being circulated without formal editing, in the language of submission "
            "only.",
            1,
            ("report", ""),
        )
    ]


def test_a_line_in_heading_type_inside_a_text_is_said(tmp_path: Path) -> None:
    """A heading whose words the profile does not know is read as the text before it; its type,
    larger than the body's, says it is a heading: a warning, with the page and line."""
    body = (
        b"BT /F1 10 Tf 1 0 0 1 72 760 Tm (1. The delegation presented the report.) Tj ET\n"
        b"BT /F1 10 Tf 1 0 0 1 72 746 Tm (It thanked the States that had spoken.) Tj ET\n"
        b"BT /F1 14 Tf 1 0 0 1 72 716 Tm (Observations of the troika) Tj ET\n"
        b"BT /F1 10 Tf 1 0 0 1 72 690 Tm (The troika had no observation.) Tj ET"
    )
    read = _read_one_page(tmp_path, body)
    holders = [("paragraph", "1", 0, len(read.text.rstrip()))]
    [(offset, what)] = headings_inside(read, holders)
    assert read.text[offset:].startswith("Observations of the troika")
    assert what == (
        "paragraph 1: «Observations of the troika» is set in heading type (14 pt, the text 10 "
        "pt) inside its text: a heading not recognised?"
    )


def test_a_table_is_read_row_by_row_and_cell_by_cell(tmp_path: Path) -> None:
    """A matrix of responses (a recommendation, its text over several lines, its position set
    on the row's first line): each row's cells are read in turn, never a position inside a
    text, and a row opens as a paragraph does; the page is said to be a table."""
    rows = [
        (["99.1 Ratify the Convention on the Reduction", "of Statelessness"], "Supported"),
        (["99.2 Adopt a law on the rights of persons with"], "Noted"),
        (["99.3 Strengthen the national human rights", "institution and its funding"], "Supported"),
    ]
    ops = [b"BT /F1 10 Tf 1 0 0 1 72 760 Tm (1. The State responds as follows.) Tj ET"]
    y = 730
    for texts, position in rows:
        ops.append(b"BT /F1 10 Tf 1 0 0 1 420 %d Tm (%s) Tj ET" % (y, position.encode()))
        for text in texts:
            ops.append(b"BT /F1 10 Tf 1 0 0 1 72 %d Tm (%s) Tj ET" % (y, text.encode()))
            y -= 14
    read = _read_one_page(tmp_path, b"\n".join(ops))
    assert read.text.split("\n") == [
        "1. The State responds as follows.",
        "",
        "99.1 Ratify the Convention on the Reduction",
        "of Statelessness",
        "Supported",
        "",
        "99.2 Adopt a law on the rights of persons with",
        "Noted",
        "",
        "99.3 Strengthen the national human rights",
        "institution and its funding",
        "Supported",
        "",
    ]
    [(offset, what)] = read.in_columns()
    assert read.text[offset:].startswith("1. The State")
    assert what == (
        "page 1 is set in columns, a table: read row by row, each row's cells in turn; check "
        "what was read"
    )
    # Running text, hanging item numbers included, has no gutter.
    assert read_pdf(REPORT).in_columns() == [] and read_pdf(ADDENDUM).in_columns() == []


def test_columns_of_text_are_read_one_after_the_other(tmp_path: Path) -> None:
    left = ["1. The Working Group met in", "Vienna and adopted the", "recommendations below."]
    right = ["2. States parties should", "ratify the Protocol and", "apply it without delay."]
    ops = []
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        y = 760 - 14 * index
        ops.append(b"BT /F1 10 Tf 1 0 0 1 72 %d Tm (%s) Tj ET" % (y, a.encode()))
        ops.append(b"BT /F1 10 Tf 1 0 0 1 320 %d Tm (%s) Tj ET" % (y, b.encode()))
    read = _read_one_page(tmp_path, b"\n".join(ops))
    assert read.text.split("\n")[:6] == left + right
    [(_, what)] = read.in_columns()
    assert "columns of text: read one column after the other" in what


def _read_one_page(tmp_path: Path, content: bytes) -> PdfText:
    """The PDF of one page with the given content stream, as tipkg reads it."""
    path = tmp_path / "page.pdf"
    path.write_bytes(pages_pdf([content]))
    return read_pdf(path)
