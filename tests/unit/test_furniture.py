"""Page furniture found by its form (issue 12): running headers, job and page numbers, bar codes,
form feeds, wherever a page break falls; removed as recorded repairs with the spans unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipkg.extract.furniture import find_furniture, furniture_in, paged
from tipkg.extract.repair import apply, repair

UPR = Path(__file__).parents[2] / "tests" / "fixtures" / "sources"


@pytest.mark.parametrize(
    "header",
    [
        "4/6 V.20-04765 CTOC/COP/WG.4/2020/L.1/Add.1",
        "A/HRC/43/15",
        "GE.19-21936(E)\n\n*1921936*",
        "CTOC/COP/WG.4/2020/L.1/Add.1\n\nPage 3",
        "12\n\n\fA/HRC/43/15/Add.1",
    ],
)
def test_a_header_between_the_halves_of_a_hyphenated_word_is_removed(header: str) -> None:
    text = f"protéger les vic-\n\n{header}\n\ntimes de la traite."
    result = repair(text, 0, len(text), "fr")
    assert result.text == "protéger les victimes de la traite."
    kinds = {r.kind for r in result.repairs}
    assert {"page-furniture", "hyphenation"} <= kinds
    assert apply(text, 0, len(text), result.repairs) == result.text
    furniture = [r for r in result.repairs if r.kind == "page-furniture"]
    assert all(text[r.start : r.end] == r.original for r in furniture)


def test_a_header_inside_a_line_is_removed() -> None:
    text = "de faire 4/6 V.20-04765 CTOC/COP/WG.4/2020/L.1/Add.1 subir des représailles."
    assert repair(text, 0, len(text), "fr").text == "de faire subir des représailles."


@pytest.mark.parametrize(
    "text",
    [
        "conformément à la résolution A/RES/55/25 de l’Assemblée générale.",
        "les articles\n\n5\n\net 6 du Protocole.",
        "en 2020, 12 États ont répondu.",
    ],
)
def test_a_citation_or_a_number_of_the_text_is_no_furniture(text: str) -> None:
    assert find_furniture(text) == []
    assert repair(text, 0, len(text), "fr").text == " ".join(text.split())


def test_the_furniture_of_a_real_un_text_is_found_by_form() -> None:
    # The first page and two page breaks of A/HRC/43/15 as pdftotext wrote them.
    text = (
        "                                          Distr.: General\n"
        "                                          19 December 2019\n\n"
        "                                          Original: English\n\n"
        "GE.19-21936(E)\n\n\ue02a\ue031\ue039\ue02a\n"
        "\fA/HRC/43/15\n\n\n"
        "              Introduction\n"
        "included awareness-raising and research activities in that area.\n\n"
        "2\n\f                                   A/HRC/43/15\n\n\n"
        "authorized to request a review.\n"
    )
    found = [f.what for f in find_furniture(text)]
    assert found.count("document symbol") == 2
    assert "job number" in found and "bar code" in found and "page number" in found
    view = paged(text).view
    assert "A/HRC" not in view and "GE.19" not in view and len(view) == len(text)
    assert "Introduction" in view and "authorized" in view


def test_furniture_left_in_a_published_text_is_named() -> None:
    assert furniture_in("faire 4/6 V.20-04765 CTOC/COP/WG.4/2020/L.1/Add.1 subir")
    assert furniture_in("gérer le GE.20-10935(F) risque")
    assert furniture_in("la résolution A/RES/55/25 de l’Assemblée") == []


def test_a_number_of_the_text_beside_a_header_inside_a_line_stays() -> None:
    text = "l’article 18 4/6 V.20-04765 CTOC/COP/WG.4/2020/L.1/Add.1 de la Convention."
    assert repair(text, 0, len(text), "fr").text == "l’article 18 de la Convention."
