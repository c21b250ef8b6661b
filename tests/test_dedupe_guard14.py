"""Deduplication, guard round 14: four classes of false merges a red-team found on main, each
two different works that merged.

* Two teams whose author lists share one common surname under other given names (``Zhang,
  Wei`` in one list, ``Zhang, Li`` in the other, no other author alike): lists were compared by
  surname, and the two counted as sharing an author.
* A meeting abstract's number before a break (``P-123: Title``), the abstract typed as an
  article, against the full paper of that title: the number was cut off as a column's heading
  a database puts before a title, and the two titles were one.
* A gene's symbol before a break (``EP300: Mutations in X``) in one supplement beside the
  team's other abstract (``Mutations in X``): cut off the same way. In Title Case a symbol and
  an abstract's number cannot be told apart, so neither is cut.
* Numbers written in groups of three digits (``1 000`` / ``1 000 000``): a key splits them into
  their groups, and both titles held the numbers ``1`` and ``000``.

Every record here is invented. Each class sits beside the one work exported twice that must
still merge.
"""

from __future__ import annotations

from litreview.dedupe.rules import author_overlap, features
from litreview.model import Name, Record

from .dedupe_helpers import merged, not_merged, queued, record, rule

PEOPLE = (Name("Adeyemi", "Tolu"), Name("Halvorsen", "Ingrid"), Name("Mendoza", "Lucia"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Nurse-led titration of diuretics at home after a hospital stay for heart failure",
    authors=PEOPLE,
    year=2022,
    container="Invented Journal of Cardiac Nursing",
    volume="17",
    issue="4",
    pages="233-241",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- 1. two teams that share only a common surname --------------------------------------------------

#: a generic title a clinical journal prints again and again, from many teams
GENERIC = "Clinical effect of moxibustion combined with rehabilitation training on shoulder pain"

CHINESE: dict[str, object] = dict(
    entry_type="article",
    title=GENERIC,
    year=2020,
    container="Invented Chinese Journal of Rehabilitation Medicine",
    volume="35",
    issue="6",
    pages="",
)

TEAM_ONE = (Name("Zhang", "Wei"), Name("Liu", "Yang"), Name("Chen", "Hong"))
#: other people, one of them another Zhang, in another place in the list each time
TEAMS_TWO = (
    (Name("Wu", "Min"), Name("Zhang", "Li"), Name("Zhou", "Fang")),
    (Name("Zhao", "Jun"), Name("Sun", "Qing"), Name("Zhang", "Xiaoming")),
    (Name("Huang", "Rui"), Name("Zhang", "L.")),
    # one initial, another given name written out
    (Name("Wu", "Min"), Name("Zhang", "Wen"), Name("Zhou", "Fang")),
    (Name("Zhang", "Wen"), Name("Wu", "Min"), Name("Zhou", "Fang")),
)


def test_two_teams_sharing_only_a_common_surname_under_other_initials_are_two_works() -> None:
    # two teams under one generic title in one journal's year, one record without its issue:
    # the two Zhangs were counted as one shared author and the pair merged
    one = record("A", CHINESE, authors=TEAM_ONE)
    for team in TEAMS_TWO:
        for place in ({}, dict(volume="", issue="")):
            other = record("B", CHINESE, authors=team, **place)
            share, _ = author_overlap(features(one), features(other)) or (100.0, True)
            assert share == 0.0, team
            not_merged(one, other)
    # two Zhangs after another first author on each side too
    one = record(
        "A", CHINESE, authors=(Name("Wang", "Jun"), Name("Zhang", "Wei"), Name("Chen", "Hong"))
    )
    other = record(
        "B", CHINESE, authors=(Name("Li", "Na"), Name("Zhang", "Li"), Name("Zhou", "Fang"))
    )
    not_merged(one, other)


def test_two_korean_teams_sharing_a_kim_under_other_hyphenated_given_names_are_two_works() -> None:
    # ``Kim, Ji-Hoon`` and ``Kim, Ji-Won`` share a first syllable and an initial: read as
    # ``Ji`` both were one person, and two teams' papers under one title merged
    korean: dict[str, object] = {**CHINESE, "container": "Invented Korean Journal of Surgery"}
    one = record("A", korean, authors=(Name("Kim", "Ji-Hoon"), Name("Lee", "Sung-Min")))
    other = record("B", korean, authors=(Name("Kim", "Ji-Won"), Name("Choi", "Yong-Su")), issue="")
    not_merged(one, other)
    # one person's name as two exports write it
    for given in ("J.H.", "JH", "Ji Hoon", "Jihoon"):
        same = record("B", korean, authors=(Name("Kim", given), Name("Lee", "S.M.")), issue="")
        merged(one, same)


def test_initials_and_full_names_of_one_person_still_agree() -> None:
    # one list as two exports write it: MEDLINE's initials (run together or with full stops),
    # another's full given names, a shortened list
    one = record("A", CHINESE, authors=TEAM_ONE)
    for team in (
        (Name("Zhang", "W"), Name("Liu", "Y"), Name("Chen", "H")),
        (Name("Zhang", "W."), Name("Liu", "Y."), Name("Chen", "H.")),
        (Name("Zhang", "WX"), Name("Liu", "Y"), Name("Chen", "H")),
        (Name("Zhang", "W"), Name("Liu", "Y")),
    ):
        other = record("B", CHINESE, authors=team, volume="", issue="")
        share, _ = author_overlap(features(one), features(other)) or (0.0, False)
        assert share == 100.0, team
        merged(one, other)
    # a given name cut short by one export (``Jing`` of ``Jing-Yi``), or spelt two ways
    for given, other_given in (
        ("Jing-Yi", "Jing"),
        ("Jingyi", "Jing Yi"),
        ("Mohammed", "Mohammad"),
    ):
        one = record("A", CHINESE, authors=(Name("Zhang", given), *TEAM_ONE[1:]))
        other = record("B", CHINESE, authors=(Name("Zhang", other_given), *TEAM_ONE[1:]))
        merged(one, other)
    # a surname that is not among the most common: a given name written two ways (a short
    # form, a typo) is as often one person's, and counts as shared
    share, _ = author_overlap(
        features(record("A", CHINESE, authors=(Name("Brennan", "Michael"), Name("Osei", "Kofi")))),
        features(record("B", CHINESE, authors=(Name("Brennan", "Mike"), Name("Osei", "Kofi")))),
    ) or (0.0, False)
    assert share == 100.0
    # two people of one surname in one list, each found with their own initial
    two = (Name("Zhang", "Wei"), Name("Zhang", "Li"), Name("Chen", "Hong"))
    share, _ = author_overlap(
        features(record("A", CHINESE, authors=two)),
        features(
            record(
                "B", CHINESE, authors=(Name("Zhang", "L"), Name("Zhang", "W"), Name("Chen", "H"))
            )
        ),
    ) or (0.0, False)
    assert share == 100.0


# --- 2. a meeting abstract's number before a break, against the full paper ---------------------

CODES = ("P-123", "OP45", "LBA12", "MON-123", "#412", "PO-12", "Abstract 123", "[P123]")

#: the abstract's record as a database gives it: typed an article in the journal, the meeting's
#: year, no place at all or the volume alone
ABSTRACT_PLACES: tuple[dict[str, object], ...] = (
    dict(volume="", issue="", pages=""),
    dict(issue="", pages=""),
)


def test_a_meeting_abstracts_number_before_a_break_does_not_join_it_to_the_full_paper() -> None:
    # the number cut off at its colon as a column's heading left the abstract's title the
    # paper's, and the two merged. The number says the record is the abstract; only a shared
    # identifier or one first page would make the two one item
    title = str(BASE["title"])
    papers = (art("P"), art("P", volume="", issue="", pages="", doi="10.99999/invented.ijcn.233"))
    for paper in papers:
        for code in CODES:
            for separator in (": ", ". ", " - "):
                for place in ABSTRACT_PLACES:
                    abstract = art("A", title=f"{code}{separator}{title}", **place)
                    not_merged(abstract, paper)
                    assert queued([abstract, paper]) == {frozenset({"A", "P"})}, (code, place)


def test_an_abstract_with_and_without_its_number_on_one_page_still_merges() -> None:
    # one abstract in a supplement, one export with its number before the title: the same
    # first page places both
    title = str(BASE["title"])
    printed = art("W", issue="Suppl 2", pages="S88")
    for code in CODES:
        merged(art("E", title=f"{code}: {title}", issue="Suppl 2", pages="S88"), printed)


# --- 3. a gene's symbol before a break, in one supplement ------------------------------------------

PANEL = "mutations in relapsed childhood acute lymphoblastic leukaemia: an international cohort"

SUPPLEMENT: dict[str, object] = dict(
    container="Invented Journal of Haematology", volume="140", issue="Suppl 1", year=2022
)


def _symbol_pair(symbol: str, separator: str, title_case: bool) -> tuple[Record, Record]:
    rest = PANEL.title() if title_case else PANEL
    general = rest[0].upper() + rest[1:]
    return (
        art("A", title=f"{symbol}{separator}{general}", pages="S12", **SUPPLEMENT),
        art("B", title=general, pages="", **SUPPLEMENT),
    )


def test_a_symbol_before_a_break_is_a_word_of_the_title_in_any_case() -> None:
    # one team's two abstracts in one supplement, the gene's and the whole panel's, one without
    # its page: the symbol was cut off at its colon or dash and the two merged. In Title Case
    # a symbol and an abstract's number (``EP300``, an e-poster's) look the same: neither is cut
    for symbol in ("EP300", "TP53", "OC43", "PD-1"):
        for separator in (": ", " - "):
            for title_case in (False, True):
                a, b = _symbol_pair(symbol, separator, title_case)
                not_merged(a, b)
                assert queued([a, b]) == {frozenset({"A", "B"})}, (symbol, separator)


def test_a_column_heading_before_a_break_is_still_cut() -> None:
    # a heading of words a database put before the title is no code: still one work
    title = str(BASE["title"])
    for heading in ("Original research", "Clinical practice"):
        merged(art("A", title=f"{heading}: {title}"), art("B", volume="", issue="", pages=""))


# --- 4. numbers written in groups of three digits ---------------------------------------------------


def test_a_number_in_groups_of_three_digits_is_one_number() -> None:
    # a key splits ``1 000`` into ``1`` and ``000``, and ``1 000 000`` gave the same two: the
    # titles of two works, one of a thousand patients and one of a million, merged
    for one, other in (
        ("1 000", "1 000 000"),
        ("1\u2009000", "1\u2009000\u2009000"),
        ("1\u202f000", "1\u202f000\u202f000"),
        ("1,000", "1,000,000"),
        ("2 000", "2 000 000"),
    ):
        a = art("A", title=f"Lung cancer screening in {one} smokers in primary care")
        b = art("B", title=f"Lung cancer screening in {other} smokers in primary care", pages="")
        not_merged(a, b)
        assert rule(a, b) == "different-numbers-in-title", (one, other)


def test_one_number_written_with_any_separator_still_merges() -> None:
    # exports of one title write the number with a thin space, a comma, a space or none: one
    # number (before, ``1,000`` against ``1000`` was two titles' numbers)
    forms = ("1 000", "1\u2009000", "1\u00a0000", "1,000", "1000")
    for n, one in enumerate(forms):
        for other in forms[n + 1 :]:
            merged(
                art("A", title=f"Lung cancer screening in {one} smokers in primary care"),
                art(
                    "B",
                    title=f"Lung cancer screening in {other} smokers in primary care",
                    volume="",
                    issue="",
                    pages="",
                ),
            )
    # a decimal and a number after a symbol and its hyphen are not joined to the next digits
    for title in ("Dosing at 0.125 mg in 2 500 infants", "COVID-19 100 days on: a ward survey"):
        merged(art("A", title=title), art("B", title=title, volume="", issue="", pages=""))


# --- further red-team: a meeting abstract noted so at its title's end, against the full paper ----

ABSTRACT_NOTES = (
    " [abstract]",
    " (Abstract)",
    " [Meeting Abstract]",
    " (poster presentation)",
    " [Poster]",
    ": abstract P123",
    " (Abstract No. 123)",
    " (P-123)",
    " [OP45]",
)


def test_an_abstract_noted_at_its_titles_end_is_not_the_full_paper() -> None:
    # a reference list's or a database's record of the meeting abstract (``Title [abstract]``,
    # as NLM's citation style writes one) with no place, against the full paper in a regular
    # issue or online first: the note was read as a subtitle one export dropped, and the two
    # merged. Now a person decides
    title = str(BASE["title"])
    for paper in (art("P"), art("P", volume="", issue="", pages="")):
        for note in ABSTRACT_NOTES:
            abstract = art("A", title=f"{title}{note}", volume="", issue="", pages="")
            not_merged(abstract, paper)
            assert rule(abstract, paper) == "abstract-vs-paper", note
            assert queued([abstract, paper]) == {frozenset({"A", "P"})}, note


def test_an_abstract_noted_at_its_titles_end_still_joins_its_supplements_record() -> None:
    # the meeting's record with the note, the supplement's without it: one abstract. So are
    # two records on one page, and a title that ends in the word as a word of its own
    title = str(BASE["title"])
    printed = art("W", issue="Suppl 2", pages="S412")
    for note in ABSTRACT_NOTES:
        noted = f"{title}{note}"
        merged(art("E", entry_type="inproceedings", title=noted, issue="", pages=""), printed)
        merged(art("E", title=noted, issue="Suppl 2", pages="S412"), printed)
        merged(art("E", title=noted, issue="", pages="412"), art("F", issue="", pages="412"))
    for title in ("How to write a conference abstract", "Reading the abstract: a survey"):
        merged(art("A", title=title, volume="", issue="", pages=""), art("B", title=title))


# --- further red-team: what a reference list writes after a title, against the article --------

TITLE_NOTES = {
    " [Doctoral dissertation, Invented University]": "thesis-vs-other",
    " (PhD thesis)": "thesis-vs-other",
    " [Master's thesis, Invented University]": "thesis-vs-other",
    " [Preprint]": "preprint-vs-published",
    " (preprint)": "preprint-vs-published",
    " [Conference presentation]": "abstract-vs-paper",
    " [Paper presentation]": "abstract-vs-paper",
    " [Poster presentation]": "abstract-vs-paper",
}


def test_a_thesis_a_preprint_or_a_talk_noted_at_its_titles_end_is_not_the_article() -> None:
    # a record read from a reference list in APA's style (``Title [Doctoral dissertation,
    # University]``, ``Title [Preprint]``, ``Title [Conference presentation]``), typed as an
    # article or not typed, with the article's authors and year: the note was read as a
    # subtitle one export dropped, and the thesis, the preprint or the talk merged with the
    # published article of its title
    title = str(BASE["title"])
    for note, expected in TITLE_NOTES.items():
        noted = art("A", title=f"{title}{note}", volume="", issue="", pages="")
        not_merged(noted, art("P"))
        assert rule(noted, art("P")) == expected, note
        # two records with the note are one item
        merged(noted, art("B", title=f"{title}{note}", volume="", issue="", pages=""))


# --- further red-team: a guideline's short version or translation -----------------------------------

GUIDELINE = "Guideline for the management of atrial fibrillation in primary care"

SHORT_FORMS = (
    f"{GUIDELINE} (abridged version)",
    f"{GUIDELINE}: short version",
    f"{GUIDELINE}: pocket guide",
    f"{GUIDELINE}: key recommendations",
    f"{GUIDELINE} [Chinese version]",
    f"{GUIDELINE}: summary of recommendations",
)


def test_a_guidelines_short_version_or_translation_is_another_report() -> None:
    # the full guideline in an issue and its short form or translation (often in the same
    # journal and year, by the same authors) without a place yet: the short form's note was
    # read as a subtitle one export dropped, and the two merged (an executive summary was
    # already another report)
    for title in SHORT_FORMS:
        short = art("A", title=title, volume="", issue="", pages="")
        full = art("B", title=GUIDELINE)
        not_merged(short, full)
        assert rule(short, full) == "other-report-of-the-study", title


def test_a_guidelines_short_version_exported_twice_still_merges() -> None:
    for title in SHORT_FORMS:
        merged(art("A", title=title), art("B", title=title, volume="", issue="", pages=""))
    # and the guideline itself, one export with its subtitle
    merged(
        art("A", title=f"{GUIDELINE}: a national consensus"), art("B", title=GUIDELINE, pages="")
    )


# --- further red-team: a code with a character more -------------------------------------------------


def test_a_code_with_a_character_more_is_another_code() -> None:
    # hydrogen peroxide and water, HbA1c and HbA1: a code that starts with the other was read
    # as a word cut short, and the two studies merged. A code is never cut inside
    for one, other in (
        (
            "Effect of H2O2 on corneal epithelial cells in culture",
            "Effect of H2O on corneal epithelial cells in culture",
        ),
        (
            "HbA1c variability and retinopathy in adolescents",
            "HbA1 variability and retinopathy in adolescents",
        ),
    ):
        a = art("A", title=one)
        b = art("B", title=other, volume="", issue="", pages="")
        not_merged(a, b)
        assert rule(a, b) == "different-words-in-titles", one
        # one code as two exports write it is one title
        merged(a, art("B", title=one, volume="", issue="", pages=""))


# --- further red-team: two abstracts of one supplement ---------------------------------------------

#: a supplement whose every abstract carries the supplement's DOI, and the library holds two
SHARED_DOI: dict[str, object] = {**SUPPLEMENT, "doi": "10.99999/invented.ijh.140.s1"}


def test_two_abstracts_of_one_supplement_are_not_one_by_its_doi_or_its_issue() -> None:
    # one team's two abstracts in one supplement, one without its page: the supplement's DOI
    # (shared by two records only, so not read as a container's) or the supplement's journal,
    # year, volume and issue, which every abstract there shares, merged a gene's abstract and
    # the panel's, a subgroup's and the whole cohort's, and two abstracts on two pages
    general = PANEL[0].upper() + PANEL[1:]
    for one, other, pages in (
        (f"EP300: {general}", general, ("S12", "")),
        (f"{general} in older adults", general, ("S12", "")),
        (f"P-123: {general}", general, ("S12", "S14")),
    ):
        for place in (SHARED_DOI, SUPPLEMENT):
            a = art("A", title=one, pages=pages[0], **place)
            b = art("B", title=other, pages=pages[1], **place)
            not_merged(a, b)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (one, place)


def test_one_abstract_exported_twice_in_its_supplement_still_merges() -> None:
    # the same title, one record without its page; or a title cut at a length on one page
    general = PANEL[0].upper() + PANEL[1:]
    for place in (SHARED_DOI, SUPPLEMENT):
        merged(
            art("A", title=general, pages="S12", **place),
            art("B", title=general, pages="", **place),
        )
        merged(
            art("A", title=f"{general} in older adults", pages="S12", **place),
            art("B", title=general, pages="S12", **place),
        )


# --- further red-team: two PubMed citations ----------------------------------------------------------

STATEMENT = "Consensus statement on the management of acute pulmonary embolism in pregnancy"


def test_two_records_with_different_pmids_wait_for_a_person() -> None:
    # a joint statement printed in two journals (or a record of it without its journal), each
    # with its own PMID: nothing else told them apart and they merged. Different DOIs were
    # distinct already; different PMIDs are two PubMed citations, for a person to see
    first = art("A", title=STATEMENT, pmid="33111111")
    for other in (
        art("B", title=STATEMENT, pmid="33222222", container="", volume="", issue="", pages=""),
        art("B", title=STATEMENT, pmid="33222222", volume="", issue="", pages=""),
    ):
        not_merged(first, other)
        assert rule(first, other) == "different-pmid"
        assert queued([first, other]) == {frozenset({"A", "B"})}


def test_one_pmid_or_one_doi_still_merges() -> None:
    # the same PMID, a PMID on one record only, or two PMIDs beside one DOI
    first = art("A", title=STATEMENT, pmid="33111111")
    merged(first, art("B", title=STATEMENT, pmid="33111111", volume="", issue="", pages=""))
    merged(first, art("B", title=STATEMENT, volume="", issue="", pages=""))
    doi = "10.99999/invented.statement.1"
    merged(
        art("A", title=STATEMENT, pmid="33111111", doi=doi),
        art("B", title=STATEMENT, pmid="33222222", doi=doi, volume="", issue="", pages=""),
    )


# --- further red-team: the authors' response and a correspondence under the article's title -----


def test_the_authors_response_under_the_articles_title_is_a_notice() -> None:
    # the article's own authors answer a letter under its title, ``Authors' response: X``; a
    # journal heads a letter ``Correspondence: X`` or an invited discussion ``Invited
    # discussion: X``: with the article's authors, journal and year they merged with it
    title = str(BASE["title"])
    for opening, kind in (
        ("Authors' response: ", "reply"),
        ("Author's response to ", "reply"),
        ("Author response: ", "peer review"),
        ("Correspondence: ", "comment"),
        ("Invited discussion: ", "comment"),
    ):
        notice = art("A", title=f"{opening}{title}", volume="", issue="", pages="")
        not_merged(notice, art("P"))
        assert rule(notice, art("P")) == f"notice-vs-article:{kind}/article", opening
        # the notice exported twice
        merged(notice, art("B", title=f"{opening}{title}", volume="", issue="", pages=""))
    # words that open a title and are no notice
    for title in (
        "Correspondence between ultrasound and MRI in rotator cuff tears",
        "Response to treatment in older adults",
    ):
        merged(art("A", title=title), art("B", title=title, volume="", issue="", pages=""))
