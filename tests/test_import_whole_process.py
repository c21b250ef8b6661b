"""The short ways an import takes for its usual values (issue 16, a 100k import as a whole process)
give exactly what the general ways give: each is checked against the general way itself, on
values built to sit on either side of the line between them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.io import bibtex
from litreview.model import Provenance
from litreview.text import normalize
from litreview.text.normalize import normalize_doi, printable

_NEVER = re.compile(r"(?!)")

#: text near the edges of "printable": ASCII controls, DEL, no-break and other Unicode spaces,
#: format characters, letters beyond Latin-1
_edgy_chars = st.sampled_from(
    ["\x00", "\x07", "\t", "\n", "\r", "\x1f", "\x7f", "\x80", "\xa0", "\u200b", "\u2028", "ı"]
)
_long_texts = st.builds(
    lambda head, odd, tail: head + odd + tail,
    st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=0, max_size=200),
    st.one_of(st.just(""), _edgy_chars),
    st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=0, max_size=200),
) | st.text(max_size=200)


@settings(max_examples=500)
@given(_long_texts)
def test_printable_is_what_isprintable_says_for_long_ascii_and_any_text(text: str) -> None:
    assert printable(text) == text.isprintable()


def test_an_abstract_with_a_control_character_is_not_printable() -> None:
    abstract = "Background: we asked nurses on three wards about their rota. " * 4
    assert printable(abstract)
    for odd in ("\x01", "\x7f", "\t", "\n"):
        assert not printable(abstract + odd + abstract)


_doi_chars = st.sampled_from(
    [*"0123456789abcxyzABC./-_;:,()[]<>%#?&=+~ ", "[doi]", "\u00e9", "\t", "\xa0"]
)
_dois = st.builds(
    lambda head, rest: head + "".join(rest),
    st.sampled_from(["10.", "10.1234/", "10.5555/abc", " 10.1/", "doi:10.1/", "10"]),
    st.lists(_doi_chars, max_size=12),
)


@settings(max_examples=300)
@given(_dois)
def test_a_doi_in_canonical_form_normalises_as_the_full_steps_would(
    value: str,
) -> None:
    full = pytest.MonkeyPatch()
    full.setattr(normalize, "_CANONICAL_DOI", _NEVER)
    try:
        expected = normalize_doi(value)
    finally:
        full.undo()
    assert normalize_doi(value) == expected


def test_the_usual_doi_of_an_export_takes_the_short_way() -> None:
    assert normalize._CANONICAL_DOI.fullmatch("10.1234/jrnl.2013.0057026")
    for value in ("10.1234/x.", "10.1234/X", "10.1234/a%2Fb", "10.1234/x[doi]", " 10.1/x"):
        assert normalize_doi(value) != value or not normalize._CANONICAL_DOI.fullmatch(value)


_pages = st.builds(
    lambda a, sep, b: a + sep + b,
    st.from_regex(r"0{0,2}[0-9]{1,6}", fullmatch=True),
    st.sampled_from(["-", "--", "\u2013", "-x", ""]),
    st.from_regex(r"0{0,2}[0-9]{0,6}", fullmatch=True),
)


@settings(max_examples=300)
@given(_pages)
def test_a_page_range_of_digits_is_written_as_the_general_way_writes_it(pages: str) -> None:
    full = pytest.MonkeyPatch()
    full.setattr(bibtex, "_DIGIT_RANGE", _NEVER)
    try:
        expected = bibtex._bibtex_pages(pages)
    finally:
        full.undo()
    assert bibtex._bibtex_pages(pages) == expected


def test_a_range_whose_end_is_shorter_keeps_its_one_hyphen() -> None:
    assert bibtex._bibtex_pages("1675-1680") == "1675--1680"
    assert bibtex._bibtex_pages("1675-80") == "1675-80"  # read back, ``--`` would give 1675-1680


_part = st.text(alphabet=st.sampled_from([*"ab1/._-", "%", "|", ";", "\n", "\r", "é"]))


@settings(max_examples=500)
@given(_part, _part, st.one_of(st.none(), st.integers(-5, 10**6)), st.one_of(st.none(), _part))
def test_a_provenance_encodes_as_the_escaping_of_each_part_gives(
    source: str, path: str, line: int | None, oid: str | None
) -> None:
    from litreview.model import _PROV_ESCAPES

    prov = Provenance(source, path, line, oid)
    parts = (source, path, "" if line is None else str(line), oid or "")
    assert prov.encode() == "|".join(p.translate(_PROV_ESCAPES) for p in parts)


def test_an_export_read_on_two_cores_is_cut_into_two_even_parts() -> None:
    """The worker's part is as large as this process's own: this process takes in the worker's
    records, which costs it about what pickling them costs the worker."""
    entry = "@article{k{n},\n  title = {A trial of {n}},\n  year = {2001}\n}}\n\n"
    text = "".join(entry.replace("{n}", str(n)) for n in range(1000))
    (s1, e1, _), (s2, e2, _) = bibtex._parts(text, 2)
    assert s1 == 0 and e1 == s2 and e2 == len(text)
    assert abs((e1 - s1) - (e2 - s2)) <= len(entry) + 4


def test_a_corpus_write_joins_each_run_of_new_entries_and_keeps_old_spans_in_place(
    tmp_path: Path,
) -> None:
    """What the corpus file is made of, a write at a time: the new entries between two entries
    copied from the old file become one piece (one write and one hash update, not one each),
    in order, and the bytes are the same."""
    from litreview.corpus.store import _runs_joined
    from litreview.files.fsutil import FileSpan, iter_bytes

    old = tmp_path / "old.bib"
    old.write_bytes(b"@misc{a,\n  title = {Kept}\n}\n")
    span = FileSpan(old, 0, old.stat().st_size, 3)
    pieces: list[FileSpan | bytes] = [b"head\n", b"\n", span, b"\n", b"@misc{b,", b"}\n", span]
    joined = list(_runs_joined(pieces))
    assert joined == [b"head\n\n", span, b"\n@misc{b,}\n", span]
    assert b"".join(iter_bytes(joined)) == b"".join(iter_bytes(pieces))
    assert list(_runs_joined([])) == []


def test_a_cache_row_holds_names_and_provenances_as_tuples_of_their_fields() -> None:
    from litreview.corpus.store import _records_from_rows, _row
    from litreview.model import Name, Record

    record = Record(
        key="Okafor2019",
        entry_type="article",
        title="Night shifts and sleep on two wards",
        authors=(
            Name("Okafor", "Ada"),
            Name("Berg", "Jan", "van der", "Jr"),
            Name("NHS", corporate=True),
        ),
        year=2019,
        provenance=(Provenance("scopus", "a.bib", 4, "k1"), Provenance("wos", "b.ris", None, None)),
        extra=(("note", "read twice"),),
    )
    row = _row(record)
    assert row[3] == (
        ("Okafor", "Ada", "", "", False),
        ("Berg", "Jan", "van der", "Jr", False),
        ("NHS", "", "", "", True),
    )
    assert row[15] == (("scopus", "a.bib", 4, "k1"), ("wos", "b.ris", None, None))
    assert _records_from_rows([row]) == (record,)


_name_tokens = st.sampled_from(
    [
        "Okafor, Ada",
        "Anders, K.",
        "{Nurses and Midwives Council}",
        "and",
        "AND",
        "And",
        "band",
        "{",
        "}",
        "Ren{\\'e}e",
        "van der Berg, Jan",
        "others",
        "{A {b} c}",
        ",",
    ]
)
_author_lists = st.builds(
    lambda words, gaps: "".join(w + g for w, g in zip(words, gaps, strict=False)),
    st.lists(_name_tokens, max_size=8),
    st.lists(st.sampled_from([" ", "  ", "\n", " and ", "\t"]), min_size=8, max_size=8),
)


@settings(max_examples=300)
@given(_author_lists)
def test_an_author_list_splits_where_the_brace_aware_split_cuts_it(value: str) -> None:
    from litreview.text.names import _AND, _split_names, split_top_level
    from litreview.text.normalize import clean_text

    cleaned = clean_text(value)
    assert _split_names(cleaned) == split_top_level(cleaned, _AND)


def test_an_and_in_capitals_before_a_lower_case_one_is_where_the_list_is_cut() -> None:
    from litreview.text.names import parse_bibtex_names

    names = parse_bibtex_names("Okafor, Ada AND and Berg, Jan")
    assert [(n.von, n.last) for n in names] == [("", "Okafor"), ("and", "Berg")]
    assert [n.last for n in parse_bibtex_names("{Smith and Sons} and Berg, Jan")] == [
        "Smith and Sons",
        "Berg",
    ]
