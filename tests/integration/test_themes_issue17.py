"""Regression tests for issue 17: themes a reader would dispute, and databases apart.

"Extradition and return" lumped two topics, and the bare word "retour" gave the theme of
extradition to recommendation 7 of the 2020 report, which speaks of "le retour en toute sécurité,
et de préférence volontaire, des victimes". The report mentions neither extradition nor any other
return (data/sources/wg-tip-2020-draft-report-add1.fr.txt: "retour" once, "extradi" and "rapatri"
never), so recommendation 7 is the only one whose themes change.
"""

from __future__ import annotations

from pathlib import Path

from tipkg.build import BuildSummary
from tipkg.paths import ROOT
from tipkg.publish.site import Site
from tipkg.store import open_read_only, select

THEMES = """
PREFIX tip: <https://w3id.org/tipkg/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?number ?theme ?matched ?rule WHERE {
  ?rec a tip:Recommendation ; tip:number ?number ; tip:hasThemeAssignment ?a .
  ?a tip:assignedTheme/skos:notation ?theme ; tip:matchedText ?matched ; tip:rule ?rule .
}
ORDER BY ?number ?theme
"""


def _assignments(build_dir: Path) -> dict[str, list[tuple[str, str]]]:
    table = select(open_read_only(build_dir / "store"), THEMES)
    found: dict[str, list[tuple[str, str]]] = {}
    for number, theme, matched, _ in table.rows:
        found.setdefault(number, []).append((theme, matched))
    return found


def test_recommendation_7_is_themed_return_of_victims_not_extradition_issue17(
    built: tuple[Path, BuildSummary],
) -> None:
    themes = _assignments(built[0])["7"]
    assert themes == [
        ("international-cooperation", "coopération internationale"),
        ("mutual-legal-assistance", "entraide judiciaire"),
        ("return-of-victims", "retour en toute sécurité"),
    ]


def test_no_recommendation_has_the_deprecated_or_extradition_theme_issue17(
    built: tuple[Path, BuildSummary],
) -> None:
    source = (ROOT / "data" / "sources" / "wg-tip-2020-draft-report-add1.fr.txt").read_text(
        encoding="utf-8"
    )
    assert "extradi" not in source.lower() and "rapatri" not in source.lower()
    given = {theme for themes in _assignments(built[0]).values() for theme, _ in themes}
    assert "extradition-and-return" not in given and "extradition" not in given


def test_the_organisations_picture_draws_databases_apart_issue17(
    built: tuple[Path, BuildSummary],
) -> None:
    svg = Site(built[0]).get_required("pictures/organisations-network.svg").decode("utf-8")
    assert svg.count('class="database"') == 1
    assert ">Database</text>" in svg
    before, after = svg.split(">Database</text>", 1)
    assert "SHERLOC" not in before and "SHERLOC" in after  # the database under its heading
    assert "databases: 1;" in svg  # the description counts them apart
