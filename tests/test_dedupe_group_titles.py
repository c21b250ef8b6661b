"""A group that already took one record's odd title wording beside a record of the plain title
has answered that doubt: a further record of the plain title joins the group, though on its own
it would wait beside the odd one (one export's typo ``survey`` for ``surgery``; the record
without pages cannot vouch for the typo as the records with pages did)."""

from __future__ import annotations

from litreview.dedupe import find_duplicates
from litreview.model import Name

from .dedupe_helpers import groups, queued, record

PLAIN = "Hearing loss after middle ear surgery in farm workers: a cohort of rural households"
TYPO = "Hearing loss after middle ear survey in farm workers: a cohort of rural households"
BASE: dict[str, object] = dict(
    entry_type="article",
    title=PLAIN,
    authors=(Name("Okafor", "Grace"), Name("Lind", "Per"), Name("Haddad", "Sami")),
    year=2011,
    container="Journal of Rural Audiology",
    volume="19",
    issue="9",
    pages="672-685",
    doi="10.5555/jra.19.9.3",
)


def _exports() -> list:
    return [
        record("Medline", BASE),
        record("Embase", BASE, title=PLAIN + "."),
        record("Typo", BASE, title=TYPO),
        record("Scopus", BASE, pages=""),
    ]


def test_a_record_of_the_plain_title_joins_a_group_that_took_the_typo() -> None:
    assert groups(_exports()) == {frozenset({"Medline", "Embase", "Typo", "Scopus"})}


def test_it_joins_too_when_the_typo_was_merged_by_an_earlier_run() -> None:
    # the merged record keeps its survivor's plain title; the typo lives on in its parts, each
    # of which a newcomer must be able to join
    first = find_duplicates(_exports()[:3])
    assert len(first.merges) == 1 and first.merges[0].survivor != "Typo"
    later = [*first.records, record("Scopus", BASE, pages="")]
    second = find_duplicates(later, model=first.model, originals=first.originals())
    assert [sorted([m.survivor, *(r.key for r in m.absorbed)]) for m in second.merges] == [
        sorted([first.merges[0].survivor, "Scopus"])
    ]


def test_a_record_of_a_title_no_member_carries_still_waits() -> None:
    # cut short at a length, the record without pages matches the plain records, but no member
    # of their group carries its very title: the group never took the typo beside this one
    records = [r for r in _exports() if r.key != "Scopus"]
    records.append(record("Scopus", BASE, pages="", title=PLAIN.removesuffix(" households")))
    assert all("Scopus" not in g for g in groups(records))
    assert any("Scopus" in pair for pair in queued(records))


def test_a_typo_longer_than_the_right_word_is_outvoted_for_the_merged_title() -> None:
    # `survey` mistyped `surgery` by one export of three: the longest title is the typo's, but
    # the merged record keeps the wording the others give, so a later record of it joins
    right = "Hearing in farm workers: results from a national survey of rural households"
    typo = right.replace("survey", "surgery")
    first = find_duplicates(
        [
            record("Atypo", BASE, title=typo),
            record("Medline", BASE, title=right),
            record("Embase", BASE, title=right + "."),
        ]
    )
    (merged,) = first.records
    assert "survey" in merged.title and "surgery" not in merged.title
    later = [*first.records, record("Scopus", BASE, pages="", title=right)]
    second = find_duplicates(later, model=first.model, originals=first.originals())
    assert [sorted([m.survivor, *(r.key for r in m.absorbed)]) for m in second.merges] == [
        ["Atypo", "Scopus"]
    ]


def test_a_longer_title_that_differs_in_more_than_one_word_is_still_the_merged_title() -> None:
    short = "Hearing in farm workers"
    full = short + ": results from a national survey"
    first = find_duplicates(
        [
            record("A", BASE, title=short),
            record("B", BASE, title=short),
            record("C", BASE, title=full),
        ]
    )
    assert [r.title for r in first.records] == [full]
