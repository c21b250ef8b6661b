"""Long author lists (consortium papers of hundreds or thousands of names) are compared through
an index of the other list; the index must answer every question as the name-by-name walk does."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from litreview.dedupe import rules
from litreview.dedupe.rules import (
    _compound_any,
    _compound_positions,
    _name_index,
    author_overlap,
    features,
)
from litreview.model import Name, Provenance, Record

# surnames that are parts of others (compounds, shared starts and ends), alike by a letter, and
# common ones whose initials tell people apart
_SURNAMES = [
    "garcia",
    "garciamarquez",
    "marquez",
    "kabadayi",
    "tumerkabadayi",
    "tumer",
    "smith",
    "smyth",
    "smithson",
    "wang",
    "wong",
    "zhang",
    "li",
    "lee",
    "berg",
    "bergson",
    "andersen",
    "anderson",
    "nguyen",
    "oconnor",
    "connor",
    "mac",
    "macdonald",
    "donald",
    "abab",
    "ababab",
]
_name = st.builds(
    Name,
    st.sampled_from(_SURNAMES).map(str.title),
    st.sampled_from(["", "A.", "B.", "J.", "Wei", "Wen", "Jun", "A. B.", "Maria"]),
)


def _record(key: str, authors: list[Name]) -> Record:
    return Record(
        key=key,
        entry_type="article",
        title="Global burden of a disease",
        authors=tuple(authors),
        year=2020,
        provenance=(Provenance("s", f"{key}.ris", 1, key),),
    )


@given(
    st.sampled_from([*_SURNAMES, "gar", "garci", "xq", "abababab"]),
    st.lists(st.sampled_from(_SURNAMES), max_size=12),
)
def test_the_index_finds_the_compound_parts_the_walk_finds(s: str, others: list[str]) -> None:
    names = tuple(others)
    walked = {y for y, t in enumerate(names) if _compound_any(s, (t,))}
    assert _compound_positions(s, _name_index(names)) == walked
    assert bool(walked) == _compound_any(s, names)


@settings(max_examples=150, deadline=None)
# a name alike by spelling alone (andersen / anderson) decides whether two initials are two people
@example(first=[Name("Andersen", "A.")], second=[Name("Andersen", "B."), Name("Anderson", "A.")])
@given(
    first=st.lists(_name, min_size=1, max_size=40),
    second=st.lists(_name, min_size=1, max_size=40),
)
def test_long_lists_overlap_as_short_ones_do(first: list[Name], second: list[Name]) -> None:
    a, b = features(_record("A", first)), features(_record("B", second))
    kept = rules._INDEXED_FROM
    try:
        rules._INDEXED_FROM = 10**9  # every list walked name by name
        walked = author_overlap(a, b)
        rules._INDEXED_FROM = 0  # every list through its index
        indexed = author_overlap(a, b)
    finally:
        rules._INDEXED_FROM = kept
    assert indexed == walked
