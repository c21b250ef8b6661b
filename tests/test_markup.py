"""Titles and abstracts arrive with HTML and JATS markup from some exports; records keep the words."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from litreview.cli import cli
from litreview.text.normalize import clean_text, strip_markup


def test_jats_paragraphs_become_separate_sentences() -> None:
    text = "<jats:title>Abstract</jats:title><jats:p>Aims: to ask.</jats:p><jats:p>Results: few.</jats:p>"
    assert strip_markup(text) == "Abstract Aims: to ask. Results: few."


def test_inline_tags_vanish_inside_words_and_entities_are_decoded() -> None:
    assert (
        strip_markup("CO<sub>2</sub> in <i>vitro</i> &amp; &lt;5&#37; of caf&eacute;s")
        == "CO2 in vitro & <5% of cafés"
    )


def test_comparisons_and_unknown_angle_brackets_are_kept() -> None:
    for text in (
        "p <0.05 and age >65",
        "wards with <10 beds> were merged",
        "a <b and c> d",
        "AT&T; R&D",
    ):
        assert strip_markup(text) == text


@given(st.text(alphabet=st.characters(blacklist_characters="<&", blacklist_categories=("Cs",))))
def test_text_without_markup_characters_only_has_its_spaces_tidied(text: str) -> None:
    assert strip_markup(text) == clean_text(text)


_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.,:;()", min_size=1, max_size=8)
_TAGS = st.sampled_from(
    [
        "<i>",
        "</i>",
        "<jats:p>",
        "</jats:p>",
        "<br/>",
        '<jats:sec id="s1">',
        "<sup>",
        "</sup>",
        "<JATS:Italic>",
        "<mml:math>",
        "</p>",
        '<span class="x">',
    ]
)


@given(st.lists(st.one_of(_WORDS, _TAGS), max_size=30))
def test_tags_between_words_leave_exactly_the_words(parts: list[str]) -> None:
    words = [p for p in parts if not p.startswith("<")]
    assert strip_markup(" ".join(parts)) == " ".join(words)


RIS = """TY  - JOUR
TI  - Clinical directors and <i>hybrid</i> roles in NHS trusts
AU  - Ward, Ann
PY  - 2011
JO  - Journal of Hospital Things
AB  - <jats:p>Background: managers &amp; doctors.</jats:p><jats:p>Findings: mixed.</jats:p>
ER  -
"""


def test_import_stores_clean_text_and_provenance_points_at_the_exported_line(
    tmp_path: Path,
) -> None:
    export = tmp_path / "crossref.ris"
    export.write_text(RIS)
    result = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "import", str(export), "--source", "crossref"]
    )
    assert result.exit_code == 0, result.output
    bib = (tmp_path / "corpus" / "records.bib").read_text()
    assert "Clinical directors and hybrid roles in NHS trusts" in bib
    assert (
        "Background: managers \\& doctors. Findings: mixed." in bib
        or "Background: managers & doctors. Findings: mixed." in bib
    )
    assert "jats" not in bib and "<i>" not in bib
    assert "crossref.ris|1|" in bib  # the verbatim text stays in the export at that line
