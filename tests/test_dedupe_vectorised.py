"""The matcher's numpy paths give exactly what its plain loops give (issue 16).

Pass 1's filter (:mod:`litreview.dedupe.prefilter`) and the blocking's pairs
(:func:`litreview.dedupe.engine.candidate_pairs`) are asked with numpy on large corpora and one
pair at a time on small ones. Each pair of paths must agree on every pair: which pairs, in which
order, with which title score; and a whole run must not depend on which paths it took.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.dedupe import engine, prefilter
from litreview.dedupe.engine import find_duplicates
from litreview.dedupe.rules import title_variants
from litreview.model import Name, Provenance, Record
from litreview.text.normalize import title_key

WHISKERS = "Whiskers and wellbeing: a randomised trial of brushing in older domestic cats"
BASE = [
    WHISKERS,
    "Deep learning for cats: a systematic review of image classifiers",
    "The effect of catnip on sleep duration in shelter cats",
    "Feline obesity and owner perception: a cross-sectional survey",
    "Un estudio de la conducta felina [A study of feline behaviour]",
    "Zur Ernährung von Hauskatzen: eine Übersicht [On feeding house cats: a review]",
    "Ωμέγα-3 λιπαρά οξέα σε γάτες",  # not ASCII: the counts' other path
    "Cats 🐈 on the internet: memes, mood and the owner",
    "Editorial",
    "",
]


def _record(key: str, title: str, **kw: object) -> Record:
    base: dict[str, object] = dict(
        entry_type="article",
        title=title,
        authors=(Name("Moreau", "Anne"), Name("Okafor", "Chidi")),
        year=2020,
        container="Journal of Feline Medicine",
        volume="7",
        issue="2",
        pages="101-118",
        provenance=(Provenance("src", f"{key}.bib", 1, key),),
    )
    base.update(kw)
    return Record(key=key, **base)  # type: ignore[arg-type]


def _typo(rng: random.Random, title: str, edits: int) -> str:
    chars = list(title)
    for _ in range(edits):
        if not chars:
            break
        at = rng.randrange(len(chars))
        kind = rng.randrange(3)
        if kind == 0:
            del chars[at]
        elif kind == 1:
            chars.insert(at, rng.choice("abcdefghijklmnopqrstuvwxyz é"))
        else:
            chars[at] = rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
    return "".join(chars)


def tricky_records() -> list[Record]:
    """Pairs at and round every edge of the filter: titles a few edits apart (ratio on both sides
    of the cutoff), empty titles, bracketed other readings, a DOI or PMID shared below the
    cutoff, a title cut at its start or end (longer and shorter than the 25 characters that
    count), the same page range with and without the same volume and year, titles that are not
    ASCII, and one long enough to cap its character counts."""
    rng = random.Random(20261206)
    out: list[Record] = []

    def add(title: str, **kw: object) -> None:
        out.append(_record(f"R{len(out):03d}", title, **kw))

    for n, title in enumerate(BASE):
        add(title, doi=f"10.1000/base.{n}")
        for edits in (1, 3, 6, 9, 12, 16, 22):
            add(_typo(rng, title, edits), pages=f"{n}{edits}-{n}{edits + 9}", volume=str(edits))
    add(BASE[1], pages="")  # a title exported twice as it is: a pair at 100
    # a DOI and a PMID shared by records whose titles are far apart
    add("Grooming behaviour in multi-cat households", doi="10.1000/shared", pages="")
    add("Translated: comportement de toilettage chez le chat", doi="10.1000/shared", pages="")
    add("Litter box preferences of indoor cats", pmid="31234567", pages="")
    add("A completely different study of litter", pmid="31234567", pages="")
    # truncations: the shorter keeps the start or the end, at 25 characters and over, and under
    long_title = (
        "Feline chronic kidney disease: diet, hydration and survival in a cohort of 900 cats"
    )
    add(long_title, pages="")
    add(long_title[:40], pages="")
    add(long_title[-45:], pages="")
    add(long_title[:24], pages="")
    add(long_title[:26] + " and other things entirely unrelated to it at all", pages="")
    # the same page range: excepted only with the same volume and year, and a range
    add("Vaccination schedules for kittens in Europe", pages="300-310", volume="9", year=2018)
    add("An unrelated review of feline dentistry", pages="300-310", volume="9", year=2018)
    add("Another unrelated paper about whiskers", pages="300-310", volume="8", year=2018)
    add("A paper with one page only and nothing else", pages="300", volume="9", year=2018)
    add("Yet another paper with that one page only", pages="300", volume="9", year=2018)
    add("Undated paper sharing the range", pages="300-310", volume="9", year=None)
    add("Second undated paper sharing the range", pages="300-310", volume="9", year=None)
    # other readings in brackets, on both sides
    add("Comportement félin [Feline behaviour in shelters]", doi="")
    add("Feline behaviour in shelters", doi="")
    # more than 32,767 of one character: the counts are capped (uncapped, the second's count
    # would not fit, and the two would look far apart)
    add("a" * 32_760 + " cat", pages="")
    add("a" * 32_780 + " cat", pages="")
    add("a" * 40_000 + " cat", pages="")
    # blank titles and placeholders
    add("", doi="10.1000/blank")
    add("", doi="10.1000/blank")
    add("   ", pages="")
    return out


def _keys(records: Sequence[Record]) -> tuple[list[str], dict[int, tuple[str, ...]]]:
    tkeys = [title_key(r.title) if r.title else "" for r in records]
    alts: dict[int, tuple[str, ...]] = {}
    for i, r in enumerate(records):
        if "[" in r.title:
            readings = title_variants(r.title, tkeys[i])
            if readings:
                alts[i] = readings
    return tkeys, alts


def _every_pair(n: int, rng: random.Random | None = None) -> list[int]:
    codes = [i * n + j for i in range(n) for j in range(i + 1, n)]
    if rng is not None:
        rng.shuffle(codes)  # pass 1 takes them in the set's order, not sorted
    return codes


def test_the_filter_with_numpy_equals_the_plain_loop_on_every_pair() -> None:
    records = tricky_records()
    tkeys, alts = _keys(records)
    assert alts, "the corpus should have titles with other readings"
    codes = _every_pair(len(records), random.Random(1))
    plain = prefilter.plain(records, tkeys, alts, codes)
    fast = prefilter.vectorised(records, tkeys, alts, codes)
    assert fast == plain
    assert [type(s) for _, _, s in fast] == [type(s) for _, _, s in plain]
    # and the corpus does reach every edge it is meant to
    n = len(records)
    kept = {(i, j): s for i, j, s in plain}
    scored = [s for s in kept.values() if s]
    assert min(scored) < 90 and max(scored) == 100
    excepted = [(i, j) for (i, j), s in kept.items() if not s]
    assert any(records[i].doi and records[i].doi == records[j].doi for i, j in excepted)
    assert any(records[i].pmid and records[i].pmid == records[j].pmid for i, j in excepted)
    assert any(i in alts or j in alts for i, j in excepted)
    assert any(records[i].pages == "300-310" and not tkeys[i].startswith("a") for i, _ in excepted)
    assert any(prefilter.excepted(records, tkeys, {}, i, j) for i, j in excepted)
    below = [
        code
        for code in codes
        if divmod(code, n) not in kept
        and tkeys[code // n]
        and tkeys[code % n]
        and prefilter.fuzz.ratio(tkeys[code // n], tkeys[code % n]) >= 70
    ]
    assert below, "some pairs should fall just under the cutoff"


def test_the_filter_keeps_the_order_it_is_given() -> None:
    records = tricky_records()
    tkeys, alts = _keys(records)
    codes = _every_pair(len(records), random.Random(2))
    fast = prefilter.vectorised(records, tkeys, alts, codes)
    position = {code: k for k, code in enumerate(codes)}
    order = [position[i * len(records) + j] for i, j, _ in fast]
    assert order == sorted(order)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcde fghé0123456789ωß", min_size=0, max_size=60), min_size=2, max_size=14
    ),
    st.randoms(use_true_random=False),
)
def test_the_title_bound_never_drops_a_pair_the_ratio_keeps(
    titles: list[str], rng: random.Random
) -> None:
    # near-copies of the drawn titles, so that many pairs are close to the cutoff
    titles = titles + [_typo(rng, t, rng.randrange(1, 8)) for t in titles]
    records = [_record(f"K{k:02d}", t, doi="", pages="", year=None) for k, t in enumerate(titles)]
    tkeys = [" ".join(t.split()) for t in titles]  # the bound holds for any text, keys or not
    codes = _every_pair(len(records))
    assert prefilter.vectorised(records, tkeys, {}, codes) == prefilter.plain(
        records, tkeys, {}, codes
    )


def _blocks_of(records: list[Record]) -> tuple[list[list[int]], list[int], int]:
    captured: dict[str, tuple[list[list[int]], list[int], int]] = {}

    def capture(groups: list[list[int]], order: list[int], n: int) -> set[int]:
        captured["args"] = (groups, order, n)
        return set()

    tkeys, alts = _keys(records)
    original = engine._pairs_plain
    engine._pairs_plain = capture  # type: ignore[assignment]
    try:
        engine.candidate_pairs(records, tkeys, alts)
    finally:
        engine._pairs_plain = original
    return captured["args"]


def test_the_blocks_pairs_with_numpy_are_the_plain_set_in_its_order() -> None:
    records = tricky_records()
    # a block too large to compare all against all (a container's DOI on 60 records)
    records += [
        _record(
            f"S{k:02d}", f"Supplement abstract {k} on feline {k * 7} topics", doi="10.1000/supp"
        )
        for k in range(60)
    ]
    groups, order, n = _blocks_of(records)
    assert max(len(g) for g in groups) > engine.MAX_BLOCK
    assert min(len(g) for g in groups) <= engine.MAX_BLOCK
    plain = engine._pairs_plain(groups, order, n)
    fast = engine._pairs_vectorised(groups, order, n)
    assert fast == plain
    assert list(fast) == list(plain)  # pass 1 takes the pairs in the set's order


@pytest.mark.parametrize("split", [False, True])
def test_a_whole_run_is_the_same_whichever_paths_it_takes(
    monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    records = tricky_records()
    # second exports: another key, the title in capitals or with a typo, no DOI
    rng = random.Random(3)
    records += [
        replace(r, key=r.key + "x", title=r.title.upper() if k % 2 else _typo(rng, r.title, 2))
        for k, r in enumerate(records[::4])
        if r.title and len(r.title) < 200
    ]
    monkeypatch.setenv("LITREVIEW_WORKERS", "2" if split else "1")
    if split:
        monkeypatch.setattr(engine, "PAIRS_PER_WORKER", 10)
    monkeypatch.setattr(prefilter, "VECTORISE_PAIRS", 10**9)
    monkeypatch.setattr(engine, "VECTORISE_RECORDS", 10**9)
    plain = find_duplicates(records)
    monkeypatch.setattr(prefilter, "VECTORISE_PAIRS", 0)
    monkeypatch.setattr(engine, "VECTORISE_RECORDS", 0)
    fast = find_duplicates(records)
    assert plain.merges, "the corpus should have duplicates"
    assert fast.candidate_pairs == plain.candidate_pairs
    assert fast.scored_pairs == plain.scored_pairs
    assert fast.records == plain.records
    assert fast.merges == plain.merges
    assert fast.unsure == plain.unsure
    assert fast.model == plain.model


def test_no_pairs_and_one_record() -> None:
    records = tricky_records()[:1]
    tkeys, alts = _keys(records)
    assert prefilter.vectorised(records, tkeys, alts, []) == []
    assert engine._pairs_vectorised([], [0], 1) == engine._pairs_plain([], [0], 1) == set()
