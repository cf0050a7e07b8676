"""Small PDFs written by hand for the tests: a text laid out in pages, and broken ones."""

from __future__ import annotations

import zlib

PAGE_HEIGHT = 842
FONT_SIZE = 10
LEADING = 14


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of the given objects (1 is the catalogue), with a right cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def page_content(lines: list[str], header: str = "", footer: str = "") -> bytes:
    """One page's content stream: a running header and footer, the lines one under the other
    (a blank line leaves a gap, as between paragraphs)."""
    ops = [b"BT /F1 %d Tf" % FONT_SIZE]
    if header:
        ops.append(b"1 0 0 1 72 800 Tm (%s) Tj" % _escape(header))
    y = 760
    for line in lines:
        if line.strip():
            ops.append(b"1 0 0 1 72 %d Tm (%s) Tj" % (y, _escape(line.strip())))
        y -= LEADING
    if footer:
        ops.append(b"1 0 0 1 72 40 Tm (%s) Tj" % _escape(footer))
    ops.append(b"ET")
    return b"\n".join(ops)


def pages_pdf(contents: list[bytes]) -> bytes:
    """A PDF whose pages have the given content streams, in Helvetica."""
    count = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for index, content in enumerate(contents):
        stream = zlib.compress(content)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (PAGE_HEIGHT, 5 + 2 * index)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
    return pdf_bytes(objects)


def text_pdf(text: str, symbol: str, job: str, lines_per_page: int = 40) -> bytes:
    """``text`` typeset as a UN document would be: pages of ``lines_per_page`` lines, the symbol
    as running header, the job number and page number as footer."""
    lines = text.splitlines()
    chunks = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    total = len(chunks)
    return pages_pdf(
        [
            page_content(chunk, symbol, f"{job}    {number}/{total}")
            for number, chunk in enumerate(chunks, start=1)
        ]
    )
