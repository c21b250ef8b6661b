"""Deduplication, the tenth red-team round: false merges the ninth round left. An update or a
later edition beside a record without a year, a title that goes on with words joined on by
``and``, a team's two papers in one issue (one record without pages), a letter, a reply or
another edition under the article's title with an ending the rules did not know, a gene's
symbol starting with a vowel read as a footnote's mark, ``&amp;`` read with its semicolon as a
break; and, for recall, one title by the same authors two years apart in no journal, which was
kept apart without a person seeing it.

Every record here is invented. Each class of two works sits next to the one work exported
twice that its rule was written for, which must still merge (or, where the evidence is
one-sided, wait for a person).
"""

from __future__ import annotations

from litreview.dedupe import DUPLICATE
from litreview.model import Name, Record

from .dedupe_helpers import groups, merged, not_merged, queued, record, rule, verdict

PEOPLE = (Name("Okonkwo", "Adaeze"), Name("Lindgren", "Mats"), Name("Ferreira", "Beatriz"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Guideline for the prevention of pressure ulcers in adults receiving care at home",
    authors=PEOPLE,
    year=2021,
    container="Invented Journal of Community Nursing",
    volume="17",
    issue="4",
    pages="233-241",
)

NO_PLACE: dict[str, object] = dict(volume="", issue="", pages="")


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- 1. an update or a later edition beside a record without a year ------------------------------

GUIDE = BASE["title"]
LATER = (
    f"{GUIDE}: update",
    f"{GUIDE} (2024 update)",
    f"{GUIDE}. Update 2024",
    f"{GUIDE}: updated",
    f"{GUIDE} - update",
    f"{GUIDE}, second edition",
    f"{GUIDE} (revised edition)",
    f"{GUIDE}: revised",
)


def test_an_update_or_a_later_edition_beside_a_record_without_a_year_waits() -> None:
    # the guideline and its later version in one journal, one record without a year (and so
    # nothing for the year rule to weigh): ``update`` on its own, a year's update, a second
    # or revised edition were no report the rules knew, and the two merged
    for later in LATER:
        for original, other in (
            (art("A", year=None), art("B", title=later, **NO_PLACE)),
            (art("A", year=None, **NO_PLACE), art("B", title=later)),
            (art("A", year=None, **NO_PLACE), art("B", title=later, year=None)),
        ):
            not_merged(original, other)
            assert queued([original, other]) == {frozenset({"A", "B"})}, later


def test_one_update_exported_twice_and_update_as_a_topic_still_merge() -> None:
    for title in (LATER[0], LATER[1], LATER[5]):
        merged(art("A", title=title), art("B", title=title, year=None, **NO_PLACE))
    # ``update`` as the title's topic, one export writing it in the plural
    topic = "A records interface for home care visit update"
    merged(art("A", title=topic), art("B", title=f"{topic}s", year=None, **NO_PLACE))


# --- 2. a title that goes on with words joined on by ``and`` -----------------------------------

STROKE = "Early mobilisation after acute stroke"


def test_a_title_going_on_with_and_is_a_wider_paper() -> None:
    # "... after acute stroke" and "... after acute stroke and myocardial infarction": a team's
    # paper and its wider one in one journal and year, one record without volume, issue or
    # pages. Read as a database's cut at a length, the year and journal stood for a place and
    # the two merged
    for short, wide in (
        (STROKE, f"{STROKE} and myocardial infarction"),
        (
            "Hip fracture surgery outcomes in older women",
            "Hip fracture surgery outcomes in older women and men",
        ),
        (STROKE, f"{STROKE} or transient ischaemic attack"),
    ):
        for a, b in (
            (art("A", title=short, **NO_PLACE), art("B", title=wide)),
            (art("A", title=short), art("B", title=wide, **NO_PLACE)),
        ):
            not_merged(a, b)
            assert queued([a, b]) == {frozenset({"A", "B"})}, wide


def test_a_title_cut_at_a_length_before_and_still_merges() -> None:
    # the cut the eighth round's rule was written for: at a whole word, in plain words, the
    # same journal and year; before an ``and`` too when the title says it was cut (``...``)
    # or is long enough for a database's cut at a length (100 characters)
    long_title = (
        "Effect of a nurse-led programme of early mobilisation on walking, falls, mood and"
        " return home in adults admitted to hospital after acute stroke and their carers"
    )
    merged(
        art("A", title=f"{STROKE} in a district general hospital"),
        art("B", title=STROKE, **NO_PLACE),
    )
    shorter = long_title.split(" and their carers")[0]
    assert len(shorter) >= 100
    merged(art("A", title=long_title), art("B", title=shorter, **NO_PLACE))
    merged(
        art("A", title=f"{STROKE} and myocardial infarction"),
        art("B", title=f"{STROKE}...", **NO_PLACE),
    )


# --- 3. a team's two papers in one issue, one record without pages ------------------------------

ISSUE_ONLY: dict[str, object] = dict(pages="")


def test_a_shared_issue_alone_does_not_join_a_title_and_one_that_holds_it() -> None:
    # the same journal, volume and issue, one record without pages: a team's paper and its
    # wider one, or a letter's ``Further thoughts on ...`` beside the article, in one issue.
    # The shared issue counted as a place and the two merged; only a shared first page pins
    # them together, or a shorter title that looks cut at a length
    for one, two in (
        (STROKE, f"{STROKE} and myocardial infarction"),
        (f"Further thoughts on {GUIDE.lower()}", GUIDE),
    ):
        for a, b in (
            (art("A", title=one), art("B", title=two, **ISSUE_ONLY)),
            (art("A", title=one, **ISSUE_ONLY), art("B", title=two)),
        ):
            not_merged(a, b)
            assert queued([a, b]) == {frozenset({"A", "B"})}, one


def test_a_shared_issue_still_places_a_cut_title_and_a_first_page_any() -> None:
    # a title cut at a whole word (plain words after it) or inside a word, one record
    # without pages in the same issue; and words before a title on the same first page
    cut = (
        "Pressure ulcer incidence among adults receiving care at home from community nurses"
        " in three English regions"
    )
    for shorter in (cut[:83], cut[: cut.index("regions") + 4]):
        merged(art("A", title=cut), art("B", title=shorter, **ISSUE_ONLY))
    merged(
        art("A", title=f"{STROKE} and myocardial infarction"),
        art("B", title=STROKE, issue=""),
    )


# --- 4. a letter, a reply or another edition under an ending the rules did not know -------------

NOTES = (
    f"{GUIDE} (letter)",
    f"{GUIDE} [Letter]",
    f"{GUIDE}. Letter",
    f"{GUIDE} (editorial)",
    f"{GUIDE} - a response",
    f"{GUIDE}: response",
    f"{GUIDE}: a rejoinder",
    f"{GUIDE} (Chinese edition)",
)


def test_a_letter_reply_or_edition_is_not_the_article() -> None:
    # the article and a letter, an editorial, the authors' response or a journal's edition in
    # another language under its title with an ending the rules did not read: the two merged
    for note in NOTES:
        for a, b in (
            (art("A", title=note, authors=()), art("B", **NO_PLACE)),
            (art("A", title=note, **NO_PLACE), art("B")),
        ):
            not_merged(a, b)
    # a letter or an edition waits for a person (another database's record of the letter
    # may lack the note); a response is a notice, kept apart
    letter, article = art("A", title=NOTES[0], **NO_PLACE), art("B")
    assert queued([letter, article]) == {frozenset({"A", "B"})}
    assert rule(art("A", title=NOTES[4]), art("B")).startswith("notice-vs-article")


def test_a_letters_two_records_and_a_dose_response_title_still_merge() -> None:
    # the letter from two databases, both noting it; one issue's volume and first page
    # holding both; and ``dose-response`` at a title's end, which is no reply
    merged(art("A", title=NOTES[0]), art("B", title=NOTES[1], **NO_PLACE))
    merged(art("A", title=NOTES[0]), art("B", issue=""))
    title = "Sitting time and blood pressure in older adults: the dose-response"
    merged(art("A", title=title), art("B", title=title, **NO_PLACE))


# --- 5. a gene's symbol starting with a vowel read as a footnote's mark ---------------------------

LIPIDS = "Plasma lipid levels and memory decline in older carriers of {}"


def test_a_vowel_initial_gene_symbol_is_no_footnote() -> None:
    # ``apoe4`` (``akt1``, ``erbb2``) glued to the title's last word in a title with capitals:
    # a symbol starting with a vowel was read as an English word with a footnote's digit,
    # and the title on the gene in general merged with it
    for gene in ("apoe4", "akt1", "erbb2", "abcb1"):
        not_merged(
            art("A", title=LIPIDS.format(gene)),
            art("B", title=LIPIDS.format(gene[:-1]), **NO_PLACE),
        )


def test_a_footnote_after_a_word_starting_with_a_vowel_still_merges() -> None:
    title = "Plasma lipid levels and memory decline in older adults"
    merged(art("A", title=title), art("B", title=f"{title}1", **NO_PLACE))
    both = LIPIDS.format("apoe4")
    merged(art("A", title=both), art("B", title=both, **NO_PLACE))


# --- 6. ``&amp;`` and its semicolon --------------------------------------------------------------

RESPONSE = "Chemotherapy {} response to treatment in older women with breast cancer"


def test_an_ampersand_entity_is_the_word_and() -> None:
    # ``&amp;`` as exported: its semicolon was read as a break in the title, so ``... &amp;
    # response to ...`` was a reply after a break, kept apart from its other record; escaped
    # twice (``&amp;amp;``) or without its semicolon, ``amp`` was a word of the title
    for one in ("&amp;", "&amp;amp;", "&amp", "&#38;"):
        for two in ("&", "and"):
            merged(
                art("A", title=RESPONSE.format(one)),
                art("B", title=RESPONSE.format(two), **NO_PLACE),
            )
    for one in ("Sleep &amp;amp; mood", "Sleep &amp mood"):
        merged(art("A", title=one), art("B", title="Sleep and mood", **NO_PLACE))


def test_an_ampersand_still_joins_on_another_group() -> None:
    # ``in women &amp; men`` / ``in women``: the word joined on is another group, however
    # ``and`` is written
    for amp in ("&amp;", "&", "and"):
        not_merged(
            art("A", title=f"Hip fracture surgery outcomes in older women {amp} men"),
            art("B", title="Hip fracture surgery outcomes in older women", **NO_PLACE),
        )


# --- 7. (recall) one title by the same authors, years apart, in no journal -----------------------

REPORT: dict[str, object] = dict(container="", volume="", issue="", pages="")


def test_one_title_by_the_same_authors_years_apart_in_no_journal_waits() -> None:
    # a working paper and its publication, or a report put out again: no journal on either
    # record, the same title and authors two or three years apart. The years kept them apart
    # and no person saw them
    for years in (2, 3):
        a = art("A", **REPORT)
        b = art("B", year=2021 + years, **REPORT)
        assert verdict(a, b) != DUPLICATE
        assert groups([a, b]) == set()
        assert queued([a, b]) == {frozenset({"A", "B"})}, years


def test_a_title_years_apart_in_a_journal_or_by_others_stays_apart() -> None:
    # in a journal (a column, an annual report), by other authors, or further apart: two
    # works, as before, and no one is asked
    others = (Name("Haddad", "Karim"), Name("Novak", "Petra"))
    for a, b in (
        (art("A"), art("B", year=2023, **NO_PLACE)),
        (art("A", **REPORT), art("B", year=2023, authors=others, **REPORT)),
        (art("A", **REPORT), art("B", year=2026, **REPORT)),
    ):
        not_merged(a, b)
        assert queued([a, b]) == set()
