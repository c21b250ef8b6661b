"""Deduplication against what real database exports do to one of two records of one study.

Each class comes from a corruption run on the tune sets (issue 15): one export of the pair is
changed the way Embase, MEDLINE, Web of Science or CINAHL change it, and the pair must still be
one work; next to each, a pair of two works that the fix must not let merge. Every record here
is invented.
"""

from __future__ import annotations

from litreview.dedupe import DUPLICATE, features, find_duplicates
from litreview.dedupe.rules import container_similarity
from litreview.model import Name, Provenance, Record
from litreview.text.normalize import title_key

from .dedupe_helpers import groups, record, rule, verdict

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


# --- a title with its original-language title in brackets ----------------------------------------


def test_a_title_in_two_languages_is_read_as_the_reading_closest_to_the_other_title() -> None:
    # Embase writes the original title after the English one; compared as the English title,
    # the words that differ (breastfeeding / bottle feeding) still keep two works apart
    sparse: dict[str, object] = dict(volume="", issue="", pages="")
    a = art(
        "A",
        title="Home visits by community midwives and breastfeeding at six months"
        " [Hausbesuche durch Hebammen und Stillen nach sechs Monaten]",
        **sparse,
    )
    b = art(
        "B", title="Home visits by community midwives and bottle feeding at six months", **sparse
    )
    for x, y in ((a, b), (b, a)):
        assert verdict(x, y) != DUPLICATE
    assert not find_duplicates([a, b]).merges
    # and the same work in one language and in two still merges
    c = art(
        "C", title="Home visits by community midwives and breastfeeding at six months", **sparse
    )
    assert groups([a, c]) == {frozenset({"A", "C"})}


def test_a_recurring_column_with_its_title_in_two_languages_is_still_a_column() -> None:
    # one export lists the column issue after issue; counted under its reading outside the
    # brackets, the title is carried by every record of it, and the sparse records, which
    # nothing places in one issue, are not merged on the title alone
    column = "Letters from the field"
    sparse: dict[str, object] = dict(volume="", issue="", pages="")

    def issue_of(key: str, title: str, **kw: object) -> Record:
        return art(key, title=title, provenance=(Provenance("src", "journal.ris", 1, key),), **kw)

    records = [
        issue_of("C0", column, volume="31", issue="1", pages="3-4"),
        issue_of("C1", column + " [Briefe aus der Praxis]", **sparse),
        issue_of("C2", column, **sparse),
        issue_of("C3", column, volume="31", issue="2", pages="3-4"),
    ]
    assert groups(records) == set()


# --- a meeting abstract typed as a conference item by one database -------------------------------


def conf(key: str, **kw: object) -> Record:
    """Embase's record of an abstract printed in the journal: typed as a conference item."""
    return art(key, entry_type="inproceedings", **kw)


def test_an_abstract_typed_two_ways_with_its_page_and_no_volume_is_one_work() -> None:
    # the conference type is no supplement: page 221 in both, neither says Suppl
    pair = [art("A", volume="", issue=""), conf("B", volume="", issue="")]
    assert verdict(*pair) == DUPLICATE
    assert groups(pair) == {frozenset({"A", "B"})}


def test_an_abstract_typed_two_ways_a_year_apart_in_one_volume_and_page_is_one_work() -> None:
    pair = [art("A"), conf("B", year=2020)]
    assert rule(*pair) != "conference-vs-journal"
    assert groups(pair) == {frozenset({"A", "B"})}


def test_an_item_typed_two_ways_in_one_issue_where_one_gives_no_page_is_one_work() -> None:
    pair = [art("A"), conf("B", pages="")]
    assert verdict(*pair) == DUPLICATE
    assert groups(pair) == {frozenset({"A", "B"})}


def test_a_conference_paper_and_its_journal_version_are_still_two_works() -> None:
    # another volume, or years two apart, or the abstract with no issue beside the paper's
    # page range in a regular issue
    for a, b in (
        (art("A"), conf("B", volume="30")),
        (art("A"), conf("B", year=2017)),
        (art("A", year=2020, volume="32"), conf("B")),
        (art("A"), conf("B", issue="", pages="")),
        (art("A", volume="", issue=""), conf("B", volume="", issue="", pages="S221")),
    ):
        assert verdict(a, b) != DUPLICATE
        assert not find_duplicates([a, b]).merges


# --- journal names -------------------------------------------------------------------------------


def test_web_of_sciences_place_after_a_journal_name_is_not_part_of_it() -> None:
    for wos, other in (
        ("FIRE-SWITZERLAND", "Fire"),
        ("CHILDREN-BASEL", "Children"),
        ("MEDICINA-LITHUANIA", "Medicina (Kaunas, Lithuania)"),
        # and its subtitle after a hyphen, where MEDLINE writes it after a colon
        (
            "ARTHROSCOPY-THE JOURNAL OF ARTHROSCOPIC AND RELATED SURGERY",
            "Arthroscopy : the journal of arthroscopic & related surgery",
        ),
        ("ACTA PAEDIATRICA-INTERNATIONAL JOURNAL OF PAEDIATRICS", "Acta paediatrica"),
    ):
        a, b = features(art("A", container=wos)), features(art("B", container=other))
        assert container_similarity(a.container, b.container) == 100, wos
    # a section after the hyphen is part of the name
    oceans = features(art("A", container="JOURNAL OF GEOPHYSICAL RESEARCH-OCEANS")).container
    assert oceans == "journal of geophysical research oceans"
    heart = "AMERICAN JOURNAL OF PHYSIOLOGY-HEART AND CIRCULATORY PHYSIOLOGY"
    assert features(art("A", container=heart)).container == title_key(heart)


# --- the issue written into the volume field -----------------------------------------------------


def test_an_issue_written_into_the_volume_field_is_read_as_the_issue() -> None:
    # a column in two issues of one volume, one export writing ``31(1)`` with no issue
    a = art("A", title="Notes from the field", volume="31(1)", issue="", pages="")
    b = art("B", title="Notes from the field", volume="31", issue="2", pages="")
    assert verdict(a, b) != DUPLICATE
    assert not find_duplicates([a, b]).merges
    # and one article written both ways is one work
    pair = [art("C", volume="31(4)", issue=""), art("D")]
    assert groups(pair) == {frozenset({"C", "D"})}


# --- a subtitle one export dropped ---------------------------------------------------------------

FULL = "Measuring gambling harm: the influence of response scaling on prevalence estimates"


def test_a_short_title_that_lost_its_subtitle_is_one_work_where_one_page_holds_both() -> None:
    # (not the translated-title rule: one export gives the first page only and no issue)
    pair = [art("A", title=FULL), art("B", title="Measuring gambling harm", issue="", pages="221")]
    assert verdict(*pair) == DUPLICATE
    assert groups(pair) == {frozenset({"A", "B"})}


def test_a_short_title_like_the_start_of_another_is_another_work_elsewhere() -> None:
    # another first page, or no place at all: a short title may be any work's
    for kw in (dict(pages="301-309"), dict(volume="", issue="", pages="")):
        a = art("A", title=FULL, **(kw if not kw.get("pages") else {}))
        b = art("B", title="Measuring gambling harm", **kw)
        assert verdict(a, b) != DUPLICATE, kw
        assert not find_duplicates([a, b]).merges, kw
