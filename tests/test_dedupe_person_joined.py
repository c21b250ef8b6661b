"""A record a person merged into another is one work with it by that person's word.

The matcher checks every pair a merge would join, so that A~B and B~C never make A~C on the
machine's rules alone; records merged in earlier runs count as the records they were made of.
A preprint a person merged into its published version counted too: a third copy of the
published article (the review's own export read back, another database's record) was then held
apart from the survivor because "a preprint and its published version are never merged
automatically", and waited for a person who had already answered. A part a person's 'same'
put into a survivor is not checked against a newcomer again; parts the machine merged still are.
"""

from __future__ import annotations

from litreview.dedupe import SAME, Decision, find_duplicates
from litreview.model import Name

from .dedupe_helpers import record

PUBLISHED: dict[str, object] = dict(
    entry_type="article",
    title="Nurse staffing levels and in-hospital mortality after emergency surgery",
    authors=(Name("Okafor", "Chidi"), Name("Lindqvist", "Maja"), Name("Silva", "Renata")),
    year=2021,
    container="Invented Journal of Surgical Care",
    volume="12",
    issue="3",
    pages="201-210",
    doi="10.9999/ijsc.2021.0201",
)
PREPRINT: dict[str, object] = dict(
    PUBLISHED,
    entry_type="misc",
    year=2020,
    container="medRxiv",
    volume="",
    issue="",
    pages="",
    doi="10.1101/2020.05.01.20087001",
)


def _after_a_persons_merge() -> tuple[object, dict[str, tuple[object, ...]], Decision]:
    published, preprint = record("Okafor2021", PUBLISHED), record("Okafor2020", PREPRINT)
    same = Decision("Okafor2021", "Okafor2020", SAME, reviewer="R1", date="2026-12-01")
    first = find_duplicates([published, preprint], (same,))
    assert [m.survivor for m in first.merges] == ["Okafor2021"], "the person's 'same' merges"
    return first, first.originals(), same


def test_a_copy_of_the_published_version_joins_a_survivor_a_person_merged_with_its_preprint() -> (
    None
):
    first, originals, same = _after_a_persons_merge()
    (survivor,) = first.records
    copy = record("Okafor2021a", PUBLISHED)
    result = find_duplicates(
        [survivor, copy], (same,), aliases={"Okafor2020": "Okafor2021"}, originals=originals
    )
    assert [(m.survivor, [r.key for r in m.absorbed]) for m in result.merges] == [
        ("Okafor2021", ["Okafor2021a"])
    ]
    assert not result.unsure


def test_a_part_the_machine_merged_in_still_holds_a_newcomer_apart() -> None:
    # without a person's word, a part is checked as before: the article's record from two years
    # before its print year, merged on the shared DOI, keeps out a record of the print year
    # without the DOI (two years apart and nothing shared is no pair on its own), though that
    # record matches the survivor itself
    published = record("Okafor2021", PUBLISHED)
    early = record("Okafor2021b", PUBLISHED, year=2019, volume="", issue="", pages="")
    first = find_duplicates([published, early])
    (survivor,) = first.records
    newcomer = record("Okafor2021c", PUBLISHED, doi="")
    result = find_duplicates(
        [survivor, newcomer], aliases={"Okafor2021b": "Okafor2021"}, originals=first.originals()
    )
    assert not result.merges
