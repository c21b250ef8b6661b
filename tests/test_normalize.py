"""The normalisers' fast paths for plain ASCII must give exactly what the general path gives."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.text.normalize import _FOLD_TABLE, clean_text, fold, normalize_doi, title_key

_WS = re.compile(r"\s+")


def _clean_general(text: str) -> str:
    return _WS.sub(" ", text.replace("\x00", "")).strip()


def _fold_general(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_FOLD_TABLE).lower()


ascii_heavy = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=60) | st.text(
    max_size=60
)


@given(ascii_heavy)
def test_clean_text_fast_path_matches_the_general_rule(text: str) -> None:
    assert clean_text(text) == _clean_general(text)


@given(ascii_heavy)
def test_fold_fast_path_matches_the_general_rule(text: str) -> None:
    assert fold(text) == _fold_general(text)


def test_clean_text_collapses_control_spaces_and_drops_nul() -> None:
    assert clean_text(" a\t\tb\x1fc\x00d \n") == "a b cd"
    assert clean_text("Müller  and\u00a0Smith") == "Müller and Smith"


def test_fold_removes_accents_and_expands_ligatures() -> None:
    assert fold("Ærø Straße") == "aero strasse"
    assert fold("Plain ASCII") == "plain ascii"


@given(
    st.lists(st.sampled_from(["é", "e\u0301", "Å", "ñ", "\u0308", "ß", "ø", "α", "я", "x", " "]))
)
def test_fold_of_accented_text_is_the_general_rule_whether_cached_or_not(
    pieces: list[str],
) -> None:
    # short texts are folded through a cache, long ones (abstracts) are not: both, and a text
    # seen again, fold as the general rule does
    text = "".join(pieces)
    long = (text + " ") * (1 + 201 // (len(text) + 1))
    for t in (text, text, long, long):
        assert fold(t) == _fold_general(t)


name_text = st.text(alphabet=st.sampled_from(list("abcXYZ .,-'~}é")), min_size=1, max_size=30)


@given(name_text)
def test_the_usual_last_comma_first_shortcut_reads_names_as_the_full_rules_do(raw: str) -> None:
    from litreview.text.names import _parse_general, parse_bibtex_name

    raw = raw.strip()
    if raw and raw != ",":
        assert parse_bibtex_name(raw) == _parse_general(raw)


def test_a_bare_comma_is_no_author_so_it_cannot_make_a_record_identifiable() -> None:
    from litreview.io import read_text

    result = read_text("TY  - JOUR\nAU  - ,\nPY  - 2001\nER  - \n", "x.ris", "s", "ris")
    assert result.records == [] and len(result.rejects) == 1


def test_clean_text_fast_path_agrees_with_collapsing_on_every_whitespace_character() -> None:
    import re
    import sys

    from litreview.text.normalize import clean_text

    collapse = re.compile(r"\s+")
    for c in range(sys.maxunicode + 1):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        text = f" a{ch}b c "
        assert clean_text(text) == collapse.sub(" ", text.replace("\x00", "")).strip(), hex(c)


def test_a_backslash_at_the_end_of_a_line_is_kept_as_text_not_a_crash() -> None:
    from litreview.io.bibtex import read_bibtex
    from litreview.text.normalize import decode_latex

    assert decode_latex("path C:\\\nnext") == "path C:\\\nnext"
    result = read_bibtex(
        "@article{k,\n  title = {A title ending in C:\\\n  continued},\n}\n", "x.bib", "db"
    )
    assert [r.title for r in result.records] == ["A title ending in C:\\ continued"]


@pytest.mark.parametrize(
    ("value", "doi"),
    [
        ("DOI: 10.1016/j.socscimed.2020.1", "10.1016/j.socscimed.2020.1"),
        ("doi: 10.1000/abc", "10.1000/abc"),
        ("DOI 10.1000/xyz", "10.1000/xyz"),
        ("NA", ""),
        ("[N/A]", ""),
        ("none", ""),
    ],
)
def test_doi_labels_are_stripped_and_placeholders_are_no_doi(value: str, doi: str) -> None:
    assert normalize_doi(value) == doi


def test_a_labelled_doi_survives_every_reader() -> None:
    from litreview.io import read_text

    bib = read_text(
        "@article{A, title = {T}, doi = {DOI: 10.1016/j.x.2020.1}, year = {2020}}\n", "a.bib", "s"
    )
    ris = read_text("TY  - JOUR\nTI  - T\nDO  - doi: 10.1000/abc\nER  -\n", "a.ris", "s")
    assert bib.records[0].doi == "10.1016/j.x.2020.1"
    assert ris.records[0].doi == "10.1000/abc"


def test_title_key_spells_greek_letters_as_exports_that_cannot_write_them_do() -> None:
    assert title_key("Effects of TNF-α on β-cell function") == title_key(
        "Effects of TNF-alpha on beta-cell function"
    )
    assert title_key("Δ9-THC and κ-opioid receptors") == "delta 9 thc and kappa opioid receptors"
    # folded away, the letter that tells two receptors apart would be lost
    assert title_key("PPAR-α agonists in obese rats") != title_key("PPAR-γ agonists in obese rats")


def test_greek_letters_written_as_pseudo_tags_or_with_accents_are_spelled_too() -> None:
    assert title_key("Role of TNF-<alpha> in sepsis") == title_key("Role of TNF-α in sepsis")
    assert title_key("TNF-<alpha> in sepsis") != title_key("TNF-<beta> in sepsis")
    assert "alpha" in title_key("ά")
    # a spelled letter is a word of its own, so the number before it stays a number
    assert title_key("IL-1β and IL-6") == title_key("IL-1 beta and IL-6") == "il 1 beta and il 6"


@pytest.mark.parametrize(
    ("symbol", "glued"),
    [
        ("IL-1β in synovial fluid", "IL-1beta in synovial fluid"),
        ("NF-κB activation in sepsis", "NF-kappaB activation in sepsis"),
        ("TGF-β1 and fibrosis", "TGF-beta1 and fibrosis"),
        ("17β-estradiol in ewes", "17beta-estradiol in ewes"),
        ("TNFα in sepsis", "TNFalpha in sepsis"),
        ("βIVΣ1 spectrin at the node", "BetaIVSigma1 spectrin at the node"),
        ("ΔF508 carriers", "DeltaF508 carriers"),
    ],
)
def test_a_greek_letter_spelled_glued_to_what_it_qualifies_is_a_word_of_its_own(
    symbol: str, glued: str
) -> None:
    # PubMed spells the letter and glues it on; Embase and Scopus keep the letter
    assert title_key(glued) == title_key(symbol)


@pytest.mark.parametrize(
    "title",
    ["The alphabet of betaine", "ALPHABET SOUP", "Deltoid pain", "Kappas and Sigmas", "Omegaven"],
)
def test_words_that_hold_a_greek_letters_name_are_left_whole(title: str) -> None:
    assert title_key(title) == title.lower()


_latex_bits = st.sampled_from(
    ["\\%", "\\&", "\\_", "\\#", "\\$", "\\", "\\\\", "\\'e", "{", "}", "~", "a", " ", "95", "é"]
)


@given(st.lists(_latex_bits, max_size=12).map("".join))
def test_escapes_decoded_by_replacement_give_what_the_full_walk_gives(text: str) -> None:
    from litreview.text.normalize import _decode_walk, decode_latex

    # a value with no backslash and no brace is returned as it is, before either path
    walked = text if not any(c in text for c in "\\{}") else _decode_walk(text)
    assert decode_latex(text) == walked


def test_an_abstract_with_percent_and_ampersand_escapes_reads_as_plain_text() -> None:
    from litreview.text.normalize import decode_latex

    assert decode_latex("OR 2.1, 95\\% CI; R\\&D at 50\\%") == "OR 2.1, 95% CI; R&D at 50%"
    assert decode_latex("C:\\temp 50\\%") == "C:\\temp 50%"  # an unknown command kept as text
