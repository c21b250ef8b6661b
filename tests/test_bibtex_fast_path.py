"""The general reader's fast path for common entries gives exactly what the full scanner gives.

``_common_entry`` reads an entry whose fields are all ``{…}`` (braces at most one level inside),
``"…"`` or a number with one regular expression per field; any other entry (a macro, ``#``,
deeper braces, a repeated field, anything malformed) falls back to ``_parse_fields``. Both must
yield the same blocks, and so the same records, problems, rejects and lines, on any file.
"""

from __future__ import annotations

import sys
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.io import bibtex
from litreview.io.bibtex import parse_entries, read_bibtex

from .test_canonical_reader import _read as read_outcome
from .test_canonical_reader import general_only

_plain = st.text(
    alphabet=st.characters(blacklist_characters='{}"\\', blacklist_categories=("Cs",)), max_size=12
)
_inner = st.sampled_from(
    [
        "{\\'i}",
        "{DNA}",
        '{\\"o}',
        "{}",
        '{a "q" b}',
        "{x {y}}",
        "\\&",
        "\\%",
        "{\\c c}",
        "{",
        "}",
        '"',
        "#",
        "@",
        "%",
        ",",
        "=",
        "\n",
        "\r\n",
        "\t",
        "\xa0",
        "\f",
        "--",
        "~",
    ]
)
_value_text = st.lists(_plain | _inner, max_size=5).map("".join)
_value = st.one_of(
    _value_text.map(lambda v: "{" + v + "}"),
    _value_text.map(lambda v: '"' + v + '"'),
    st.sampled_from(["2001", "12", "0", "2001a", "jan", "jn", "nov", "JN", "١٢", "-3"]),
    st.tuples(_value_text, _value_text).map(lambda p: "{" + p[0] + "} # {" + p[1] + "}"),
    st.tuples(_value_text).map(lambda p: 'jn # "' + p[0] + '"'),
)
_field_name = st.sampled_from(
    [
        "title",
        "Title",
        "AUTHOR",
        "author",
        "year",
        "journal",
        "abstract",
        "note",
        "x-y",
        "doi",
        "pages",
        "ti\xa0tle",
        "key:word",
        "title",
    ]
)
_gap = st.sampled_from(
    [",\n  ", ", ", ",", "\n  ", " , , ", ",\n\t", ",\f", "", ",\xa0", ",\r\n  "]
)
_tail = st.sampled_from(["\n}", ",\n}", "}", " ,\n }", "\n\f}", "\n)", "", "\n}}", ",,}"])


@st.composite
def entries(draw: st.DrawFn) -> str:
    fields = [
        draw(_field_name) + draw(st.sampled_from([" = ", "=", "  =  ", " =\n "])) + draw(_value)
        for _ in range(draw(st.integers(0, 5)))
    ]
    body = "".join(draw(_gap) + f for f in fields)
    key = draw(st.sampled_from(["Smith2001", "k", "", "a b", "K{1}", "Ünal-2001:x"]))
    kind = draw(
        st.sampled_from(["article", "Book", "misc", "string", "comment", "preamble", "set"])
    )
    open_ = draw(st.sampled_from(["{", "{", "{", "(", " {"]))
    if kind == "string":
        return f"@string{open_}{draw(st.sampled_from(['jn', 'JN', 'nov']))} = {draw(_value)}{draw(_tail)}"
    return f"@{kind}{open_}{key},{body}{draw(_tail)}"


def _read(text: str) -> tuple[Any, ...]:
    return read_outcome(text, "searches/db.bib", "db")


@settings(max_examples=400)
@given(
    st.lists(entries(), min_size=1, max_size=5),
    st.sampled_from(["\n\n", "\n", "", "\n% a comment\n", "\njunk text\n"]),
)
def test_the_fast_path_and_the_full_scanner_read_any_file_alike(parts: list[str], sep: str) -> None:
    text = sep.join(parts) + "\n"
    fast_blocks = list(parse_entries(text))
    fast = _read(text)
    with general_only():
        slow_blocks = list(parse_entries(text))
        slow = _read(text)
    assert fast_blocks == slow_blocks, text
    assert fast == slow, text


def test_the_fast_path_takes_the_common_shapes() -> None:
    text = (
        "@article{Smith2001,\n  author = {Stewart, Mar{\\'i}a and {World Health Organization}},\n"
        '  title = "A {DNA} study",\n  year = 2001,\n  pages = {1--2}\n}\n'
    )
    found = bibtex._common_entry(text, text.index("{") + 1)
    assert found is not None
    key, fields, end = found
    assert key == "Smith2001" and end == len(text) - 1
    assert fields == {
        "author": "Stewart, Mar{\\'i}a and {World Health Organization}",
        "title": "A {DNA} study",
        "year": "2001",
        "pages": "1--2",
    }


@pytest.mark.parametrize(
    "body",
    [
        "k,\n  journal = jn,\n}",  # a macro
        "k,\n  month = nov,\n}",  # a month is a macro too
        "k,\n  title = {a} # {b},\n}",  # concatenation
        "k,\n  title = {a {b {c}} d},\n}",  # braces two levels inside
        "k,\n  title = {a},\n  Title = {b},\n}",  # a repeated field: the first is kept and a warning given
        "k,\n  year = 2001a,\n}",  # a bare word that starts with digits
        'k,\n  title = "a } b",\n}',  # a closing brace alone inside quotes
        "k,\n  title = {a},\n  year\n}",  # a field with no value
        "k,\n  title = {a}\f}",  # a form feed before the closing brace
        "k,\n  title = {unclosed,\n}",  # runs into the end of the file
        "k title = {a}}",  # no comma after the key
    ],
)
def test_each_uncommon_shape_falls_back_to_the_full_scanner(body: str) -> None:
    text = "@article{" + body + "\n"
    assert bibtex._common_entry(text, len("@article{")) is None
    fast = _read(text)
    with general_only():
        assert _read(text) == fast


def test_a_malformed_entry_is_still_reported_with_its_line_and_the_rest_kept() -> None:
    text = (
        "@article{A2001,\n  title = {First},\n  year = 2001\n}\n\n"
        "@article{B2002,\n  title = {Second,\n  year = 2002\n}\n\n"
        "@article{C2003,\n  title = {Third},\n  year = 2003\n}\n"
    )
    result = read_bibtex(text, "searches/db.bib", "db")
    fast = _read(text)
    with general_only():
        assert _read(text) == fast
    assert [r.key for r in result.records] == ["A2001", "C2003"]
    assert [str(p.location) for p in result.problems if p.is_error] == ["searches/db.bib:6 [B2002]"]
    assert "near line 11" in result.problems[0].message  # where C2003 starts


_name_piece = st.lists(
    st.sampled_from(
        [
            "Smith",
            "S{\\o}rensen",
            "{\\'E}mile",
            "Mar{\\'i}a",
            "{Smith}",
            "{",
            "}",
            '\\"o',
            "van",
            "de",
            " ",
            "  ",
            ",",
            "\\,",
            "{a,b}",
            "Jr",
            "A.",
            "{van Dijk}",
            "\\relax",
            "~",
            "and",
            "{\\c c}",
            "\t",
        ]
    ),
    max_size=4,
).map("".join)


@settings(max_examples=500)
@given(_name_piece, _name_piece)
def test_a_name_read_by_the_shortcut_is_what_the_full_rules_give(last: str, first: str) -> None:
    from litreview.text.names import _parse_general, parse_bibtex_name

    raw = f"{last}, {first}".strip()
    if raw and raw != ",":
        assert parse_bibtex_name.__wrapped__(raw) == _parse_general(raw), raw


# --- a large file read in parts, one per core -------------------------------------------------

_between = st.sampled_from(
    ["\n", "\n\n", "\n% a note\n", "\n@comment{spans\n@article{X1, title={inside}}\n}\n", "\n@"]
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parts are forked on Linux")
@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(entries(), _between), min_size=2, max_size=9),
    st.integers(2, 4),
    st.sampled_from(["", "crossref = {Smith2001},", "title = {a\n@article{Y2, title = {b}}}"]),
)
def test_a_file_read_in_parts_reads_as_it_does_whole(
    pieces: list[tuple[str, str]], parts: int, extra: str
) -> None:
    from litreview import workers

    text = "".join(e + b for e, b in pieces)
    text += "\n@article{Z9,\n  " + extra + "\n  title = {Last one},\n}\n"
    whole = read_outcome(text, "searches/db.bib", "db")
    with (
        mock.patch.object(workers, "worker_count", lambda *a, **k: parts),
    ):
        assert read_outcome(text, "searches/db.bib", "db") == whole


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parts are forked on Linux")
def test_a_clean_large_file_is_read_in_parts_and_gives_the_same_records() -> None:
    from litreview import workers

    text = "".join(
        f"@article{{K{i},\n  author = {{Ames, Anna and Berg, Bo}},\n  title = {{Study {i}}},"
        f"\n  year = {{20{i % 20:02d}}},\n  abstract = {{{'words ' * 40}}},\n}}\n\n"
        for i in range(600)
    )
    whole = read_outcome(text, "searches/db.bib", "db")
    parts = bibtex._parts(text, 3)
    assert len(parts) == 3 and parts[0][2] == 1 and parts[1][2] > 1000
    with (
        mock.patch.object(workers, "worker_count", lambda *a, **k: 3),
        mock.patch.object(bibtex, "_read_whole", lambda *a: pytest.fail("read whole")),
    ):
        assert read_outcome(text, "searches/db.bib", "db") == whole
    assert len(whole[0]) == 600 and whole[0][-1].provenance[0].line == 7 * 599 + 1
