"""Document families as data (issue 15): each family's profile is read from data/profiles/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipkg.errors import InputError
from tipkg.extract import profile as profile_module
from tipkg.extract.profile import load_profile
from tipkg.extract.source import read_metadata
from tipkg.extract.structure import grammar_for, parse_structure


def test_every_family_has_a_profile_that_loads() -> None:
    wg = load_profile("wg-tip")
    assert wg.languages == ("fr", "en") and wg.numbering == "heading"
    assert wg.recommendation_word == {"fr": "Recommandation", "en": "Recommendation"}
    upr = load_profile("upr")
    assert upr.numbering == "item" and not upr.in_section
    assert upr.recommendation_kinds == ("report",)
    assert "supported" in upr.responses["en"] and "noted" in upr.responses["en"]


def test_the_default_family_is_wg_tip() -> None:
    assert load_profile() is load_profile("wg-tip")


def test_the_heading_word_comes_from_the_profile() -> None:
    grammar = grammar_for(load_profile("wg-tip"), "en")
    assert grammar.recommendation.fullmatch("Recommendation 3")
    assert not grammar.recommendation.fullmatch("Recommandation 3")


def test_a_family_without_the_language_is_refused() -> None:
    with pytest.raises(InputError, match="no language fr"):
        grammar_for(load_profile("upr"), "fr")


def test_an_unknown_family_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    text = tmp_path / "x.en.txt"
    text.write_text("1. Text.\n", encoding="utf-8")
    (tmp_path / "x.en.meta.toml").write_text(
        'family = "nonesuch"\nbody = "b"\nyear = 2020\nkind = "report"\nlanguage = "en"\n'
        '[meeting]\nplace_fr = "V"\nplace_en = "V"\nstart_date = 2020-01-01\n'
        "end_date = 2020-01-02\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no profile for the family 'nonesuch'.*upr, wg-tip"):
        read_metadata(text)


def test_a_malformed_profile_names_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.toml").write_text(
        'family = "bad"\nlabel = "x"\nlanguages = ["en"]\nkinds = ["report"]\n'
        '[recommendations]\nnumbering = "roman"\nin_section = true\n'
        'recommended_by = "body"\ngrammar = "strength"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(profile_module, "PROFILES_DIR", tmp_path)
    profile_module._load.cache_clear()
    monkeypatch.setattr(profile_module, "profile_path", lambda family: tmp_path / f"{family}.toml")
    with pytest.raises(InputError, match="numbering must be one of") as err:
        load_profile("bad")
    assert "bad.toml" in str(err.value)


def test_an_item_numbered_family_reads_items_inside_their_paragraph() -> None:
    text = (
        "I. Conclusions\n"
        "1. The following recommendations enjoy support:\n"
        "   1.1 Ratify the Convention (Fiji);\n"
        "   1.2 Continue efforts\n   to combat trafficking (Chile).\n"
        "2. All conclusions reflect the position of the States.\n"
    )
    found = parse_structure(text, "en", "t", profile=load_profile("upr"))
    assert [r.printed for r in found.recommendations] == ["1.1", "1.2"]
    assert found.recommendations[1].text == "Continue efforts to combat trafficking (Chile)."
    assert [p.number for p in found.paragraphs] == [1, 2]
    assert found.paragraphs[0].text == "The following recommendations enjoy support:"


def test_a_broken_item_numbering_is_a_doubt_not_a_silent_merge() -> None:
    text = "I. Conclusions\n1. Recommendations:\n 1.1 Ratify it (Fiji);\n 1.3 Adopt it (Chile).\n"
    found = parse_structure(text, "en", "t", profile=load_profile("upr"))
    assert [r.printed for r in found.recommendations] == ["1.1"]
    assert any("1.3" in what for _, what in found.doubts)
