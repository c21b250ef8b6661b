"""The reader's fast path gives exactly what the general reader gives on our own layout.

``_common_entry`` reads the entries ``format_entry`` writes (and most exports') with one
pattern per field head and ``str.find`` for each value's end; anything else falls back to the
general scanner. Both must yield the same records, problems, rejects and line numbers on every
canonical file and on any hand edit of one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from litreview.corpus.store import CORPUS_HEADER
from litreview.io import bibtex
from litreview.io.bibtex import format_corpus, read_bibtex
from litreview.model import Name, Provenance, Record

_chars = st.characters(blacklist_categories=("Cs", "Cc"))
_text = st.text(alphabet=_chars, max_size=30).map(lambda s: " ".join(s.split()))
_tricky = st.sampled_from(
    [
        "",
        "a--b",
        "x {y} z",
        "back\\slash",
        "tilde~",
        "50%",
        "a; b",
        "#1",
        'q"uote',
        "Ünïcödé",
        "e=mc2",
        "@home",
        "a,b",
        "}{",
    ]
)
_word = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=10)


@st.composite
def records(draw: st.DrawFn) -> Record:
    authors = tuple(
        Name(
            last=draw(_word | st.sampled_from(["van der Berg", "O'Neil", "de la Cruz"])),
            first=draw(st.sampled_from(["", "A.", "Huw T. O.", "Jörg", "J., Jr"])),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    if draw(st.booleans()):
        authors += (Name(last=draw(_word) + " " + draw(_word), corporate=True),)
    text = _text | _tricky
    n_prov = draw(st.integers(1, 3))
    return Record(
        key="K" + draw(st.text(alphabet="abcdefghij0123456789", min_size=1, max_size=8)),
        entry_type=draw(
            st.sampled_from(
                ["article", "book", "techreport", "misc", "incollection", "inproceedings"]
            )
        ),
        title=draw(text.filter(bool)),
        authors=authors,
        year=draw(st.none() | st.integers(1900, 2030)),
        container=draw(text),
        volume=draw(st.sampled_from(["", "12", "3A"])),
        issue=draw(st.sampled_from(["", "4", "Suppl 2"])),
        pages=draw(st.sampled_from(["", "1-10", "e1234", "626-628", "iii--iv"])),
        doi=draw(st.sampled_from(["", "10.1136/bmj.326.7390.626"])),
        url=draw(st.sampled_from(["", "https://example.org/a?b=c&d=e"])),
        abstract=draw(text),
        keywords=tuple(dict.fromkeys(k for k in draw(st.lists(_word, max_size=3)))),
        language=draw(st.sampled_from(["", "English"])),
        provenance=tuple(
            Provenance(
                draw(st.sampled_from(["db", "web;x", "a|b"])),
                f"searches/x{i}.bib",
                draw(st.integers(1, 999)),
                draw(st.sampled_from([None, "id1", "a%b"])),
            )
            for i in range(n_prov)
        ),
        extra=tuple(
            sorted(
                {
                    k: v
                    for k, v in {
                        "country": draw(text),
                        "note": draw(text),
                        "design": draw(text),
                    }.items()
                    if v
                }.items()
            )
        ),
    )


@contextmanager
def general_only() -> Iterator[None]:
    with mock.patch.object(bibtex, "_common_entry", lambda text, i: None):
        yield


def _read(text: str, path: str = "corpus/records.bib", source: str = "corpus") -> tuple[Any, ...]:
    """Everything a read gives, in a form two reads can be compared by (records, problems,
    rejects, lines, entries)."""
    result = read_bibtex(text, path, source)
    return (
        result.records,
        [p.as_dict() for p in result.problems],
        [(r.location, r.reason, r.text) for r in result.rejects],
        dict(result.lines),
        result.entries,
    )


def _both(text: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    fast = _read(text)
    with general_only():
        slow = _read(text)
    return fast, slow


@given(st.lists(records(), max_size=6))
def test_both_readers_give_the_same_records_on_every_canonical_file(recs: list[Record]) -> None:
    text = format_corpus(recs, CORPUS_HEADER)
    fast, slow = _both(text)
    assert fast == slow, text


_EDITS = [
    "\n",
    " ",
    "  ",
    "\t",
    "}",
    "{",
    ",",
    '"',
    "#",
    "%",
    "=",
    "@",
    "\r",
    "\n@misc{Hand1,\n  title = {x},\n}\n",
    "  note = {added by hand},\n",
    "@string{jn = {Journal}}\n",
    "  journal = jn,\n",
    "\n}\n",
    "title = {again},",
]


@given(
    st.lists(records(), min_size=1, max_size=4),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(_EDITS)), min_size=1, max_size=3),
)
def test_a_hand_edited_file_reads_the_same_with_the_same_lines(
    recs: list[Record], edits: list[tuple[float, str]]
) -> None:
    text = format_corpus(recs, CORPUS_HEADER)
    for where, what in edits:
        at = int(where * len(text))
        text = text[:at] + what + text[at:]
    fast, slow = _both(text)
    assert fast == slow, text


def test_the_fast_path_reads_rewrapped_entries_and_declines_broken_ones() -> None:
    recs = [
        Record(
            key=f"Smith200{i}",
            entry_type="article",
            title=f"Study {i}",
            authors=(Name("Smith", "A."),),
            year=2000 + i,
            container="BMJ",
            abstract="Some words.",
            provenance=(Provenance("db", "searches/a.bib", i + 1, None),),
        )
        for i in range(3)
    ]
    text = format_corpus(recs, CORPUS_HEADER)
    # a person re-wraps the second entry's title and breaks the third's closing brace
    text = text.replace("  title = {Study 1},", "  title = {Study\n    1},")
    text = text.replace("  title = {Study 2},", "  title = {Study 2,")
    seen: list[bool] = []
    real = bibtex._common_entry

    def spy(body: str, i: int) -> Any:
        found = real(body, i)
        seen.append(found is not None)
        return found

    with mock.patch.object(bibtex, "_common_entry", spy):
        fast = _read(text)
    # a re-wrapped value is still an ordinary braced value; the broken entry goes to the
    # general reader, which rejects it with its line
    assert seen == [True, True, False]
    _, slow = _both(text)
    assert fast == slow
    records, _, rejects, lines, _ = fast
    assert [r.key for r in records] == ["Smith2000", "Smith2001"]
    assert records[1].title == "Study 1"
    third = text[: text.index("@article{Smith2002,")].count("\n") + 1
    assert len(rejects) == 1 and rejects[0][0].line == third == lines["Smith2001"] + 10
