"""Deduplication, the twelfth red-team round: false merges the eleventh round left. A data
set, software or a supplement deposited under an article's title and named so only at the
title's end (``X [Data set]``, as APA writes one; ``X (Computer software)``; figshare's ``X -
Supplementary data``), beside the article: a repository's record with the article's authors
and year, typed ``misc`` and in no journal, which matched the article on every field it had; a
comparison turned round (``Once-daily versus twice-daily X`` / ``Twice-daily versus once-daily
X``), whose words all agree; and a Greek letter's name read, with the next word, as a word both
titles have (``ALPHA trial`` as ``a trial``, the ``atrial`` of ``atrial fibrillation``), so that
two trials' names went unseen; and ``and`` in one title where the other has ``or``.

Probed and already kept apart on the code this round started from (a person sees them, or they
are told apart): doses (``10 mg`` / ``20 mg``, ``low-dose`` / ``high-dose``), species (mice /
rats, a murine / a porcine model), drug names a few letters apart (cefazolin / cefuroxime,
metformin / metoprolol), two countries, age groups, a gene's variant (``V600E`` / ``V600K``,
``G12C`` / ``G12D``), a negation (``does not``), a year range at the title's end, a national
survey's yearly reports, chapters titled ``Introduction`` in two books, editorials sharing a
long opening, a data set on Zenodo or figshare without a note in its title.

Every record here is invented. Each class of two works sits next to the one work exported
twice that its rule was written for, which must still merge (or, where the evidence is
one-sided, wait for a person).
"""

from __future__ import annotations

from litreview.model import Name, Record

from .dedupe_helpers import merged, not_merged, queued, record, rule

PEOPLE = (Name("Osei", "Kwabena"), Name("Marchetti", "Giulia"), Name("Lund", "Sigrid"))

TITLE = "Cohort data on blood pressure and kidney function in older adults in a coastal town"

BASE: dict[str, object] = dict(
    entry_type="article",
    title=TITLE,
    authors=PEOPLE,
    year=2019,
    container="Invented Journal of Renal Epidemiology",
    volume="8",
    issue="2",
    pages="101-109",
)

#: a repository's record: typed ``misc``, in no journal, with no place
DEPOSIT: dict[str, object] = dict(entry_type="misc", container="", volume="", issue="", pages="")


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- 1. a deposit named so at its title's end, beside the article ---------------------------------

DEPOSITS = (
    f"{TITLE} [Data set]",
    f"{TITLE} [dataset]",
    f"{TITLE} (Computer software)",
    f"{TITLE} - Supplementary data",
    f"{TITLE}: supplementary material",
    f"{TITLE}. Replication data",
    f"{TITLE} \u2013 Supplementary Tables",
)


def test_a_deposit_named_at_its_titles_end_is_not_the_article() -> None:
    # a data set, software or a supplement a repository lists under the article's title with
    # the article's authors and year, and says what it is only at the title's end: nothing
    # else it had disagreed with the article, and the two merged (one of them even when the
    # pair alone was judged unsure)
    for title in DEPOSITS:
        paper = art("A")
        for deposit in (
            art("B", title=title, **DEPOSIT),
            art("B", title=title, **{**DEPOSIT, "doi": "10.99999/invented.deposit.17"}),
        ):
            not_merged(paper, deposit)
            assert rule(paper, deposit).startswith("deposit-vs-work:"), title
        # a record of the title placed nowhere, in no journal or in one (online first):
        # perhaps the deposit cited without its note, for a person
        deposit = art("B", title=title, **DEPOSIT)
        for bare in (art("A", **DEPOSIT), art("A", volume="", issue="", pages="")):
            not_merged(bare, deposit)
            assert queued([bare, deposit]) == {frozenset({"A", "B"})}, title


def test_one_deposit_or_one_article_exported_twice_still_merges() -> None:
    # the note on both records: one deposit as two exports give it
    for title in DEPOSITS:
        merged(art("A", title=title, **DEPOSIT), art("B", title=title, **DEPOSIT))
    # the article twice, once without its place in the issue
    merged(art("A"), art("B", volume="", issue="", pages=""))
    # words that end a title and name no deposit
    for title in (
        "Sharing of clinical trial data: a survey of trial investigators",
        "Supplementary feeding for moderate acute malnutrition in children: a trial",
        "Open software for meta-analysis of diagnostic accuracy in nursing research",
    ):
        merged(art("A", title=title), art("B", title=title, volume="", issue="", pages=""))


# --- 2. the two things a title sets against each other, named the other way round ---------------

TURNED = (
    (
        "Once-daily versus twice-daily tacrolimus after kidney transplantation in adults",
        "Twice-daily versus once-daily tacrolimus after kidney transplantation in adults",
    ),
    (
        "Northern versus southern European diets and colorectal cancer in a cohort",
        "Southern versus northern European diets and colorectal cancer in a cohort",
    ),
    (
        "Early vs late feeding after gastrostomy in children with cerebral palsy",
        "Late vs early feeding after gastrostomy in children with cerebral palsy",
    ),
)


def test_a_comparison_turned_round_waits_for_a_person() -> None:
    # the same words in another order, the two arms of a comparison exchanged: the title's
    # words all agree, so nothing told two trials (or a trial and its converse) apart, and
    # they merged. No export reorders a title; one typed by hand might, so a person decides
    for one, two in TURNED:
        for kw in (dict(pages=""), dict(volume="", issue="", pages="")):
            a, b = art("A", title=one), art("B", title=two, **kw)
            not_merged(a, b)
            assert rule(a, b) == "comparison-turned-round", (one, two)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (one, two)


def test_a_comparison_written_two_ways_still_merges() -> None:
    # one comparison as exports write it: ``versus``, ``vs``, ``vs.``, ``v``, hyphens or none
    one = "Once-daily versus twice-daily tacrolimus after kidney transplantation in adults"
    for two in (
        "Once-daily vs. twice-daily tacrolimus after kidney transplantation in adults",
        "Once daily vs twice daily tacrolimus after kidney transplantation in adults",
        "ONCE-DAILY V. TWICE-DAILY TACROLIMUS AFTER KIDNEY TRANSPLANTATION IN ADULTS",
    ):
        merged(art("A", title=one), art("B", title=two, volume="", issue="", pages=""))
    # the same title turned round in one place (the year and first page), or beside a shared
    # DOI: a title typed by hand, or a reference manager's retyped title
    merged(art("A", title=TURNED[0][0]), art("B", title=TURNED[0][1]))
    merged(
        art("A", title=TURNED[0][0], doi="10.99999/invented.tac.3"),
        art("B", title=TURNED[0][1], doi="10.99999/invented.tac.3"),
    )


# --- 3. a Greek letter's name read, with the next word, as a word both titles have -------------

AF = "Early rhythm control in atrial fibrillation after a first stroke: the {} trial"


def test_a_greek_letter_and_the_next_word_are_not_a_shared_word_split() -> None:
    # ``alpha`` is ``a`` as an export without Greek letters writes it, and ``a trial`` run
    # together is ``atrial``, a word the other title has: ``alpha`` was read as the other
    # title's ``atrial`` split, and two trials merged. A run explains a word only where the
    # other title has the run's word more often than this one does (both have ``atrial``)
    for one, two in (("ALPHA", "OMEGA"), ("ALPHA", "DELTA"), ("Alpha", "Zeta"), ("ALPHA", "BETA")):
        for kw in (dict(pages=""), dict(volume="", issue="", pages="")):
            a, b = art("A", title=AF.format(one)), art("B", title=AF.format(two), **kw)
            not_merged(a, b)
            assert rule(a, b) == "different-words-in-titles", (one, two)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (one, two)


def test_a_letter_or_greek_letter_written_two_ways_still_merges() -> None:
    # the joins the rule was written for: ``U.S.`` as ``US``, ``IL-1 beta`` as ``IL-1b``,
    # ``alpha`` as ``a``, one trial's title as two exports write it
    for one, two in (
        (
            "Atrial fibrillation screening in U.S. adults: the ALPHA trial",
            "Atrial fibrillation screening in US adults: the ALPHA trial",
        ),
        (
            "IL-1 beta and atrial fibrillation after cardiac surgery: a cohort study",
            "IL-1b and atrial fibrillation after cardiac surgery: a cohort study",
        ),
        (
            "TNF alpha blockade in atrial fibrillation after cardiac surgery",
            "TNF a blockade in atrial fibrillation after cardiac surgery",
        ),
        (AF.format("ALPHA"), AF.format("Alpha")),
    ):
        merged(art("A", title=one), art("B", title=two, volume="", issue="", pages=""))


# --- 4. ``and`` in one title where the other has ``or`` --------------------------------------------

AND_OR = (
    (
        "Depression and anxiety in carers of people with dementia living at home",
        "Depression or anxiety in carers of people with dementia living at home",
    ),
    (
        "Adults with and without diabetes attending an emergency department for falls",
        "Adults with or without diabetes attending an emergency department for falls",
    ),
)


def test_and_where_the_other_title_has_or_waits_for_a_person() -> None:
    # both things or either: another question, and function words never counted as a title's
    # words, so the two merged
    for one, two in AND_OR:
        for kw in (dict(pages=""), dict(volume="", issue="", pages="")):
            a, b = art("A", title=one), art("B", title=two, **kw)
            not_merged(a, b)
            assert rule(a, b) == "different-words-in-titles", (one, two)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (one, two)


def test_and_written_two_ways_still_merges() -> None:
    # ``&`` and ``and``, ``&amp;`` as one export escapes it; and one printed item typed by hand
    one = AND_OR[0][0]
    for two in (one.replace(" and ", " & "), one.replace(" and ", " &amp; ")):
        merged(art("A", title=one), art("B", title=two, volume="", issue="", pages=""))
    merged(art("A", title=AND_OR[0][0]), art("B", title=AND_OR[0][1]))
