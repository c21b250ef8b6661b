"""Deduplication against what real database exports do to one of two records of one study.

Each class comes from a corruption run on the tune sets (issue 15): one export of the pair is
changed the way Embase, MEDLINE, Web of Science or CINAHL change it, and the pair must still be
one work; next to each, a pair of two works that the fix must not let merge. Every record here
is invented.
"""

from __future__ import annotations

from litreview.dedupe import DUPLICATE, find_duplicates
from litreview.model import Name, Record

from .dedupe_helpers import groups, record, verdict

PEOPLE = (Name("Halvorsen", "Ingrid"), Name("Mbeki", "Thandiwe"), Name("Castellanos", "Ruben"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Home visits by community midwives and breastfeeding at six months in rural districts",
    authors=PEOPLE,
    year=2019,
    container="Journal of Invented Maternal Care",
    volume="31",
    issue="4",
    pages="221-229",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- group authors -------------------------------------------------------------------------------

GROUP = Name("Writing Committee for the Rural Midwives Trial", corporate=True)
GROUP_AS_WRITTEN = Name("Rural Midwives Trial Collaborators")  # a CSV cell, not typed corporate


def test_a_group_as_the_only_author_in_one_export_and_its_members_in_another_is_one_work() -> None:
    for group in (GROUP, GROUP_AS_WRITTEN):
        # no pages to pin the two together: the authors alone must not count against them
        pair = [art("A", pages=""), art("B", authors=(group,), pages="")]
        assert verdict(*pair) == DUPLICATE
        assert groups(pair) == {frozenset({"A", "B"})}


def test_a_group_listed_before_the_members_in_one_export_only_is_one_work() -> None:
    # (merged before the group rule too: the members agree, only the first author differs)
    pair = [art("A"), art("B", authors=(GROUP, *PEOPLE))]
    assert verdict(*pair) == DUPLICATE
    assert groups(pair) == {frozenset({"A", "B"})}


def test_other_people_under_one_group_still_disagree() -> None:
    # the group is left out of the comparison, not counted as agreement: the people differ
    others = (Name("Ferreira", "Lucia"), Name("Nakamura", "Kenji"))
    a = art("A", authors=(GROUP, *PEOPLE), volume="", issue="", pages="")
    b = art("B", authors=(GROUP, *others), volume="", issue="", pages="")
    assert verdict(a, b) != DUPLICATE


# --- a database's note after the title -----------------------------------------------------------

NOTES = (
    " [Article in Spanish]",
    ". [Article in German, English abstract]",
    " [In Process Citation]",
    " [French]",
    " (author's transl)",
)


def test_a_language_note_after_the_title_is_not_part_of_it() -> None:
    for note in NOTES:
        a = art("A", volume="", issue="", pages="")
        b = art("B", title=str(BASE["title"]) + note, volume="", issue="", pages="")
        assert verdict(a, b) == DUPLICATE, note
        assert groups([a, b]) == {frozenset({"A", "B"})}, note


def test_a_language_note_does_not_hide_another_word_in_the_title() -> None:
    # with the note read as a second title, the titles' other words went unread
    sparse: dict[str, object] = dict(volume="", issue="", pages="")
    a = art(
        "A", title="Home visits by community midwives and breastfeeding at six months", **sparse
    )
    b = art(
        "B",
        title="Home visits by community midwives and bottle feeding at six months"
        " [Article in Portuguese]",
        **sparse,
    )
    for x, y in ((a, b), (b, a)):
        assert verdict(x, y) != DUPLICATE
    assert not find_duplicates([a, b]).merges


def test_a_bracketed_part_that_is_no_language_note_still_gives_another_reading() -> None:
    title = "Home visits by community midwives [Hausbesuche durch Hebammen in laendlichen Kreisen]"
    a = art("A", title="Home visits by community midwives", volume="", issue="", pages="")
    b = art("B", title=title, volume="", issue="", pages="")
    assert groups([a, b]) == {frozenset({"A", "B"})}
