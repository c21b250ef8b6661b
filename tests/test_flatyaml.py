"""The flat-YAML fast path reads and writes exactly what PyYAML does.

People's decisions files of a large review are read and written by
``litreview.files.flatyaml`` instead of PyYAML's composer and emitter (a 10 MB file took
~12 s to read and ~25 s to write). It must give the same values and the same lines (every
message names them) on every file, hand-edited or not, and write the same bytes; anything it
is not sure of goes to PyYAML.
"""

from __future__ import annotations

import enum
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from litreview.errors import ConfigError
from litreview.files import yamlio
from litreview.files.flatyaml import dump_flat, read_flat
from litreview.files.yamlio import FLAT_MIN_CHARS, LineDict, LineList, dump_yaml, load_yaml_text


def pyyaml_load(text: str) -> Any:
    return yaml.load(text, Loader=yamlio._Loader)


def pyyaml_dump(data: Any) -> str:
    with mock.patch.object(yamlio, "dump_flat", lambda data, dump: None):
        return dump_yaml(data)


def flat_read(text: str) -> Any:
    return read_flat(text, LineDict, LineList, yamlio._parse_item)


def same_with_lines(a: Any, b: Any, where: str = "$") -> None:
    """Equal values, and equal lines on every mapping, its keys and every list."""
    assert type(a) is type(b), where
    if isinstance(a, dict):
        assert (a.line, a.key_lines) == (b.line, b.key_lines), where
        assert list(a) == list(b), where
        for k in a:
            same_with_lines(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert a.line == b.line, where
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same_with_lines(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


class Stage(enum.StrEnum):
    TITLE = "title-abstract"


_texts = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "exclude",
            "title-abstract",
            "Smith2010a",
            "2026-11-01",
            "yes",
            "No",
            "null",
            "~",
            "true",
            "1",
            "012",
            "1_000",
            "1.5",
            ".inf",
            "- dash first",
            "a: colon",
            "a #hash",
            "it's",
            'say "so"',
            "tab\there",
            "two  spaces",
            " leading",
            "trailing ",
            "line\nbreak",
            "Ünïcödé Zürich",
            "emoji \U0001f600",
            "&anchor",
            "*alias",
            "!tag",
            "%pct",
            "@at",
            "`tick",
            "[list]",
            "{map}",
            "a, b; c (d) e=f+g/h",
            "trailing:",
            "?q",
            "|pipe",
            ">gt",
            "\u2028sep",
            "nul\x00",
            "bell\x07",
            "\ufeffbom",
            "x" * 120,
            "word " * 30,
            "a:b",
            "a#b",
            "x :y",
            "ratio 1:2 in #3",
            "nbsp\xa0here",
            "wide\u3000space",
            "<<",
            "=",
            "0o17",
            "+1",
            "1e3",
            "NULL",
            "off",
            "Zürich's [ward] {2} ok!",
            "Atrial adults in Zürich's wards, 2003-2010 (a cohort) on…",
            "Ward staff' views; a+b=c / d",
            "A title ending in a space ",
            "Word _under score_ and ü",
            "Yes no",
        ]
    ),
    st.text(max_size=40),
    st.text(alphabet="ab :#'\"-_.,", max_size=130),
)
_values = st.one_of(
    _texts,
    st.integers(-5, 10**6),
    st.booleans(),
    st.none(),
    st.just(Stage.TITLE),
    st.just(1.5),
    st.lists(st.sampled_from(["A1", "B2"]), max_size=2),
)
_keys = st.sampled_from(
    ["key", "stage", "decision", "reason", "reviewer", "date", "note", "resolves", "yes", "a b"]
)
_items = st.one_of(
    st.dictionaries(_keys, _values, min_size=1, max_size=7),
    st.just({}),
    _texts,
)
_documents = st.fixed_dictionaries(
    {"version": st.integers(0, 3)},
    optional={
        "decisions": st.lists(_items, max_size=6),
        "merges": st.lists(_items, max_size=2),
        "title": _texts,
    },
)


@given(_documents)
def test_writing_gives_pyyamls_bytes(data: dict[str, Any]) -> None:
    assert dump_yaml(data) == pyyaml_dump(data)


@given(_documents)
def test_reading_gives_pyyamls_values_and_lines(data: dict[str, Any]) -> None:
    text = "# a header\n" + pyyaml_dump(data)
    flat = flat_read(text)
    if flat is not None:
        same_with_lines(flat, pyyaml_load(text))


_EDITS = [
    "",
    "# a comment",
    "  # an indented comment",
    "- key: Added2001",
    "-",
    "- ",
    "  stage: full-text",
    "  note: 'open quote",
    '  note: "open',
    "  note: it's # mine",
    "  deep:",
    "    nested: 1",
    "  - listed",
    "---",
    "...",
    "top: 1",
    "top:",
    "version: 9",
    "\tkey: tabbed",
    "  key: a: b",
    "   three: spaces",
    "continued words",
    "  reason: [a, b]",
    "  reason: {a: 1}",
    "  date: 2026-01-02",
    "  n: 0x1f",
    "  &a key: x",
    "  ref: *a",
    "- key: &a X",
    "  again: *a",
    "  note: a:b c#d",
    "  note: x #y",
    "  note: 'it''s'",
    '  note: "q"',
    "  note: plain words",
    "  note:  two",
    "  note: end ",
    "  Note: other key",
    "- decision: include",
    "  note: yes",
    "  note: Off",
    "  note: NULL",
    "  note: True",
    "  note: Nope",
]


@pytest.mark.parametrize(
    "word", ["yes", "Yes", "NO", "on", "Off", "true", "FALSE", "null", "Null", "Nope", "y", "n"]
)
def test_a_word_reads_as_pyyaml_reads_it(word: str) -> None:
    text = f"version: 1\nitems:\n- value: {word}\n"
    same_with_lines(flat_read(text), pyyaml_load(text))


@given(
    _documents,
    st.lists(
        st.tuples(
            st.integers(0, 60),
            st.sampled_from(["insert", "delete", "copy"]),
            st.sampled_from(_EDITS),
        ),
        max_size=4,
    ),
)
def test_hand_edits_read_as_pyyaml_reads_them(
    data: dict[str, Any], edits: list[tuple[int, str, str]]
) -> None:
    """Whatever a person does to a file, the fast path gives PyYAML's reading or steps aside:
    never a value PyYAML would not give, never a file read that PyYAML refuses."""
    lines = pyyaml_dump(data).split("\n")
    for at, what, line in edits:
        at = at % (len(lines) + 1)
        if what == "insert":
            lines.insert(at, line)
        elif lines and at < len(lines):
            if what == "delete":
                del lines[at]
            else:
                lines.insert(at, lines[at])
    text = "\n".join(lines)
    flat = flat_read(text)
    if flat is None:
        return
    try:
        expected = pyyaml_load(text)
    except yaml.YAMLError:
        pytest.fail(f"read a file PyYAML refuses:\n{text}")
    same_with_lines(flat, expected)


def _decisions_text(n: int) -> str:
    items = [
        {
            "key": f"Key{i:05d}",
            "stage": "title-abstract",
            "decision": "exclude" if i % 3 else "include",
            **({"reason": "not-uk"} if i % 3 else {}),
            "reviewer": "ana",
            "date": "2026-11-01",
            **({"note": "the sample's ward was in Cardiff, not England"} if i % 7 == 0 else {}),
        }
        for i in range(n)
    ]
    return "# People's screening decisions.\n" + dump_yaml({"version": 1, "decisions": items})


def test_a_large_decisions_file_is_read_the_fast_way_with_pyyamls_result() -> None:
    text = _decisions_text(3000)
    assert len(text) > FLAT_MIN_CHARS
    with mock.patch.object(yaml, "load", side_effect=AssertionError("PyYAML was asked")):
        fast = load_yaml_text(text, "corpus/screening/ana.yaml")
    same_with_lines(fast, pyyaml_load(text))


def test_an_item_with_a_nested_list_is_read_by_pyyaml_alone_in_its_place() -> None:
    text = _decisions_text(300).replace(
        "- key: Key00150\n", "- key: Key00150\n  tags:\n  - a\n  - b\n", 1
    )
    flat = flat_read(text)
    assert flat is not None
    same_with_lines(flat, pyyaml_load(text))
    assert flat["decisions"][150]["tags"] == ["a", "b"]


def test_a_large_file_with_an_error_reports_it_as_pyyaml_does() -> None:
    lines = _decisions_text(3000).split("\n")
    lines[4000] = "  note: 'never closed"
    with pytest.raises(ConfigError) as fast:
        load_yaml_text("\n".join(lines), "corpus/screening/ana.yaml")
    with (
        mock.patch.object(yamlio, "read_flat", lambda *a: None),
        pytest.raises(ConfigError) as slow,
    ):
        load_yaml_text("\n".join(lines), "corpus/screening/ana.yaml")
    assert [str(p) for p in fast.value.problems] == [str(p) for p in slow.value.problems]
    assert fast.value.problems[0].location.line is not None


def test_a_key_written_twice_in_a_large_file_is_still_an_error() -> None:
    text = _decisions_text(3000).replace(
        "  stage: title-abstract\n", "  stage: title-abstract\n  stage: full-text\n", 1
    )
    with pytest.raises(ConfigError, match="appears twice"):
        load_yaml_text(text, "corpus/screening/ana.yaml")


def test_writing_a_large_decisions_file_gives_pyyamls_bytes() -> None:
    data = pyyaml_load(_decisions_text(500))
    data["decisions"][3]["note"] = "a long note " * 12  # PyYAML folds it: written by PyYAML
    data["decisions"][4]["note"] = "two\nlines"
    assert dump_flat(data, pyyaml_dump) is not None
    assert dump_yaml(data) == pyyaml_dump(data)


def test_a_text_kept_to_its_last_line_break_keeps_it_when_read_alone() -> None:
    """``|+`` keeps the blank lines after the text: the item read by PyYAML alone must end
    with the line break its last line has in the file."""
    text = "version: 1\nitems:\n- |2+\n\n- {}\n"
    same_with_lines(flat_read(text), pyyaml_load(text))
