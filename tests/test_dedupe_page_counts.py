"""A page count (CINAHL's ``7p``) says how long a work is, not where it starts: it is missing
pages, neither agreement nor conflict with another record's page range."""

from __future__ import annotations

import pytest

from litreview.dedupe import DISTINCT, DUPLICATE, UNSURE
from litreview.dedupe.rules import clean_pages
from litreview.model import Name

from .dedupe_helpers import record, verdict

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Hearing aid use among older adults attending rural clinics: a cohort study",
    authors=(Name("Okafor", "Grace"), Name("Lind", "Per")),
    year=2017,
    container="Journal of Rural Audiology",
    volume="14",
    issue="2",
    pages="201-207",
)


@pytest.mark.parametrize("count", ["7p", "7 p.", "12pp", "12 pp.", "9 pages", "1 page", "7P"])
def test_a_page_count_is_no_pages(count: str) -> None:
    assert clean_pages(count) == ""


@pytest.mark.parametrize("pages", ["201-207", "p201", "e7", "S7", "7", "iv45-iv50", "7-8p"])
def test_pages_that_place_a_work_are_kept(pages: str) -> None:
    assert clean_pages(pages) == pages


def test_a_database_giving_the_page_count_merges_with_one_giving_the_range() -> None:
    cinahl = record("Cinahl", BASE, pages="7p", authors=(Name("Okafor", "G."), Name("Lind", "P.")))
    assert verdict(record("Medline", BASE), cinahl) == DUPLICATE


def test_a_page_count_does_not_make_another_volume_agree() -> None:
    other = record("Other", BASE, pages="7p", volume="15")
    assert verdict(record("Medline", BASE), other) in (UNSURE, DISTINCT)


def test_two_abstracts_of_one_page_each_with_different_titles_stay_apart() -> None:
    first = record("First", BASE, pages="1p", title="Tinnitus after noise exposure in farm workers")
    second = record(
        "Second", BASE, pages="1p", title="Cochlear implant outcomes in adults over eighty"
    )
    assert verdict(first, second) == DISTINCT
