"""The PDF reader (issue 16): official UN PDFs read in reading order, furniture dropped by
position and repetition, notes kept apart, every line's page and box; bad PDFs refused."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from pdfs import pdf_bytes

from tipkg.errors import InputError
from tipkg.extract.furniture import paged
from tipkg.extract.pdf import read_pdf

PDFS = Path(__file__).parents[1] / "fixtures" / "pdf"
REPORT = PDFS / "a-hrc-43-15.pdf"
ADDENDUM = PDFS / "a-hrc-43-15-add-1.pdf"


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
    expected = paged((PDFS / text).read_text(encoding="utf-8")).view.split()
    [note] = read.notes
    assert note.page == 1 and note.call == "*"
    note_words = ["*", *note.text.split()]
    at = next(i for i in range(len(expected)) if expected[i : i + len(note_words)] == note_words)
    assert words == expected[:at] + expected[at + len(note_words) :]


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
