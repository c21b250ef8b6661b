"""Deduplication: never-merge rules, merge field selection, decisions, undo, CLI, invariants."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from litreview.cli import cli
from litreview.corpus.store import load_corpus, save_corpus
from litreview.dedupe import (
    DIFFERENT,
    DISTINCT,
    DUPLICATE,
    SAME,
    UNSURE,
    Decision,
    Verdict,
    compare,
    decide,
    dedupe_project,
    features,
    find_duplicates,
    load_duplicates,
    merge_records,
    undo,
)
from litreview.dedupe.model import Thresholds
from litreview.dedupe.store import load_absorbed
from litreview.errors import ConfigError, InputError
from litreview.model import Name, Provenance, Record
from litreview.project import Project

from .dedupe_helpers import groups, record, verdict

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dedupe"
ROOT = Path(__file__).resolve().parent.parent

SMITH = (Name("Smith", "John"), Name("Doe", "Jane"))


BASE: dict[str, object] = dict(
    entry_type="article",
    title="Deep learning for cats: a systematic review",
    authors=SMITH,
    year=2019,
    container="Journal of Cat Studies",
    volume="12",
    issue="3",
    pages="1-10",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- sure duplicates ---------------------------------------------------------------------------


def test_same_doi_is_a_duplicate() -> None:
    assert (
        verdict(
            art("A", doi="10.1/x"), art("B", doi="10.1/x", title="Deep learning in cats: a review")
        )
        == DUPLICATE
    )


@pytest.mark.parametrize(
    "change",
    [
        {"title": "DEEP LEARNING FOR CATS - A SYSTEMATIC REVIEW."},
        {"authors": (Name("Smith", "J."), Name("Doe", "J."))},
        {"container": "J. Cat Stud."},
        {"title": "Deep learning for cats"[:0] + "Deep learning for cats: a systematic"},
        {"authors": (Name("Smíth", "John"), Name("Döe", "Jane"))},
    ],
)
def test_variants_of_one_work_are_duplicates(change: dict[str, object]) -> None:
    assert verdict(art("A"), art("B", **change)) == DUPLICATE


def test_year_off_by_one_merges_only_when_volume_and_page_agree() -> None:
    assert verdict(art("A"), art("B", year=2020)) == DUPLICATE
    assert verdict(art("A"), art("B", year=2020, volume="", pages="")) == UNSURE


# --- what exports do to one record (found on real data, each a general pattern) ----------------


def test_a_bracketed_original_title_matches_the_title_it_translates() -> None:
    german = art(
        "A", title="Arbeiten in der Crowd: Perspektiven relationaler Ungleichheit", doi="10.1/x"
    )
    english = art(
        "B",
        title="Crowdwork: a relational view [Arbeiten in der Crowd: Perspektiven relationaler Ungleichheit]",
    )
    assert verdict(german, english) == DUPLICATE
    assert groups([german, english]) == {frozenset({"A", "B"})}


def test_html_markup_and_entities_in_titles_are_ignored() -> None:
    marked = art("A", title="Deep learning for <i>cats</i> &amp; dogs: a systematic review")
    assert (
        verdict(marked, art("B", title="Deep learning for cats & dogs: a systematic review"))
        == DUPLICATE
    )
    assert features(marked).tkey == "deep learning for cats and dogs a systematic review"


def test_a_record_with_a_bracketed_title_is_never_paired_with_itself() -> None:
    title = "Platform work and its many discontents in Europe [Plattformarbeit und ihr Unbehagen]"
    a = art("A", title=title)
    result = find_duplicates(
        [a, art("B", title="Platform work and its many discontents in Europe")]
    )
    assert [(p.a, p.b) for m in result.merges for p in m.links] == [("A", "B")]


def test_a_section_label_in_brackets_does_not_hide_a_duplicate() -> None:
    assert (
        verdict(
            art("A", title="The all-seeing employer"),
            art("B", title="The all-seeing employer - [careers]"),
        )
        == DUPLICATE
    )


def test_a_column_heading_before_the_title_is_a_truncation() -> None:
    a = art("A", title="How did it ... Deep learning for cats: a systematic review")
    assert verdict(a, art("B")) == DUPLICATE
    assert groups([a, art("B")]) == {frozenset({"A", "B"})}


# one title that runs on past the other: an export's cut, or the same team's next work. The
# weights decide little here, so the checks use a merge threshold any such pair clears: what is
# pinned is what the rules let through, not this test's default weights.

_WHISKERS = "Whisker length and hunting success in farm cats of the northern uplands"
_LOOSE = Thresholds(merge_at=0.5, queue_at=0.2)


def _unplaced(key: str, **kw: object) -> Record:
    """A record with nothing that places it in an issue (no volume, issue or pages)."""
    return art(key, **{"volume": "", "issue": "", "pages": "", **kw})


def _loose(a: Record, b: Record) -> Verdict:
    return compare(features(a), features(b), thresholds=_LOOSE)


def test_a_title_that_goes_on_in_plain_words_at_another_venue_waits_for_a_person() -> None:
    # the same team's follow-up at another conference: "Planning X" is not an export's cut of X
    first = _unplaced(
        "A",
        entry_type="inproceedings",
        title="Hypothetical queries over a warehouse of sales figures",
        container="Very Large Data Bases",
    )
    later = _unplaced(
        "B",
        entry_type="inproceedings",
        title="Planning hypothetical queries over a warehouse of sales figures",
        container="Data Engineering",
    )
    v = _loose(first, later)
    assert v.outcome == UNSURE
    assert "one title goes on where the other ends" in v.reason


def test_a_title_that_goes_on_in_plain_words_without_a_year_waits_for_a_person() -> None:
    follow_up = _unplaced("A", title=_WHISKERS + " ten years on")
    assert _loose(follow_up, _unplaced("B", title=_WHISKERS, year=None)).outcome == UNSURE


def test_a_title_cut_at_a_length_merges_when_year_and_journal_agree() -> None:
    # a database that cuts long titles cuts mid-phrase, with no break before the lost words
    cut = _unplaced("B", title=_WHISKERS.rsplit(" ", 2)[0])
    assert _loose(art("A", title=_WHISKERS), cut).outcome == DUPLICATE


def test_a_title_that_goes_on_in_plain_words_merges_when_the_issue_places_both() -> None:
    a = art("A", title=_WHISKERS, container="J Cat Stud", pages="101-110", year=None)
    b = art("B", title=_WHISKERS + " of Wales", container="Cat Studies", pages="101-110")
    assert _loose(a, b).outcome == DUPLICATE


def test_a_subtitle_cut_off_at_its_colon_merges_without_a_place() -> None:
    # an export that drops the subtitle cuts at the colon: the common truncation
    whole = _unplaced("A", title=_WHISKERS + ": a cohort study")
    assert _loose(whole, _unplaced("B", title=_WHISKERS, year=None)).outcome == DUPLICATE


@pytest.mark.parametrize("sep", [": ", " / ", " − ", " ‐ ", "： ", " · ", " - ", " (", ". "])
def test_a_subtitle_after_any_break_an_export_writes_is_a_truncation(sep: str) -> None:
    from litreview.dedupe.rules import AT_BREAK, title_similarity
    from litreview.text.normalize import title_key

    whole = _WHISKERS + sep + "a cohort study"
    assert title_similarity(title_key(whole), title_key(_WHISKERS), whole)[1] == AT_BREAK


def test_a_title_with_thousands_of_breaks_is_read_quickly() -> None:
    from litreview.dedupe.rules import MAX_BREAKS, title_pieces

    # a cell that swallowed rows: the pieces looked at are capped, so this is instant
    assert len(title_pieces("a. " * 5000, "")) <= 2 * MAX_BREAKS


def test_in_response_to_inside_a_title_is_not_a_reply() -> None:
    a = art(
        "A", title="Scaling a volunteer map in response to humanitarian events", pages="4113-4122"
    )
    b = art("B", title="Scaling a volunteer map", pages="4113-4122")
    assert features(a).notice == ""
    assert verdict(a, b) == DUPLICATE
    assert features(art("C", title="Response to: Scaling a volunteer map")).notice == "reply"


@pytest.mark.parametrize(
    ("field", "one", "two"),
    [
        ("issue", "2/3", "2-3"),
        ("issue", "S10", "SI"),
        ("issue", "1", "1, SI"),
        ("issue", "3", "May"),
        ("volume", "12 LNCS", "12"),
        ("volume", "2019", "12"),
    ],
)
def test_volume_and_issue_written_differently_agree(field: str, one: str, two: str) -> None:
    assert verdict(art("A", **{field: one}), art("B", **{field: two})) == DUPLICATE


def test_different_issue_numbers_weigh_against_a_pair_and_block_it_with_a_second_conflict() -> None:
    same = compare(features(art("A", issue="1")), features(art("B", issue="1")))
    one = compare(features(art("A", issue="1")), features(art("B", issue="2")))
    assert one.bits < same.bits
    assert (
        verdict(art("A", issue="1", pages="1-10"), art("B", issue="2", pages="31-40")) != DUPLICATE
    )


def test_given_and_family_names_swapped_by_one_export_agree() -> None:
    a = art("A", authors=(Name("Carignani", "Andrea"), Name("Negri", "Lorenzo")), pages="")
    b = art("B", authors=(Name("Andrea", "C."), Name("Lorenzo", "N.")), pages="")
    assert verdict(a, b) == DUPLICATE
    # a different given name is not a swap
    assert verdict(a, art("C", authors=(Name("Andrea", "K."),), pages="")) != DUPLICATE


def test_medline_full_journal_name_with_its_publisher_after_a_colon_is_the_journal() -> None:
    from litreview.dedupe.rules import container_key

    for full in (
        "Sleep Medicine Research : official journal of the Society for Sleep Nursing",
        "Sleep medicine research : an international journal of sleep and breathing",
        "Sleep medicine research : the journal of the Society for Sleep Nursing",
        "Sleep Medicine Research : SMR",
        "Sleep medicine research = Recherche en medecine du sommeil",
    ):
        assert container_key(full) == "sleep medicine research", full
    # a subtitle that names a section or a series keeps two journals apart
    assert container_key("Acta Nursing : Part A: Clinical Practice") != container_key(
        "Acta Nursing : Part B: Education"
    )
    assert container_key("Journal of Ward Studies: Conference Series") != container_key(
        "Journal of Ward Studies"
    )


def test_an_abbreviated_journal_name_matches_its_full_name() -> None:
    from litreview.dedupe.rules import container_similarity

    # letters left out inside a word (ISO 4: ``Natl``, ``Epidemiol``), word for word
    assert (
        container_similarity(
            "j epidemiol community health", "journal of epidemiology and community health"
        )
        == 95.0
    )
    # the full name's last words left off: a weak match, not the same name
    weak = container_similarity(
        "proc natl acad sci",
        "proceedings of the national academy of sciences of the united states of america",
    )
    assert weak is not None and 60 <= weak < 90
    # letters that are not the word's own, or not in its order, are another journal
    assert (container_similarity("j med", "journal of mind") or 0) < 60
    assert (container_similarity("j clin lncs", "journal of clinical oncology") or 0) < 90
    # letters in order are no abbreviation unless ISO 4 uses them: these are other journals
    for one, other in [
        ("j clin psychol", "journal of clinical psychopharmacology"),
        ("journal of clinical psychology", "journal of clinical psychopharmacology"),
        ("neurology", "neuropsychology"),
        ("nutr res", "nutrition reviews"),
        ("dev psychol", "development and psychopathology"),
    ]:
        assert (container_similarity(one, other) or 0) < 90, (one, other)
    # one letter stands for one word (J for Journal), a plural is another journal, and two
    # one-word names that differ are two journals
    assert (container_similarity("jama pediatr", "j pediatr") or 0) < 90
    assert (container_similarity("cancer", "cancers") or 0) < 90
    assert (container_similarity("child", "children") or 0) < 90
    # word for word but for two short words that abbreviate nothing of each other
    assert (container_similarity("pharmacol rep", "pharmacol res") or 0) < 90
    assert (container_similarity("j bone joint surg am", "j bone joint surg br") or 0) < 90
    # an acronym with a word the full name lacks is another journal
    assert (container_similarity("bmj open", "british medical journal") or 0) < 60
    assert container_similarity("bmj", "british medical journal") == 90.0
    # contractions from the list, as MEDLINE writes them
    for short, full in [
        ("dtsch med wochenschr", "deutsche medizinische wochenschrift"),
        ("morb mortal wkly rep", "morbidity and mortality weekly report"),
        ("j bone jt surg", "journal of bone and joint surgery"),
    ]:
        assert container_similarity(short, full) == 95.0, short
    # the words left off the end are a country, never a subject
    assert (container_similarity("am j med", "american journal of medical genetics") or 0) < 60
    assert (
        container_similarity("j public health", "journal of public health management") or 0
    ) < 80


def _journals(one: str, other: str) -> float:
    from litreview.dedupe.rules import container_key, container_similarity

    return container_similarity(container_key(one), container_key(other)) or 0.0


def test_two_abbreviations_of_two_words_are_two_journals() -> None:
    # Pharm abbreviates Pharmaceutical or Pharmacy, Pharmacol Pharmacology: that one is the
    # other's start does not make them one word, whether the other side is written short or full
    for one, other in [
        ("Pharm Res", "Pharmacol Res"),
        ("J Pharm Sci", "J Pharmacol Sci"),
        ("Pharm Res", "Pharmacological Research"),
        ("J Pharm Sci", "Journal of Pharmacological Sciences"),
        ("J Phys", "J Physiol"),
        ("Res Med", "Respir Med"),
        ("J Int Med", "J Intern Med"),
        ("Hum Rep", "Hum Reprod"),
        # a long name in which only the differing word's letters differ
        ("Int J Pharm Sci Res", "Int J Pharmacol Sci Res"),
    ]:
        assert _journals(one, other) < 90, (one, other)
    # each abbreviation still matches its own word, and a journal's names in two databases'
    # abbreviations (ISO 4's Pharm, Web of Science's Pharmaceut) stay one journal
    for short, full in [
        ("Pharm Res", "Pharmaceutical Research"),
        ("Pharmacol Res", "Pharmacological Research"),
        ("J Pharmacol Sci", "Journal of Pharmacological Sciences"),
        ("J Clin Oncol", "Journal of Clinical Oncology"),
        ("Psychol Med", "Psychological Medicine"),
        ("Int J Pharm", "Int J Pharmaceut"),
        ("Int J Pharm", "International Journal of Pharmaceutics"),
        ("Int J Epidemiol", "International Journal of Epidemiology"),
        ("Resp Med", "Respiratory Medicine"),
        ("Resp Med", "Respir Med"),
        ("Sch Psychol Int", "School Psychology International"),
        ("Bio Protoc", "Bio-protocol"),
    ]:
        assert _journals(short, full) == 95.0, (short, full)


def test_a_word_of_a_full_journal_name_with_no_counterpart_makes_another_journal() -> None:
    for one, other in [
        ("European Journal of Cancer", "European Journal of Cancer Care"),
        ("Eur J Cancer", "Eur J Cancer Care"),
        # the Care journal's meeting is not the Eur J Cancer's
        ("Eur J Cancer", "Eur J Cancer Care Conference abstracts"),
        (
            "Journal of the American Medical Association",
            "Journal of the American Medical Womens Association",
        ),
        ("Pharmaceutical Research", "Pharmacological Research"),
        ("Journal of Pharmaceutical Sciences", "Journal of Pharmacological Sciences"),
    ]:
        assert _journals(one, other) < 90, (one, other)
    # a misspelling, another spelling or a plural is the same journal
    for one, other in [
        ("Jounal of Clinical Oncology", "Journal of Clinical Oncology"),
        ("Clinical Infectious Diseases", "Clinical Infectious Disease"),
        ("Journal of Paediatrics and Child Health", "Journal of Pediatrics and Child Health"),
    ]:
        assert _journals(one, other) >= 90, (one, other)
    # a meeting's words straight after the name, and a place left off, still match
    assert (
        _journals("Blood", "Blood Conference: 62nd Annual Meeting of a Haematology Society") == 90
    )
    weak = _journals(
        "Proc Natl Acad Sci",
        "Proceedings of the National Academy of Sciences of the United States of America",
    )
    assert 60 <= weak < 90


def test_an_article_naming_no_journal_goes_to_a_person_against_a_meeting_abstract() -> None:
    meeting = art(
        "C",
        entry_type="inproceedings",
        container="Annual Meeting of the Cat Society",
        volume="",
        pages="",
    )
    unnamed = art("J", container="", volume="", pages="")
    assert verdict(meeting, unnamed) == UNSURE
    # and the record that names the journal is the one it joins
    journal = art("K", container="Journal of Adolescent Health", volume="64", pages="201-210")
    assert groups([meeting, unnamed, journal]) == {frozenset({"J", "K"})}


def test_an_editors_column_on_the_same_pages_of_each_issue_is_not_one_item() -> None:
    # a journal numbering each issue from 1: the column is on pages 3-4 of issues 2, 3 and 4
    notes = [
        art(
            k,
            title="Notes from the editor on recent developments in community nursing practice",
            issue=issue,
            pages="3-4",
        )
        for k, issue in (("A", "2"), ("B", "3"), ("C", "4"))
    ]
    assert find_duplicates(notes).merges == ()
    assert verdict(notes[0], notes[1]) != DUPLICATE


def test_a_long_column_at_the_front_of_two_issues_of_one_volume_is_not_one_item() -> None:
    # a journal numbering each issue from 1 prints its editor's column on pages 3-7 of every
    # issue: five pages and a title of many words do not make two instalments one item
    column = art(
        "A",
        title="Letter from the editor: what this issue asks of practice educators in midwifery",
        authors=(Name("Penhallow", "Rosalind"),),
        container="Rural Midwifery Practice",
        volume="9",
        issue="2",
        pages="3-7",
        year=2017,
    )
    later = replace(column, key="B", issue="5")
    assert verdict(column, later) != DUPLICATE
    assert find_duplicates([column, later]).merges == ()
    # deep in a volume the same page range still outweighs one export's misprinted issue
    article = art(
        "C",
        title="Tourniquet time and wound healing after knee replacement in adults over seventy",
        issue="4",
        pages="1123-1131",
    )
    assert verdict(article, replace(article, key="D", issue="6")) == DUPLICATE


def test_pages_counted_from_one_excuse_years_only_in_the_same_journal_and_three_years_at_most() -> (
    None
):
    base = art("A", container="Nutrients", volume="3", issue="1", pages="1-8", year=2008)
    assert verdict(base, replace(base, key="B", year=2018)) != DUPLICATE
    assert verdict(base, replace(base, key="B", year=2010, container="")) != DUPLICATE
    assert verdict(base, replace(base, key="B", year=2010)) == DUPLICATE


def test_a_conference_name_with_its_theme_added_matches_the_plain_name() -> None:
    conf = {"entry_type": "inproceedings", "volume": "", "issue": "", "pages": ""}
    a = art("A", container="Pacific Asia Conference on Information Systems", **conf)
    b = art(
        "B",
        container="Pacific Asia Conference on Information Systems - Opportunities and Challenges for the Digitised Society: Ready or Not?, PACIS",
        **conf,
    )
    assert verdict(a, b) == DUPLICATE


def test_a_container_under_another_name_is_tolerated_only_when_year_volume_and_page_agree() -> None:
    series = art("A", container="Lecture Notes in Cat Science", entry_type="incollection")
    proceedings = art(
        "B", container="Proceedings of the Feline Workshop", entry_type="incollection"
    )
    assert verdict(series, proceedings) == DUPLICATE
    assert verdict(series, replace(proceedings, volume="13")) != DUPLICATE


def test_a_translated_title_merges_with_the_same_journal_issue_pages_and_authors() -> None:
    de = art(
        "A",
        title="Plattformarbeit und das deutsche Modell der Arbeitsbeziehungen",
        pages="205-226",
        doi="10.1/x",
    )
    en = art(
        "B", title="Platform work and the German model of industrial relations", pages="205-226"
    )
    assert verdict(de, en) == DUPLICATE
    assert groups([de, en]) == {frozenset({"A", "B"})}
    # journals that number each issue's pages from 1: same pages in another issue is another work
    assert verdict(de, replace(en, issue="4")) == DISTINCT
    # a single page or different pages do not identify the work
    assert verdict(replace(de, pages="205"), replace(en, pages="205")) == DISTINCT
    assert verdict(de, replace(en, pages="205-230")) == DISTINCT


def test_a_translated_title_with_the_same_doi_and_place_merges_too() -> None:
    # MEDLINE gives the English title in brackets' stead, another database the original; the
    # DOI they share is more evidence, not less
    de = art(
        "A",
        title="Plattformarbeit und das deutsche Modell der Arbeitsbeziehungen",
        container="Industrielle Beziehungen (Munchen (Germany))",
        pages="205-226",
        doi="10.1/x",
    )
    en = art(
        "B",
        title="Platform work and the German model of industrial relations",
        container="Industrielle Beziehungen",
        pages="205-226",
        doi="10.1/x",
    )
    assert verdict(de, en) == DUPLICATE
    # without the place the shared DOI alone does not merge two different titles
    assert verdict(replace(de, pages=""), replace(en, pages="")) != DUPLICATE


def test_two_english_abstracts_sharing_a_supplements_doi_or_page_range_are_not_merged() -> None:
    # issue 15, class 1: one team's two abstracts, each given the supplement's DOI and its whole
    # page range by the export, agree on everything but the title
    place = dict(container="Vox Sanguinis", volume="109", issue="Suppl 1", pages="1-350", year=2015)
    a = art("A", title="Serum ferritin and fatigue in blood donors", doi="10.1/supp", **place)
    b = art(
        "B",
        title="Iron supplementation after donation: a pilot of text reminders",
        doi="10.1/supp",
        **place,
    )
    assert verdict(a, b) != DUPLICATE
    assert not groups([a, b])
    # without the DOI the supplement's range places them no better
    assert not groups([replace(a, doi=""), replace(b, doi="")])


# --- never-merge rules, one test each ----------------------------------------------------------


def test_different_dois_are_never_merged() -> None:
    assert verdict(art("A", doi="10.1/x"), art("B", doi="10.1/y")) == DISTINCT


def test_preprint_and_published_version_are_never_merged() -> None:
    pre = art(
        "B",
        entry_type="misc",
        container="arXiv",
        doi="10.48550/arxiv.1901.0001",
        volume="",
        pages="",
        issue="",
    )
    assert verdict(art("A", doi="10.1/x"), pre) == UNSURE
    assert art("A").key not in {
        m.survivor for m in find_duplicates([art("A", doi="10.1/x"), pre]).merges
    }


def test_conference_and_journal_versions_are_never_merged() -> None:
    conf = art(
        "B",
        entry_type="inproceedings",
        container="Proceedings of the Conference on Cats",
        volume="",
        pages="33-40",
        year=2018,
    )
    assert verdict(art("A"), conf) == DISTINCT
    misc_conf = art(
        "C", entry_type="misc", container="International Conference on Cats", volume="", pages=""
    )
    assert verdict(art("A"), misc_conf) == DISTINCT


def test_one_abstract_typed_conference_by_one_database_and_article_by_another_is_one_record() -> (
    None
):
    # a meeting abstract printed in a journal supplement: same year, volume and first page
    article = art(
        "A", container="Journal of Cat Studies", volume="12", pages="S101", issue="Suppl 2"
    )
    conference = art(
        "B",
        entry_type="inproceedings",
        container="Journal of Cat Studies Conference: Annual Meeting",
        volume="12",
        pages="S101",
        issue="Suppl 2",
    )
    assert verdict(article, conference) == DUPLICATE


def test_a_meeting_abstract_whose_volume_one_export_left_out_is_still_one_record() -> None:
    # the same supplement's first page in the same journal and year places both; with another
    # first page the conference record and the article stay apart
    article = art("A", container="Journal of Cat Studies", volume="", pages="S101", issue="")
    conference = art(
        "B",
        entry_type="inproceedings",
        container="Journal of Cat Studies",
        volume="12",
        pages="S101",
        issue="Supplement 1",
    )
    assert verdict(article, conference) == DUPLICATE
    assert verdict(replace(article, pages="S140"), conference) == DISTINCT
    assert verdict(replace(article, container="Annals of Cat Care"), conference) == DISTINCT
    # page 101 of an ordinary issue is another place than page S101 of the supplement
    assert verdict(replace(article, pages="101-109", issue="3"), conference) == DISTINCT


@pytest.mark.parametrize(
    "prefix", ["Erratum: ", "Correction to: ", "Retraction: ", "Comment on ", "Reply to "]
)
def test_notices_are_never_merged_with_the_article(prefix: str) -> None:
    title = "Deep learning for cats: a systematic review"
    assert verdict(art("A", title=title), art("B", title=prefix + title)) == DISTINCT


@pytest.mark.parametrize(
    ("one", "two"), [("Part 1", "Part 2"), ("part I", "part II"), ("Part one", "Part two")]
)
def test_parts_are_never_merged(one: str, two: str) -> None:
    a = art("A", title=f"Deep learning for cats, {one}: methods", pages="")
    b = art("B", title=f"Deep learning for cats, {two}: methods", pages="")
    assert verdict(a, b) == DISTINCT


def test_different_numbers_in_titles_are_never_merged() -> None:
    a = art(
        "A", title="NHS staff survey 2019: results for acute trusts", pages="", volume="", issue=""
    )
    b = art(
        "B", title="NHS staff survey 2020: results for acute trusts", pages="", volume="", issue=""
    )
    assert verdict(a, b) == DISTINCT
    assert compare(features(a), features(b)).rule == "different-numbers-in-title"


def test_same_title_in_different_years_is_a_series_not_a_duplicate() -> None:
    a = art("A", title="Annual survey of cat research", volume="", pages="", issue="")
    assert verdict(a, replace(a, key="B", year=2021)) == DISTINCT
    assert verdict(a, replace(a, key="B", year=2020)) == UNSURE


def test_records_with_too_little_information_go_to_the_unsure_queue() -> None:
    bare = Record("A", title="Deep learning for cats: a systematic review")
    result = find_duplicates([bare, art("B")])
    assert not result.merges
    assert [(p.a, p.b) for p in result.unsure] == [("A", "B")]


def test_a_recurring_short_title_in_different_issues_is_not_merged() -> None:
    a = art("A", title="Editor's comments", authors=(Name("Lee", "Allen"),), issue="1", pages="")
    assert verdict(a, replace(a, key="B", issue="2")) == DISTINCT


def _column(key: str, export: str, **kw: object) -> Record:
    """One instalment of a journal's recurring column as an export with no volume, issue or
    pages lists it: the same title, editor, journal and year in every issue."""
    base: dict[str, object] = dict(
        title="Notes from the chair",
        authors=(Name("Okafor", "Ada"),),
        volume="",
        issue="",
        pages="",
        provenance=(Provenance(export, f"{export}.ris", 1, key),),
    )
    base.update(kw)
    return art(key, **base)


def test_instalments_of_a_recurring_short_title_with_nothing_to_place_them_are_not_merged() -> None:
    # three instalments in each of two exports: six records, title/editor/journal/year all agree
    records = [_column(f"{db}{n}", db) for db in ("medline", "embase") for n in range(3)]
    result = find_duplicates(records)
    assert result.merges == ()
    # the pairs wait for a person instead, each saying why
    assert result.unsure
    assert all("nothing places both in one issue" in p.reason for p in result.unsure)


def test_a_recurring_short_title_merges_where_the_first_page_places_it() -> None:
    records = [
        _column(f"{db}{n}", db, volume="7", issue=str(n + 1), pages=f"{100 * n + 1}-{100 * n + 2}")
        for db in ("medline", "embase")
        for n in range(3)
    ]
    assert groups(records) == {frozenset({f"medline{n}", f"embase{n}"}) for n in range(3)}


def test_a_recurring_short_title_merges_where_volume_and_issue_or_an_identifier_place_it() -> None:
    by_issue = [
        _column(f"{db}{n}", db, volume="7", issue=str(n + 1))
        for db in ("medline", "embase")
        for n in range(3)
    ]
    by_doi = [
        _column(f"{db}{n}", db, doi=f"10.1/chair.{n}")
        for db in ("medline", "embase")
        for n in range(3)
    ]
    for records in (by_issue, by_doi):
        assert groups(records) == {frozenset({f"medline{n}", f"embase{n}"}) for n in range(3)}


def test_a_recurring_short_title_placed_in_one_issue_merges_across_an_online_year() -> None:
    # one export gives the year the instalment went online, a year before its issue
    records = [
        _column(
            f"{db}{n}",
            db,
            year=2019 if db == "embase" else 2020,
            volume="7",
            issue=str(n + 1),
            pages=f"{100 * n + 5}-{100 * n + 6}",
        )
        for db in ("medline", "embase")
        for n in range(3)
    ]
    assert groups(records) == {frozenset({f"medline{n}", f"embase{n}"}) for n in range(3)}


def test_page_one_alone_on_a_record_with_no_volume_is_an_article_online_before_its_issue() -> None:
    # Cochrane CENTRAL gives an article indexed before its issue the page "1" and no volume
    early = art("central", year=2018, volume="", issue="", pages="1")
    late = art("embase", year=2019, volume="12", issue="3", pages="211-219")
    assert groups([early, late]) == {frozenset({"central", "embase"})}
    # a first page other than 1 is a place in an issue: a year apart, that is another item
    placed = art("other", year=2018, volume="", issue="", pages="57")
    assert not groups([placed, late])


def test_an_instalments_own_page_one_does_not_place_it_in_an_issue() -> None:
    # every instalment numbered from its own page 1: the same first page says nothing
    records = [
        _column(f"{db}{n}", db, volume="7", pages="1-2")
        for db in ("medline", "embase")
        for n in range(3)
    ]
    assert find_duplicates(records).merges == ()


def test_a_short_title_each_export_lists_once_merges_though_one_lacks_its_place() -> None:
    # one article in three databases: three records carry the title, one per export file
    records = [
        _column("medline0", "medline", volume="7", issue="2", pages="11-19"),
        _column("scopus0", "scopus", volume="7", issue="", pages="e11"),
        _column("embase0", "embase", volume="", issue="", pages=""),
    ]
    assert groups(records) == {frozenset({"medline0", "scopus0", "embase0"})}


def test_a_short_title_only_two_exports_of_one_work_carry_still_merges() -> None:
    # a short title is not suspect by itself: one paper in two exports, no pages in either
    records = [_column("medline0", "medline"), _column("embase0", "embase")]
    assert groups(records) == {frozenset({"medline0", "embase0"})}


def test_rules_also_hold_through_a_third_record() -> None:
    # B has no DOI and matches both; A and C have different DOIs: A and C never end up together
    a, b, c = art("A", doi="10.1/x"), art("B"), art("C", doi="10.1/y")
    found = groups([a, b, c])
    assert not any({"A", "C"} <= g for g in found)
    assert len(found) == 1


# --- merging -----------------------------------------------------------------------------------


def test_merge_keeps_survivor_key_most_complete_fields_and_all_provenance() -> None:
    a = art(
        "Smith2019",
        title="Deep learning for cats",
        authors=(Name("Smith", "J."),),
        container="J. Cat Stud.",
        pages="1",
        doi="10.1/x",
        abstract="",
    )
    b = art(
        "Smith2019a",
        title="Deep learning for cats: a systematic review",
        container="Journal of Cat Studies",
        pages="1-10",
        doi="10.1/x",
        abstract="Cats.",
        keywords=("cats",),
        extra=(("note", "x"),),
    )
    merged = merge_records(a, [b])
    assert merged.key == "Smith2019"
    assert merged.title == b.title
    assert merged.authors == SMITH
    assert merged.container == "Journal of Cat Studies"
    assert merged.pages == "1-10"
    assert merged.abstract == "Cats."
    assert merged.keywords == ("cats",)
    assert dict(merged.extra) == {"note": "x"}
    assert set(merged.provenance) == set(a.provenance) | set(b.provenance)


def test_the_survivor_is_the_record_whose_key_sorts_first() -> None:
    result = find_duplicates([art("Smith2019b", doi="10.1/x"), art("Smith2019", doi="10.1/x")])
    assert [m.survivor for m in result.merges] == ["Smith2019"]
    assert [r.key for r in result.records] == ["Smith2019"]


# --- decisions ---------------------------------------------------------------------------------


def test_a_pair_marked_different_is_never_merged() -> None:
    recs = [art("A", doi="10.1/x"), art("B", doi="10.1/x")]
    assert groups(recs, (Decision("B", "A", DIFFERENT),)) == set()


def test_a_pair_marked_same_is_merged_even_against_a_rule() -> None:
    recs = [
        art("A"),
        art("B", entry_type="inproceedings", container="Proceedings of Cats", volume="", pages=""),
    ]
    assert groups(recs) == set()
    assert groups(recs, (Decision("A", "B", SAME),)) == {frozenset({"A", "B"})}


def test_a_decision_about_an_absorbed_record_applies_to_its_survivor() -> None:
    recs = [art("A", doi="10.1/x"), art("C", doi="10.1/x")]
    result = find_duplicates(recs, (Decision("B", "C", DIFFERENT),), aliases={"B": "A"})
    assert not result.merges


def test_decided_pairs_leave_the_unsure_queue() -> None:
    a, b = art("A", year=2019, volume="", pages=""), art("B", year=2020, volume="", pages="")
    assert find_duplicates([a, b]).unsure
    assert not find_duplicates([a, b], (Decision("A", "B", DIFFERENT),)).unsure


# --- invariants --------------------------------------------------------------------------------

_POOL = [
    art("A1", doi="10.1/x"),
    art("A2", title="DEEP LEARNING FOR CATS: A SYSTEMATIC REVIEW"),
    art("A3", doi="10.1/y"),
    art("A4", entry_type="inproceedings", container="Proceedings of Cats"),
    art("A5", year=2020),
    art("A6", title="Erratum: Deep learning for cats: a systematic review"),
    art(
        "B1",
        title="Platform work and its discontents",
        authors=(Name("Zhou", "Wei"),),
        year=2020,
        volume="35",
        pages="100-120",
        container="New Technology, Work and Employment",
    ),
    art(
        "B2",
        title="Platform work and its discontents.",
        authors=(Name("Zhou", "W."),),
        year=2020,
        volume="35",
        pages="100",
        container="New Technol. Work Employ.",
    ),
    art(
        "B3",
        title="Platform work and its discontents",
        authors=(Name("Zhou", "Wei"),),
        year=2023,
        volume="",
        pages="",
        container="New Technology, Work and Employment",
    ),
    Record("C1", title="Platform work and its discontents"),
    art(
        "D1",
        title="Plattformarbeit und das deutsche Modell",
        pages="205-226",
        doi="10.2/d",
        authors=(Name("Greef", "Samuel"),),
    ),
    art(
        "D2",
        title="Platform work and the German model",
        pages="205-226",
        authors=(Name("Greef", "S."),),
    ),
    art(
        "D3",
        title="Platform work and the German model [Plattformarbeit und das deutsche Modell]",
        pages="205-226",
        authors=(Name("Samuel", "G."),),
    ),
    art(
        "D4",
        title="Platform work and the German model",
        pages="205-226",
        issue="4",
        authors=(Name("Greef", "S."),),
    ),
]


@given(st.permutations(_POOL), st.sets(st.sampled_from([r.key for r in _POOL]), min_size=2))
def test_result_does_not_depend_on_input_order(order: list[Record], keep: set[str]) -> None:
    subset = [r for r in order if r.key in keep]
    first = find_duplicates(subset)
    second = find_duplicates(list(reversed(subset)))
    assert first.records == second.records
    assert first.unsure == second.unsure
    assert [m.as_dict() for m in first.merges] == [m.as_dict() for m in second.merges]


@given(st.sets(st.sampled_from([r.key for r in _POOL]), min_size=2))
def test_running_twice_changes_nothing(keep: set[str]) -> None:
    once = find_duplicates([r for r in _POOL if r.key in keep])
    # as dedupe_project does: the first run's weights and the records each survivor absorbed
    twice = find_duplicates(once.records, model=once.model, originals=once.originals())
    assert twice.records == once.records
    assert not twice.merges
    # the queue in the same words, so that a second run leaves duplicates.yaml's bytes alone
    assert twice.unsure == once.unsure


_TEXT = st.text(max_size=40) | st.sampled_from(
    [
        "yes",
        "No",
        "null",
        "~",
        "2026-01-31",
        "1.5",
        "a: b",
        "- x",
        "x #y",
        "two\nlines\n",
        "\tTab\n",
        " lead\n",
        "a\n\n",
        "a \nb\n",
        "@article{x,\n  title = {T},\n}\n",
        "---\n",
        "'q'",
        "Smith's",
        "1e5",
        "\u2028",
        "\x85",
    ]
)
_VALUE = st.recursive(
    _TEXT | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(_TEXT, _VALUE, min_size=1, max_size=4))
def test_the_duplicates_file_writer_reads_back_unchanged(doc: dict[str, object]) -> None:
    import yaml

    from litreview.dedupe.store import emit_yaml

    text = emit_yaml(doc)
    assert yaml.safe_load(text) == doc
    assert emit_yaml(doc) == text


def test_repeated_citation_keys_are_an_input_error() -> None:
    with pytest.raises(InputError, match="citation key used twice"):
        find_duplicates([art("A"), art("A")])


# --- the project: duplicates.yaml, undo, later imports -----------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "corpus").mkdir()
    shutil.copy(FIXTURES / "corpus.bib", tmp_path / "corpus" / "records.bib")
    return Project(tmp_path)


def test_dedupe_project_merges_logs_and_is_stable(project: Project) -> None:
    before = project.records.read_text()
    result = dedupe_project(project)
    assert [(m.survivor, [r.key for r in m.absorbed]) for m in result.merges] == [
        ("Smith2019", ["Smith2019a"])
    ]
    keys = [r.key for r in load_corpus(project.records, use_cache=False).records]
    assert keys == ["Smith2019", "Smith2019b", "Zhou2020"]
    stored = load_duplicates(project.duplicates)
    assert stored.merges[0].absorbed_keys == ("Smith2019a",)
    assert stored.merges[0].entries is None  # the log alone does not read the entries
    assert "@article" not in project.duplicates.read_text()
    with_entries = load_absorbed(project.duplicates, stored)
    assert "@article{Smith2019a," in with_entries.merges[0].absorbed[0][1]
    assert with_entries.merges[0].before.startswith("@article{Smith2019,")
    corpus_text, dup_text = project.records.read_text(), project.duplicates.read_text()
    absorbed_text = (project.corpus_dir / "absorbed.bib").read_text()
    assert corpus_text != before
    again = dedupe_project(project)
    assert not again.merges
    assert (
        project.records.read_text(),
        project.duplicates.read_text(),
        (project.corpus_dir / "absorbed.bib").read_text(),
    ) == (corpus_text, dup_text, absorbed_text)


def test_dry_run_writes_nothing(project: Project) -> None:
    before = project.records.read_text()
    assert dedupe_project(project, dry_run=True).merges
    assert project.records.read_text() == before
    assert not project.duplicates.exists()


def test_undo_restores_the_absorbed_record_exactly(project: Project) -> None:
    original = {r.key: r for r in load_corpus(project.records, use_cache=False).records}
    dedupe_project(project)
    result = undo(project, "Smith2019a", reviewer="ana", date="2026-01-01")
    assert result.restored == ("Smith2019a",)
    restored = {r.key: r for r in load_corpus(project.records, use_cache=False).records}
    assert restored == original
    stored = load_duplicates(project.duplicates)
    assert not stored.merges
    assert not (project.corpus_dir / "absorbed.bib").exists()  # nothing absorbed any more
    assert [(d.pair, d.decision) for d in stored.decisions] == [
        (("Smith2019", "Smith2019a"), DIFFERENT)
    ]
    assert not dedupe_project(project).merges


def test_an_absorbed_record_keeps_the_text_it_had_in_the_corpus(project: Project) -> None:
    # a corpus file of our own layout in which a person reordered one entry's fields by hand:
    # absorbed.bib keeps that entry as it was written, and undo restores the record it reads as
    save_corpus(project.records, load_corpus(project.records, use_cache=False).records)
    text = project.records.read_text()
    start = text.index("@article{Smith2019a,")
    end = text.index("\n}\n", start) + 3
    canonical = text[start:end]
    lines = canonical.splitlines(keepends=True)
    by_hand = lines[0] + "".join(sorted(lines[1:-1])) + lines[-1]
    assert by_hand != canonical
    project.records.write_text(text[:start] + by_hand + text[end:])
    read = {r.key: r for r in load_corpus(project.records, use_cache=False).records}
    dedupe_project(project)
    absorbed = (project.corpus_dir / "absorbed.bib").read_text()
    assert by_hand in absorbed and canonical not in absorbed
    undo(project, "Smith2019a", reviewer="ana", date="2026-01-01")
    restored = {r.key: r for r in load_corpus(project.records, use_cache=False).records}
    assert restored["Smith2019a"] == read["Smith2019a"]


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda e: e.replace("  provenance = {wos|wos.ciw|7|W1},\n", ""), id="no-provenance"
        ),
        pytest.param(
            lambda e: e.replace(
                "  pages = {1},\n",
                "  pages = {1},\n  note = {read\n% absorbed Smith2019a\nagain},\n",
            ),
            id="marker-line-in-a-value",
        ),
        pytest.param(
            lambda e: e.replace(
                "  year = {2019},\n", "  crossref = {Zhou2020},\n  year = {2019},\n"
            ),
            id="crossref",
        ),
    ],
)
def test_an_entry_that_would_not_read_back_alone_is_absorbed_formatted(
    project: Project, edit: Any
) -> None:
    # the entry's own text is kept only when, read alone from absorbed.bib, it gives the record
    # it gave in the corpus: not when its provenance came from its place in records.bib, when it
    # borrows fields through crossref, or when a line of it looks like a block marker
    shown = project.rel(project.records)  # as the commands name it: a provenance may hold it
    save_corpus(project.records, load_corpus(project.records, shown, use_cache=False).records)
    text = project.records.read_text()
    start = text.index("@article{Smith2019a,")
    end = text.index("\n}\n", start) + 3
    edited = edit(text[start:end])
    assert edited != text[start:end]
    project.records.write_text(text[:start] + edited + text[end:])
    read = {r.key: r for r in load_corpus(project.records, shown, use_cache=False).records}
    assert [m.survivor for m in dedupe_project(project).merges] == ["Smith2019"]
    stored = load_absorbed(project.duplicates, load_duplicates(project.duplicates))
    ((key, entry),) = stored.merges[0].absorbed
    assert key == "Smith2019a" and edited not in entry
    undo(project, "Smith2019a", reviewer="ana", date="2026-01-01")
    restored = {r.key: r for r in load_corpus(project.records, shown, use_cache=False).records}
    assert restored["Smith2019a"] == read["Smith2019a"]


def test_a_later_import_is_deduplicated_without_redoing_decisions(project: Project) -> None:
    decide(project, "Smith2019", "Smith2019a", DIFFERENT, "ana", date="2026-01-01")
    assert not dedupe_project(project).merges
    later = project.root / "update.bib"
    later.write_text(
        "@article{u1, author={Zhou, W.}, title={Platform Work and its Discontents},"
        " journal={New Technol. Work Employ.}, year=2020, volume=35, pages={100}}\n"
    )
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["-C", str(project.root), "import", str(later), "-s", "update"]
        ).exit_code
        == 0
    )
    result = dedupe_project(project)
    assert [(m.survivor, [r.key for r in m.absorbed]) for m in result.merges] == [
        ("Zhou2020", ["Zhou2020a"])
    ]
    keys = {r.key for r in load_corpus(project.records, use_cache=False).records}
    assert {"Smith2019", "Smith2019a"} <= keys


def test_the_duplicates_file_has_the_bytes_yaml_dump_would_write(project: Project) -> None:
    import yaml

    from litreview.dedupe.store import _HEADER
    from litreview.files.yamlio import dump_yaml

    decide(
        project,
        "Smith2019",
        "Zhou2020",
        DIFFERENT,
        "ana",
        note="it's: a note #1, yes",
        date="2026-01-01",
    )
    dedupe_project(project)
    text = project.duplicates.read_text()
    assert text.startswith(_HEADER)
    assert text == _HEADER + dump_yaml(yaml.safe_load(text))


def test_an_invalid_duplicates_file_names_the_line(project: Project) -> None:
    project.duplicates.write_text("version: 1\ndecisions:\n- a: X\n  b: Y\n  decison: same\n")
    with pytest.raises(ConfigError) as err:
        load_duplicates(project.duplicates, "corpus/duplicates.yaml")
    text = str(err.value)
    assert "corpus/duplicates.yaml:5" in text
    assert "did you mean 'decision'?" in text


# --- CLI ---------------------------------------------------------------------------------------


def run(project: Project, *args: str) -> object:
    return CliRunner().invoke(cli, ["-C", str(project.root), "dedupe", *args])


def test_cli_dedupe_reports_summary_on_stderr_and_exits_1_when_pairs_wait(project: Project) -> None:
    project.records.write_text(
        project.records.read_text()
        + (
            "@article{Zhou2021,\n  author = {Zhou, Wei},\n  title = {Platform work and its discontents},\n"
            "  journal = {New Technology, Work and Employment},\n  year = {2021},\n}\n"
        )
    )
    res = run(project)
    assert res.exit_code == 1, res.output  # type: ignore[attr-defined]
    assert "merged Smith2019a into Smith2019" in res.stdout  # type: ignore[attr-defined]
    assert "unsure Zhou2020 Zhou2021" in res.stdout  # type: ignore[attr-defined]
    assert "records 5, candidate pairs" in res.stderr  # type: ignore[attr-defined]
    pairs = run(project, "pairs", "--json")
    assert '"a": "Zhou2020"' in pairs.stdout  # type: ignore[attr-defined]
    assert pairs.exit_code == 1  # type: ignore[attr-defined]  # a pair waits, as dedupe said
    res = run(
        project, "decide", "Zhou2020", "Zhou2021", "different", "-r", "ana", "-n", "two years"
    )
    assert res.exit_code == 0  # type: ignore[attr-defined]
    res = run(project)
    assert res.exit_code == 0  # type: ignore[attr-defined]
    assert run(project, "pairs").exit_code == 0  # type: ignore[attr-defined]  # none waits
    assert "note: two years" in project.duplicates.read_text()


def test_cli_dedupe_at_a_terminal_lists_the_first_few_and_counts_the_rest(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a 100k corpus merges ~15k records: a person at a terminal gets the first few of each
    # list and a count; a pipe or a file (the test above) gets every line
    import litreview.cli.dedupe as dedupe_cli

    project.records.write_text(
        project.records.read_text()
        + (
            "@article{Zhou2021,\n  author = {Zhou, Wei},\n  title = {Platform work and its discontents},\n"
            "  journal = {New Technology, Work and Employment},\n  year = {2021},\n}\n"
        )
    )
    monkeypatch.setattr(dedupe_cli, "_at_a_terminal", lambda: True)
    monkeypatch.setattr(dedupe_cli, "_SHOWN_AT_A_TERMINAL", 0)
    res = run(project, "--dry-run")
    out = res.stdout  # type: ignore[attr-defined]
    assert "Smith2019a" not in out and "Zhou2021" not in out
    assert "… and 1 more merges (--json lists them all)" in out
    assert "… and 1 more unsure pairs (`litreview dedupe pairs` lists them all)" in out
    monkeypatch.setattr(dedupe_cli, "_SHOWN_AT_A_TERMINAL", 20)
    res = run(project)
    out = res.stdout  # type: ignore[attr-defined]
    assert "merged Smith2019a into Smith2019" in out and "unsure Zhou2020 Zhou2021" in out
    assert "more merges" not in out and "more unsure" not in out


def test_cli_json_and_dry_run(project: Project) -> None:
    import json

    res = run(project, "--dry-run", "--json")
    assert res.exit_code == 0  # type: ignore[attr-defined]
    data = json.loads(res.stdout)  # type: ignore[attr-defined]
    assert data["version"] == 1 and data["merged"] == 1 and data["unsure"] == 0
    assert not project.duplicates.exists()


def test_cli_decide_unknown_key_exits_2_with_a_suggestion(project: Project) -> None:
    res = run(project, "decide", "Smith2019", "Smyth2019", "same")
    assert res.exit_code == 2  # type: ignore[attr-defined]
    assert "no record with key 'Smyth2019'" in res.stderr  # type: ignore[attr-defined]
    assert "did you mean" in res.stderr  # type: ignore[attr-defined]


def test_cli_undo(project: Project) -> None:
    run(project)
    res = run(project, "undo", "Smith2019")
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    assert "restored Smith2019a (from Smith2019)" in res.stdout  # type: ignore[attr-defined]
    assert run(project, "undo", "Nobody2000").exit_code == 2  # type: ignore[attr-defined]


def test_cli_decide_different_on_a_pair_already_merged_says_to_undo_and_writes_nothing(
    project: Project,
) -> None:
    """The decision used to be stored while the merge stayed: the person's 'different' was
    honoured nowhere and nothing said so."""
    run(project)
    before = project.duplicates.read_text()
    for pair in (("Smith2019", "Smith2019a"), ("Smith2019a", "Smith2019")):
        res = run(project, "decide", *pair, "different", "-r", "ana")
        assert res.exit_code == 2, res.output  # type: ignore[attr-defined]
        err = res.stderr  # type: ignore[attr-defined]
        assert "Smith2019a was merged into Smith2019" in err, err
        assert "litreview dedupe undo Smith2019a" in err, err
    assert project.duplicates.read_text() == before
    assert run(project, "decide", "Smith2019", "Smith2019a", "same").exit_code == 0  # type: ignore[attr-defined]


def test_cli_decide_same_on_a_pair_already_merged_says_they_are_one_record(
    project: Project,
) -> None:
    """It said "run `litreview dedupe` to merge them" of two keys a merge had already made one
    record, and a --keep naming the absorbed key was stored and honoured nowhere, unsaid."""
    run(project)
    res = run(project, "decide", "Smith2019a", "Smith2019", "same")
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    err = res.stderr  # type: ignore[attr-defined]
    assert "to merge them" not in err, err
    assert "already one record: Smith2019a was merged into Smith2019" in err, err
    res = run(project, "decide", "Smith2019", "Smith2019a", "same", "--keep", "Smith2019a")
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    err = res.stderr  # type: ignore[attr-defined]
    assert "warning: --keep Smith2019a changes nothing" in err, err
    assert "litreview dedupe undo Smith2019a" in err, err


def test_cli_dedupe_names_the_corpus_file_and_lines_of_a_key_two_entries_share(
    project: Project,
) -> None:
    """Two entries with one key (a merge conflict resolved by keeping both sides) were reported
    as 'records [Zhou2020]', with no file or line, unlike every other command."""
    project.records.write_text(
        project.records.read_text()
        + "@article{Zhou2020,\n  author = {Zhou, Wei},\n  title = {Platform work},\n"
        "  year = {2021},\n}\n"
    )
    res = run(project)
    assert res.exit_code == 2, res.output  # type: ignore[attr-defined]
    err = res.stderr  # type: ignore[attr-defined]
    assert "corpus/records.bib:" in err and "[Zhou2020]" in err, err
    assert "citation key 'Zhou2020' is used by 2 entries" in err, err


def test_cli_review_takes_decisions_from_the_keyboard(project: Project) -> None:
    project.records.write_text(
        project.records.read_text()
        + (
            "@article{Zhou2021,\n  author = {Zhou, Wei},\n  title = {Platform work and its discontents},\n"
            "  journal = {New Technology, Work and Employment},\n  year = {2021},\n}\n"
        )
    )
    run(project)
    res = CliRunner().invoke(
        cli, ["-C", str(project.root), "dedupe", "review", "-r", "ana"], input="d\n"
    )
    assert res.exit_code == 0, res.output
    assert "Zhou2021" in res.stdout
    assert "decision: different" in project.duplicates.read_text()


def test_decide_many_writes_every_verdict_or_none(project: Project) -> None:
    from litreview.dedupe import decide_many

    keys = [r.key for r in load_corpus(project.records).records][:3]
    before = project.duplicates.read_text() if project.duplicates.exists() else ""
    with pytest.raises(InputError):
        decide_many(
            project, [(keys[0], keys[1], "different"), (keys[1], "Nobody1999", "same")], "ana"
        )
    assert (project.duplicates.read_text() if project.duplicates.exists() else "") == before
    made = decide_many(
        project, [(keys[0], keys[1], "different"), (keys[1], keys[2], "different")], "ana"
    )
    assert [(d.decision, d.reviewer) for d in made] == [("different", "ana"), ("different", "ana")]
    stored = load_duplicates(project.duplicates).decisions
    assert {d.pair for d in made} <= {d.pair for d in stored}


@pytest.mark.parametrize("name", ["decide", "pairs", "review", "undo"])
def test_every_dedupe_command_has_help_with_an_example(name: str) -> None:
    res = CliRunner().invoke(cli, ["dedupe", name, "--help"])
    assert res.exit_code == 0 and "Example:" in res.stdout


# --- the reader of duplicates.yaml's own layout agrees with the YAML loader ----------------------


def _same_with_lines(fast: Any, slow: Any) -> None:
    """Equal values, and the same line for every mapping, key and list (for error messages)."""
    from litreview.dedupe.store import _LazyLinks
    from litreview.files.yamlio import LineDict, LineList

    if isinstance(fast, _LazyLinks):  # a merge's links, checked at once and built now
        fast = fast.parsed()
    assert type(fast) is type(slow) or (isinstance(fast, float) and isinstance(slow, float)), (
        fast,
        slow,
    )
    if isinstance(slow, LineDict):
        assert (fast.line, fast.key_lines, list(fast)) == (slow.line, slow.key_lines, list(slow))
        for k in slow:
            _same_with_lines(fast[k], slow[k])
    elif isinstance(slow, LineList):
        assert (fast.line, len(fast)) == (slow.line, len(slow))
        for a, b in zip(fast, slow, strict=True):
            _same_with_lines(a, b)
    elif isinstance(slow, float) and slow != slow:
        assert fast != fast
    else:
        assert fast == slow


def _both_readers(text: str) -> tuple[Any, Any]:
    from litreview.dedupe.store import _FALLBACK, _read_own_layout
    from litreview.files.yamlio import load_yaml_text

    fast = _read_own_layout(text)
    try:
        slow = load_yaml_text(text, "d.yaml")
    except ConfigError:
        slow = _FALLBACK
    if fast is not _FALLBACK:
        try:  # build every merge's links now, as the next write would
            for merge in fast.get("merges") or []:
                list(merge.get("links") or [])
        except ConfigError:
            assert slow is _FALLBACK, "links the YAML loader reads were refused"
            return _FALLBACK, slow
    return fast, slow


_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(
    st.lists(
        st.tuples(_texts, _texts, _texts, st.floats(allow_nan=True), st.booleans()), max_size=6
    )
)
def test_the_own_layout_reader_reads_what_the_writer_writes_as_yaml_does(
    rows: list[tuple[str, str, str, float, bool]],
) -> None:
    from litreview.dedupe.store import _FALLBACK, DuplicatesFile, StoredMerge, format_duplicates

    decisions = tuple(
        Decision(
            f"K{i}{a[:3]}",
            f"L{i}",
            SAME if same else DIFFERENT,
            reviewer=b,
            date="2026-01-01",
            note=c,
        )
        for i, (a, b, c, _s, same) in enumerate(rows)
    )
    merges = tuple(
        StoredMerge(
            f"S{i}",
            c,
            ({"a": f"S{i}", "b": a or "x", "score": s, "reason": b, "scores": {"title": s}},),
            (a or "x",),
        )
        for i, (a, b, c, s, _same) in enumerate(rows)
    )
    unsure = tuple(
        {"a": f"U{i}", "b": b or "y", "score": s, "reason": c}
        for i, (_a, b, c, s, _same) in enumerate(rows)
    )
    text = format_duplicates(DuplicatesFile(decisions, merges, unsure))
    fast, slow = _both_readers(text)
    assert slow is not _FALLBACK
    if (
        fast is not _FALLBACK
    ):  # a literal block (a note with line breaks) is left to the YAML loader
        _same_with_lines(fast, slow)
    else:
        assert any("\n" in x for row in rows for x in row[:3])


@given(
    st.lists(
        st.tuples(
            st.integers(0, 10**6),
            st.sampled_from(
                [
                    "",
                    " ",
                    "#",
                    ":",
                    "-",
                    "'",
                    '"',
                    "\t",
                    "\n",
                    "|",
                    "[",
                    "{",
                    "x",
                    "0",
                    ".",
                    "- ",
                    ": ",
                    " #",
                    "  ",
                    "e",
                    "+",
                    "yes",
                    "a: ",
                    "\\",
                    "\\x41",
                    "\n  ",
                ]
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_hand_edited_duplicates_file_is_read_as_yaml_reads_it_or_left_to_yaml(
    edits: list[tuple[int, str]],
) -> None:
    from litreview.dedupe.store import _FALLBACK

    text = (ROOT / "corpus" / "duplicates.yaml").read_text(encoding="utf-8")
    for pos, piece in edits:  # replace one character, or insert when the piece is longer
        at = pos % len(text)
        text = text[:at] + piece + text[at + (1 if len(piece) == 1 else 0) :]
    fast, slow = _both_readers(text)
    if fast is not _FALLBACK:
        assert slow is not _FALLBACK, "the own-layout reader accepted text YAML refuses"
        _same_with_lines(fast, slow)


def test_cli_explain_shows_each_field_the_total_and_the_outcome(project: Project) -> None:
    res = run(project, "--explain", "Smith2019", "Smith2019a")
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    out = res.stdout  # type: ignore[attr-defined]
    assert out.startswith("Smith2019 vs Smith2019a\n")
    assert "  title      exact" in out and "  prior " in out and "probability" in out
    assert "duplicate: " in out
    data = json.loads(run(project, "--explain", "Smith2019", "Smith2019a", "--json").stdout)  # type: ignore[attr-defined]
    assert [f["field"] for f in data["fields"]] == [
        "title",
        "authors",
        "year",
        "container",
        "volume",
        "issue",
        "pages",
        "id",
    ]
    assert data["outcome"] == "duplicate" and 0.99 <= data["probability"] <= 1.0
    missing = run(project, "--explain", "Smith2019", "Nobody2000")
    assert missing.exit_code == 2  # type: ignore[attr-defined]
    assert "no record with key 'Nobody2000'" in missing.stderr  # type: ignore[attr-defined]


def test_cli_json_carries_the_fitted_weights(project: Project) -> None:
    data = json.loads(run(project, "--dry-run", "--json").stdout)  # type: ignore[attr-defined]
    fields = data["model"]["fields"]
    assert set(fields) == {
        "title",
        "authors",
        "year",
        "container",
        "volume",
        "issue",
        "pages",
        "id",
    }
    assert set(fields["year"]) == {"same", "one apart", "different"}
    assert fields["title"]["exact"]["bits"] > 0 > fields["title"]["different"]["bits"]


def test_explain_compares_an_absorbed_record_as_it_was_read_not_its_survivor(
    project: Project,
) -> None:
    assert run(project).exit_code in (0, 1)  # type: ignore[attr-defined]  # Smith2019a is absorbed now
    res = run(project, "--explain", "Smith2019", "Smith2019a")
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    assert res.stdout.startswith("Smith2019 vs Smith2019a (Smith2019a as read, before its merge)\n")  # type: ignore[attr-defined]
    data = json.loads(run(project, "--explain", "Smith2019", "Smith2019a", "--json").stdout)  # type: ignore[attr-defined]
    assert (
        data["a"] == "Smith2019"
        and data["b"] == "Smith2019a"
        and data["absorbed"] == ["Smith2019a"]
    )
    assert data["outcome"] == "duplicate"


# --- whole-process cost: what dedupe seals in the corpus cache (issue 16) ------------------------


def _count_stores(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from litreview.corpus import store as corpus_mod

    stored: list[Path] = []
    real = corpus_mod._store

    def counting(cache: Path, corpus: object) -> None:
        stored.append(cache)
        real(cache, corpus)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_mod, "_store", counting)
    return stored


def test_dedupe_that_rewrites_an_uncached_corpus_seals_only_the_new_text(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.corpus import store as corpus_mod

    stored = _count_stores(monkeypatch)
    assert dedupe_project(project).merges
    # one cache, for the file as written: sealing the parse of the old file first was wasted work
    assert len(stored) == 1
    before = corpus_mod.PARSES
    cached = load_corpus(project.records, "corpus/records.bib")
    assert before == corpus_mod.PARSES, "the write should have left the cache holding the new file"
    fresh = load_corpus(project.records, "corpus/records.bib", use_cache=False)
    assert (cached.records, cached.problems, dict(cached.lines)) == (
        fresh.records,
        fresh.problems,
        dict(fresh.lines),
    )


@pytest.mark.parametrize("dry_run", [False, True])
def test_dedupe_that_leaves_an_uncached_corpus_as_it_is_still_caches_it(
    project: Project, monkeypatch: pytest.MonkeyPatch, dry_run: bool
) -> None:
    from litreview.corpus import store as corpus_mod

    if not dry_run:  # a corpus with nothing left to merge
        dedupe_project(project)
        for old in (project.root / ".litreview-cache").glob("corpus-*"):
            old.unlink()
    stored = _count_stores(monkeypatch)
    result = dedupe_project(project, dry_run=dry_run)
    assert bool(result.merges) == dry_run
    assert len(stored) == 1
    before = corpus_mod.PARSES
    load_corpus(project.records, "corpus/records.bib")
    assert before == corpus_mod.PARSES, "the next command should start from the cache"


def test_a_run_over_files_a_run_that_merged_nothing_left_is_not_matched_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.dedupe import project as dedupe_project_module

    first = dedupe_project(project)  # merges Smith2019a
    assert first.merges
    settled = dedupe_project(project)  # merges nothing: the files it leaves are a fixed point
    assert not settled.merges

    def no_matching(*args: object, **kwargs: object) -> None:
        raise AssertionError("matched again over files a settled run left")

    monkeypatch.setattr(dedupe_project_module, "find_duplicates", no_matching)
    again = dedupe_project(project)
    assert again.summary() | {"seconds": 0} == settled.summary() | {"seconds": 0}
    assert again.unsure == settled.unsure and again.model == settled.model
    # any change to what the matcher reads, or other thresholds, matches again
    with pytest.raises(AssertionError, match="matched again"):
        dedupe_project(project, thresholds=Thresholds(0.995, 0.5))
    decide(project, "Smith2019b", "Zhou2020", "different", reviewer="R1")
    with pytest.raises(AssertionError, match="matched again"):
        dedupe_project(project)


def test_merging_records_whose_provenances_lack_a_line_or_an_id_does_not_fail() -> None:
    from litreview.dedupe.engine import merge_records
    from litreview.model import Provenance, Record

    def rec(key: str, line: int | None, oid: str | None) -> Record:
        return Record(
            key=key,
            entry_type="article",
            title="One study",
            year=2004,
            provenance=(Provenance("db", "corpus/searches/db.csv", line, oid),),
        )

    merged = merge_records(
        rec("A2004", None, "x"), [rec("B2004", None, None), rec("C2004", 2, None)]
    )
    assert [(p.line, p.original_id) for p in merged.provenance] == [
        (None, None),
        (None, "x"),
        (2, None),
    ]


def test_first_author_block_reads_a_surname_given_after_its_initials_as_the_comparison_does() -> (
    None
):
    """``Dunne E.`` read by BibTeX's rules has the surname "E.": its first-author block must be
    Dunne's, or a pair whose titles start differently (an acronym for the words) is never
    compared once other titles sort between them."""
    place = dict(container="Alimentary Pharmacology and Therapeutics", volume="29", issue="3")
    a = art(
        "A",
        title="Selective serotonin reuptake inhibitors and bleeding risk in older people",
        authors=(Name("Dunne", "Eoin"), Name("Mehta", "Priya")),
        year=2009,
        pages="310-318",
        **place,
    )
    b = art(
        "B",
        title="SSRIs and bleeding risk in older people",
        authors=(Name("E.", "Dunne"), Name("P.", "Mehta")),
        year=2009,
        pages="310-318",
        **place,
    )
    fillers = [
        art(
            f"F{n:02d}",
            title=f"Shift work pattern {n} and sleep in {word} nurses",
            authors=(Name(f"Writer{n}", "Q."),),
            year=2000 + n % 9,
            container=f"Journal {n}",
            volume=str(n),
            pages=f"{n}-{n + 5}",
        )
        for n, word in enumerate(["rural", "urban", "night", "senior", "junior"] * 4)
    ]
    assert frozenset({"A", "B"}) in groups([a, b, *fillers])


def test_titles_that_differ_only_in_a_greek_letter_are_different_works() -> None:
    a = art("A", title="PPAR-α agonists reduce anxiety-like behaviour in obese rats", pages="1-9")
    b = art("B", title="PPAR-γ agonists reduce anxiety-like behaviour in obese rats", pages="")
    assert not groups([a, b])
    spelled = art("C", title="PPAR-alpha agonists reduce anxiety-like behaviour in obese rats")
    assert groups([a, spelled]) == {frozenset({"A", "C"})}


def test_a_word_with_a_prefix_added_is_another_word_however_alike_it_looks() -> None:
    # one team's two meeting abstracts, one on male and one on female rats, no pages given
    place = dict(container="Neuroscience Meeting Planner", volume="45", pages="", issue="")
    a = art("A", title="Sex and immobility in the forced swim test in male rats", **place)
    b = art("B", title="Sex and immobility in the forced swim test in female rats", **place)
    assert not groups([a, b])
    c = art("C", title="Group B streptococcus in asymptomatic pregnant women", pages="")
    d = art("D", title="Group B streptococcus in symptomatic pregnant women", pages="")
    assert not groups([c, d])
    from litreview.dedupe.rules import substituted_words

    assert substituted_words("smoking in women over sixty", "smoking in men over sixty") == (
        "women",
        "men",
    )
    # the privative a: a team's papers on atypical and on typical presentations
    assert substituted_words(
        "stroke with atypical presentations in older women",
        "stroke with typical presentations in older women",
    ) == ("atypical", "typical")
    # but one letter is a spelling (British ae, oe), a typo, or an opening letter lost
    assert (
        substituted_words("aetiology of sepsis in children", "etiology of sepsis in children")
        is None
    )
    assert substituted_words("oestrogen and bone loss", "estrogen and bone loss") is None
    assert (
        substituted_words("analysis of stroke registries", "nalysis of stroke registries") is None
    )
    # not when the letters are a word of the other title, or a ligature a PDF lost
    assert (
        substituted_words("high dimensional data indexing", "highdimensional data indexing") is None
    )
    assert (
        substituted_words("an efficient index for data flows", "an e cient index for data ows")
        is None
    )


# --- pairs as health-science databases export them ----------------------------------------------

EXPORT_PAIRS = FIXTURES / "export_pairs"


def _export_pairs() -> list[dict[str, Any]]:
    import yaml

    pairs: list[dict[str, Any]] = yaml.safe_load((EXPORT_PAIRS / "pairs.yaml").read_text())
    return pairs


@pytest.fixture(scope="module")
def exported_library() -> dict[str, str]:
    """Every fixture export read as import reads it, deduplicated together: record id ->
    the key of the record it ends in."""
    from litreview.io import read_path

    records = []
    for path in sorted(EXPORT_PAIRS.glob("*.ris")):
        for r in read_path(path, path.stem).records:
            oid = r.provenance[0].original_id
            assert oid
            records.append(replace(r, key=oid))
    result = find_duplicates(records)
    ends = {r.key: r.key for r in records}
    for m in result.merges:
        for r in m.absorbed:
            ends[r.key] = m.survivor
    return ends


@pytest.mark.parametrize("case", _export_pairs(), ids=lambda c: c["pair"][0].split("-")[0])
def test_each_exported_pair_ends_as_one_record_or_two_as_it_should(
    case: dict[str, Any], exported_library: dict[str, str]
) -> None:
    a, b = case["pair"]
    together = exported_library[a] == exported_library[b]
    assert together == (case["expect"] == "one record"), case["why"]


def test_a_greek_letter_against_a_number_keeps_the_number_whichever_way_it_is_written() -> None:
    one = "as predictors of delirium after hip fracture surgery"
    a = art("A", title=f"IL-1β and IL-6 {one}")
    for written in ("IL-1 beta", "IL-1beta"):
        assert verdict(a, art("B", title=f"{written} and IL-6 {one}")) == DUPLICATE
    assert verdict(a, art("C", title=f"IL-2 and IL-6 {one}")) != DUPLICATE


def test_an_abbreviation_does_not_make_an_english_title_another_language() -> None:
    from litreview.dedupe.rules import title_language

    for title in ("IL-6 levels in septic shock", "Do statins reduce mortality?", "AV block"):
        assert title_language(title) != "other"
    place = dict(container="Vox Sanguinis", volume="109", issue="Suppl 1", pages="1-350", year=2015)
    a = art("A", title="IL-6 levels in septic blood donors", doi="10.1/supp", **place)
    b = art("B", title="Iron supplementation after donation: text reminders", doi="10.1/s", **place)
    assert not groups([replace(a, doi="10.1/s"), b])


def test_opposite_prefixes_on_one_stem_are_different_words() -> None:
    from litreview.dedupe.rules import substituted_words

    assert substituted_words(
        "preoperative anxiety in children before tonsillectomy",
        "postoperative anxiety in children before tonsillectomy",
    ) == ("preoperative", "postoperative")
    assert (
        substituted_words(
            "falls among inpatients with dementia", "falls among outpatients with dementia"
        )
        is not None
    )


def test_first_author_block_of_an_all_capitals_full_name_is_the_surname() -> None:
    from litreview.dedupe.rules import first_author_key

    assert first_author_key((Name("KIM", "JONG HO"),)) == "kim"
    assert first_author_key((Name("JA", "Smith"),)) == "smith"  # BibTeX's reading of Smith JA


def _acronym_in_as_written(words: list[str], other: list[str]) -> bool:
    """The test before the first-letter shortcut (issue 16), for comparison."""
    from litreview.dedupe.rules import _spells

    if len(other) < 3:
        return False
    return any(len(w) >= 3 and w.isalpha() and w not in other and _spells(w, other) for w in words)


@given(
    st.lists(st.text(alphabet="acims", min_size=1, max_size=6), max_size=4),
    st.lists(st.text(alphabet="acimnos", min_size=1, max_size=9), max_size=5),
)
def test_the_acronym_shortcut_changes_no_answer(words: list[str], other: list[str]) -> None:
    from litreview.dedupe.rules import _acronym_in, container_similarity

    assert _acronym_in(words, other) == _acronym_in_as_written(words, other)
    assert _acronym_in(["amcis"], ["americas", "conference", "information", "systems"])
    assert (
        container_similarity("amcis 2017 proceedings", "americas conference information systems")
        == 90.0
    )


def test_explain_says_what_held_back_a_pair_the_weights_alone_would_merge() -> None:
    # ``probability 1.0000 (merge at 0.99)`` beside ``unsure`` read as a contradiction: the
    # explanation names the conflicting field, or the titles' score, that kept the pair back
    from litreview.dedupe.model import Thresholds
    from litreview.dedupe.project import _held_back
    from litreview.dedupe.rules import DISTINCT, DUPLICATE, UNSURE, Verdict

    th = Thresholds()
    scores: dict[str, float | None] = {"title": 100.0, "doi": None}
    conflict = Verdict(UNSURE, "p=1.000; differ: pages", 100.0, scores, conflicts=("pages",))
    assert _held_back(conflict, 1.0, th).startswith("the two differ in pages, which")
    alike = Verdict(UNSURE, "p=1.000", 100.0, {"title": 86.5, "doi": None})
    assert _held_back(alike, 1.0, th) == (
        "the titles agree at 86.5, below 90, and no DOI or PMID is shared"
    )
    # nothing to add: merged, under the threshold, or a rule named beside the reason
    assert _held_back(Verdict(DUPLICATE, "p=1.000", 100.0, scores), 1.0, th) == ""
    assert _held_back(Verdict(UNSURE, "p=0.95", 95.0, scores, conflicts=("pages",)), 0.95, th) == ""
    ruled = Verdict(UNSURE, "looks alike", 100.0, scores, rule="preprint-vs-published")
    assert _held_back(ruled, 1.0, th) == ""
    assert _held_back(Verdict(DISTINCT, "p=1.000", 100.0, scores, rule="x"), 1.0, th) == ""


def test_cli_decide_json_gives_the_stored_decision(project: Project) -> None:
    res = run(project, "decide", "Zhou2020", "Smith2019b", "different", "-r", "ana", "--json")
    assert res.exit_code == 0, res.output  # type: ignore[attr-defined]
    data = json.loads(res.stdout)  # type: ignore[attr-defined]
    assert data["pair"] == ["Smith2019b", "Zhou2020"]
    assert (data["decision"], data["reviewer"], data["keep"]) == ("different", "ana", "")
    assert data["date"]  # stamped today when not given


def test_a_queued_pair_with_a_merged_record_reads_the_same_in_the_next_run() -> None:
    # four exports of one article: one a year early and without the DOI, one whose title the
    # database cut short. The short one merges with the DOI records on its own, but not with
    # the early one (titles differ, no DOI to vouch), so it waits beside the merged record;
    # the next run must queue it in the very words this run wrote.
    full = "Resonance scanning in children and the outcomes of cluster headache"
    doi = "10.55/resonance.1"
    once = find_duplicates(
        [
            art("Early", title=full, year=2022),
            art("Full", title=full, year=2023, doi=doi),
            art(
                "Initials", title=full, year=2023, authors=(Name("Smith", "J."), Name("Doe", "J."))
            ),
            art("Short", title="Resonance scanning in", year=2023, doi=doi),
        ]
    )
    assert [p.pair for p in once.unsure] and once.merges
    twice = find_duplicates(once.records, model=once.model, originals=once.originals())
    assert not twice.merges
    assert twice.unsure == once.unsure
