"""The unsure queue and a journal's standing columns.

A column's installments share their title year after year ("Editor's notes", "Standards"), and
bibliographic databases list them without pages. Two installments a year apart looked like one
article with its online and print years, so each such pair waited for a person: on a public
computer-science benchmark (DBLP-ACM) they were 294 of 517 queued pairs, and every one was two
works. A standing item's title that an export lists more than once, or a title the library
holds in two places, says nothing of which year's installment a record is: such pairs are kept
apart. An article whose online and print years differ still waits for a person, also when one
export lists it twice under a short title (any short title kept apart hid true pairs of Cora and
DBLP-Scholar from the queue).

Front matter under a short title with no author ("Meetings and announcements") is the same
case within one year: two issues' items share the title, journal and year, and only a place or
an identifier makes two records of it one item (two such pairs were merged on DBLP-ACM).
"""

from __future__ import annotations

from litreview.dedupe import find_duplicates
from litreview.model import Name, Provenance, Record

from .dedupe_helpers import record

EDITOR = (Name("Achterberg", "Liesbeth"),)

NOTES: dict[str, object] = dict(
    entry_type="article",
    title="Notes from the editor",
    authors=EDITOR,
    container="Invented Bulletin of Ward Management",
)


def _from(export: str, key: str, line: int) -> tuple[Provenance, ...]:
    return (Provenance(export, f"{export}.ris", line, key),)


def _column(export: str, years: tuple[int, ...]) -> list[Record]:
    return [
        record(f"{export}{y}{n}", NOTES, year=y, provenance=_from(export, f"{export}{y}{n}", n))
        for n, y in enumerate(years)
    ]


def _pairs(records: list[Record]) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in find_duplicates(records).unsure}


def test_a_columns_installments_of_different_years_do_not_wait_for_a_person() -> None:
    # one export lists the column three times over two years, another lists it twice
    records = _column("dbone", (2002, 2002, 2003)) + _column("dbtwo", (2002, 2003))
    years = {r.key: r.year for r in records}
    queued = _pairs(records)
    assert all(len({years[k] for k in pair}) == 1 for pair in queued), queued
    assert not find_duplicates(records).merges  # nothing places any installment


def test_an_article_with_its_online_and_print_years_still_waits_for_a_person() -> None:
    article: dict[str, object] = dict(
        entry_type="article",
        title="Bed occupancy and delayed discharge in district general hospitals",
        authors=(Name("Mwangi", "Joseph"), Name("Silva", "Renata")),
        container="Invented Journal of Hospital Care",
    )
    online = record("A", article, year=2014, provenance=_from("dbone", "A", 1))
    printed = record("B", article, year=2015, provenance=_from("dbtwo", "B", 1))
    assert _pairs([online, printed]) == {frozenset(("A", "B"))}


UNSIGNED: dict[str, object] = dict(
    entry_type="article",
    title="Meetings and announcements",
    authors=(),
    year=2009,
    container="Invented Bulletin of Ward Management",
)


def test_two_unsigned_items_with_a_short_title_and_no_place_wait_for_a_person() -> None:
    # front matter printed in every issue under one title, by no named author: the title,
    # journal and year are all two issues' items share
    a = record("A", UNSIGNED, provenance=_from("dbone", "A", 1))
    b = record("B", UNSIGNED, provenance=_from("dbone", "B", 9))
    result = find_duplicates([a, b])
    assert not result.merges
    assert _pairs([a, b]) == {frozenset(("A", "B"))}


def test_unsigned_items_placed_in_one_issue_or_sharing_an_identifier_still_merge() -> None:
    placed = dict(volume="12", issue="3", pages="201-202")
    for one, two in (
        (placed, placed),
        ({"doi": "10.9999/ibwm.2009.0301"}, {"doi": "10.9999/ibwm.2009.0301"}),
    ):
        a = record("A", UNSIGNED, provenance=_from("dbone", "A", 1), **one)
        b = record("B", UNSIGNED, provenance=_from("dbtwo", "B", 1), **two)
        assert len(find_duplicates([a, b]).merges) == 1, one


def test_a_signed_item_with_a_short_title_still_merges_on_title_authors_journal_and_year() -> None:
    signed = dict(UNSIGNED, title="Delirium on surgical wards", authors=EDITOR)
    a = record("A", signed, provenance=_from("dbone", "A", 1))
    b = record("B", signed, provenance=_from("dbtwo", "B", 1))
    assert len(find_duplicates([a, b]).merges) == 1


def test_an_article_one_export_lists_twice_with_its_online_and_print_years_still_waits() -> None:
    # a short title that is no standing item's ("Delirium after hip fracture"): Embase lists
    # the article twice (its own in-press record, 2019, and the MEDLINE record it also
    # exports, 2020), CINAHL once; no identifier is shared and nothing places any of them.
    # Three records of a title in two files read as "an export lists it more than once", as a
    # column's installments do, and the 2019 record was kept apart from both unseen. On the
    # public sets the rule was tuned on, 18 of the 29 pairs it took out of Cora's queue and 6 of
    # DBLP-Scholar's are one work by the gold; none is among those a standing item's title gives
    article: dict[str, object] = dict(
        entry_type="article",
        title="Delirium after hip fracture",
        authors=(Name("Okafor", "Chidi"), Name("Lindqvist", "Maja")),
        container="Invented Journal of Orthogeriatrics",
    )
    records = [
        record("E1", article, year=2019, provenance=_from("embase", "E1", 1)),
        record("E2", article, year=2020, provenance=_from("embase", "E2", 2)),
        record("C1", article, year=2020, provenance=_from("cinahl", "C1", 1)),
    ]
    queued = _pairs(records)
    assert frozenset(("E1", "E2")) in queued and frozenset(("E1", "C1")) in queued, queued
