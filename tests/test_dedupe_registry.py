"""Deduplication: trial registry records. Two registrations that share a sponsor's generic
title are two trials, and a registry's entry for a trial is another record than the trial's
publication (Cochrane CENTRAL lists both, and a review keeps both)."""

from __future__ import annotations

from litreview.dedupe import DUPLICATE, UNSURE, find_duplicates
from litreview.model import Name, Record

from .dedupe_helpers import record, rule, verdict

GENERIC = "A study of zelrabimab in participants with previously treated advanced solid tumours"

ENTRY: dict[str, object] = dict(
    entry_type="misc",
    title=GENERIC,
    authors=(),
    year=2021,
    container="ClinicalTrials.gov",
)


def entry(key: str, **kw: object) -> Record:
    return record(key, ENTRY, **kw)


def test_two_registrations_under_one_generic_title_are_two_trials() -> None:
    a = entry("A", url="https://clinicaltrials.gov/show/NCT04561234")
    b = entry("B", url="https://clinicaltrials.gov/ct2/show/NCT04569876")
    assert verdict(a, b) != DUPLICATE
    assert rule(a, b) == "different-trial-registration"
    assert not find_duplicates([a, b]).merges


def test_a_sponsor_named_as_author_does_not_join_two_registrations() -> None:
    sponsor = (Name("{Halcyon Therapeutics Inc}", ""),)
    a = entry("A", authors=sponsor, url="https://clinicaltrials.gov/show/NCT04561234")
    b = entry("B", authors=sponsor, extra=(("note", "Trial registration: NCT04569876"),))
    assert rule(a, b) == "different-trial-registration"
    assert not find_duplicates([a, b]).merges


def test_one_registration_exported_twice_still_merges() -> None:
    # the same NCT number, once in the URL and once in a note (guards the rule above;
    # passes before and after it)
    a = entry("A", url="https://clinicaltrials.gov/show/NCT04561234")
    b = entry("B", extra=(("note", "NCT04561234"),))
    assert verdict(a, b) == DUPLICATE
    assert find_duplicates([a, b]).merges


def test_a_registry_entry_and_the_trials_publication_are_queued_not_merged() -> None:
    title = "Zelrabimab versus docetaxel in previously treated advanced non-squamous lung cancer"
    reg = entry("R", title=title, url="https://clinicaltrials.gov/show/NCT04561234")
    pub = record(
        "P",
        dict(
            entry_type="article",
            title=title,
            authors=(Name("Lindqvist", "Maria"), Name("Okafor", "Chidi")),
            year=2021,
            container="Journal of Thoracic Therapeutics",
        ),
    )
    assert verdict(reg, pub) == UNSURE
    assert rule(reg, pub) == "registry-entry-vs-report"
    assert not find_duplicates([reg, pub]).merges
