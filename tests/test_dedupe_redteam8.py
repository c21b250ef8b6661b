"""Deduplication, the eighth red-team round: recall. One work as health-science databases export
it twice (MEDLINE and Embase, Web of Science, CINAHL, PsycINFO), where the matcher kept the two
apart or only queued them.

Every record here is invented. Each class of one work exported twice sits next to look-alike
records of different works, which must stay apart.
"""

from __future__ import annotations

from litreview.dedupe import DUPLICATE
from litreview.model import Name, Provenance, Record

from .dedupe_helpers import groups, queued, record, verdict

PEOPLE = (Name("Ferreira", "Lucia"), Name("Nakamura", "Kenji"), Name("Oduya", "Bola"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Chronic mild stress and hippocampal neurogenesis in female rats given fluoxetine",
    authors=PEOPLE,
    year=2015,
    container="",
    volume="40",
    issue="3",
    pages="301-309",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- 1. one journal under MEDLINE's and Embase's names ---------------------------------------------

#: a journal's name as MEDLINE abbreviates it or gives it in full, against Embase's or Web of
#: Science's full name: the description NLM writes after a semicolon or a colon, a compound one
#: name writes as one word and the other as two, a place written in letters, a British spelling,
#: the little words of another language
JOURNAL_NAMES = (
    ("Stroke", "Stroke; a journal of cerebral circulation"),
    ("BJOG", "BJOG: An International Journal of Obstetrics and Gynaecology"),
    ("Allergy", "Allergy: European Journal of Allergy and Clinical Immunology"),
    ("Proc Natl Acad Sci U S A", "Proceedings of the National Academy of Sciences of the USA"),
    ("N Z Med J", "New Zealand Medical Journal"),
    (
        "Prog Neuropsychopharmacol Biol Psychiatry",
        "Progress in Neuro-Psychopharmacology and Biological Psychiatry",
    ),
    ("Neuro Endocrinol Lett", "Neuroendocrinology Letters"),
    ("Eur J Cardiothorac Surg", "European Journal of Cardio-thoracic Surgery"),
    ("Int J Gynaecol Obstet", "International Journal of Gynecology and Obstetrics"),
    ("Acta Obstet Gynecol Scand", "Acta Obstetricia et Gynecologica Scandinavica"),
    ("Ned Tijdschr Geneeskd", "Nederlands Tijdschrift voor Geneeskunde"),
    ("J Diabetes Complications", "Journal of Diabetes and its Complications"),
)


def test_one_journal_under_medline_and_embase_names_is_one_journal() -> None:
    # the journal's two names read as two journals: a conflict in a field the model trusts, so
    # an article one export gives without its pages (in process, or a meeting's abstract)
    # waited for a person, and one a year earlier online was kept apart
    for short, full in JOURNAL_NAMES:
        medline = art("M", container=short)
        for embase in (
            art("E", container=full, issue="", pages=""),
            art("E", container=full, volume="", issue="", pages=""),
        ):
            assert verdict(medline, embase) == DUPLICATE, (short, full)
            assert groups([medline, embase]) == {frozenset({"M", "E"})}, (short, full)


def test_two_journals_whose_names_look_alike_stay_two() -> None:
    from litreview.dedupe.rules import container_key, container_similarity

    # a section journal after a colon (no "journal" in its name), a compound that is not the
    # other name's two words, an abbreviation of another subject, a country's letters that
    # begin another word: names read alike at most, never the same
    for one, other in (
        ("Circulation", "Circulation: Heart Failure"),
        ("Neurology", "Neurology: Clinical Practice"),
        ("Neuro Oncol", "Neurology"),
        ("Neuro Oncol", "Neuroendocrinology"),
        ("J Neurosci", "J Neurosurg Sci"),
        ("N Z Med J", "Neue Zeitschrift fur Medizin"),
        ("Pharm Res", "Pharmacological Research"),
        ("Eur J Cancer", "European Journal of Cancer Care"),
    ):
        assert (container_similarity(container_key(one), container_key(other)) or 0) < 90, (
            one,
            other,
        )
    # the same title and authors in a journal and, a year later, in its section journal: two
    # reports (a meeting's abstract and the paper), not one online a year before print
    a = art("A", container="Circulation", year=2015)
    b = art("B", container="Circulation: Heart Failure", year=2016, volume="", issue="", pages="")
    assert verdict(a, b) != DUPLICATE
    assert groups([a, b]) == set()


# --- 2. a translated title whose first author two exports spell two ways ---------------------------

#: other articles of the library, whose titles sort between the two records' titles
OTHERS = [
    "Effects of cognitive training in older adults with mild cognitive impairment",
    "Exercise and sleep quality in adolescents: a cohort study",
    "Factors associated with loneliness in nursing home residents",
    "Gait speed and falls in community-dwelling older women",
    "Hearing loss and dementia risk in a population sample",
    "Insomnia treatment delivered online: a randomised trial",
    "Kidney function and cognition in the elderly",
    "Long-term outcomes of hip fracture surgery in nonagenarians",
]


def _library(*pair: Record) -> list[Record]:
    people = (Name("Lindqvist", "Mats"), Name("Abara", "Chinedu"))
    return [
        *pair,
        *(
            art(f"O{k}", title=t, authors=people, volume=str(50 + k), pages=f"{100 + k}-{110 + k}")
            for k, t in enumerate(OTHERS)
        ),
    ]


def test_a_translated_title_by_an_author_spelt_two_ways_is_compared() -> None:
    # MEDLINE's English title and another database's original one share no start and no
    # words, and one export writes the umlaut out (Mueller) where the other keeps it (Müller):
    # no block held both, the sorted titles put other records between them, and the pair was
    # never compared. The same year, volume and first page now hold it
    from litreview.dedupe import candidate_pairs
    from litreview.dedupe.rules import dedupe_title_key

    place = dict(container="Invented Nervenheilkunde", year=2012, volume="83", issue="9")
    english = art(
        "EN",
        title="[Depression in old age: what helps? A review of exercise therapy]",
        authors=(Name("Müller", "Sabine"), Name("Albrecht", "Uwe")),
        pages="1150-1158",
        **place,
    )
    original = art(
        "DE",
        title="Zur Wirksamkeit der Bewegungstherapie bei Altersdepression",
        authors=(Name("Mueller", "S."), Name("Albrecht", "U.")),
        pages="1150-1158",
        **place,
    )
    records = sorted(_library(english, original), key=lambda r: r.key)
    keys = [r.key for r in records]
    pairs = candidate_pairs(records, [dedupe_title_key(r.title) for r in records])
    i, j = sorted((keys.index("EN"), keys.index("DE")))
    assert i * len(records) + j in pairs
    assert frozenset({"EN", "DE"}) in groups(records)


def test_two_articles_on_one_first_page_of_two_journals_stay_apart() -> None:
    # the same year, volume and first page in two journals: compared now, and two works
    one = art("A", container="Invented Nervenheilkunde", year=2012, volume="83", pages="1150-1158")
    two = art(
        "B",
        title="Zur Wirksamkeit der Bewegungstherapie bei Altersdepression",
        authors=(Name("Mueller", "S."), Name("Albrecht", "U.")),
        container="Invented Zeitschrift fur Gerontologie",
        year=2012,
        volume="83",
        pages="1150-1161",
    )
    assert groups(_library(one, two)) == set()


# --- 3. a meeting's abstract as Embase types it, and as the journal's supplement prints it ---------

CONDITIONING = (
    "Delayed remote ischaemic conditioning reduces infarct volume after transient middle"
    " cerebral artery occlusion in aged rats"
)
FLOW = "Invented Journal of Cerebral Blood Flow"


def _meeting(key: str, **kw: object) -> Record:
    """An abstract's record that gives neither volume, issue nor page."""
    fields: dict[str, object] = dict(
        title=CONDITIONING, container=FLOW, year=2017, volume="", issue="", pages=""
    )
    fields.update(kw)
    return art(key, **fields)


def test_a_meeting_record_naming_the_journal_joins_the_supplements_abstract() -> None:
    # Embase types the abstract as the meeting's and gives no volume or page; Web of Science
    # gives it as an article in the journal's supplement. Read as a meeting's paper against a
    # journal's article, the pair was kept apart for good (conference-vs-journal)
    for meeting in (
        _meeting("E", entry_type="inproceedings"),
        _meeting("E", container=f"{FLOW}. Conference: 28th Invented Symposium. Germany"),
    ):
        for printed in (
            _meeting("W", volume="37", issue="1 Suppl"),
            _meeting("W", volume="37", pages="S210"),
        ):
            assert verdict(meeting, printed) == DUPLICATE
            assert groups([meeting, printed]) == {frozenset({"E", "W"})}


def test_a_meeting_record_and_the_paper_in_a_regular_issue_stay_apart() -> None:
    # the paper printed in a regular issue of the journal the same year, in the next year's
    # supplement, or another journal's supplement, is not the meeting's abstract
    meeting = _meeting("E", entry_type="inproceedings")
    for paper in (
        _meeting("P", volume="37", issue="9", pages="901-910"),
        _meeting("P", volume="37", pages="901-910"),
        _meeting("P", year=2018, volume="38", issue="1 Suppl"),
        _meeting("P", container="Invented Stroke", volume="48", issue="1 Suppl"),
    ):
        assert verdict(meeting, paper) != DUPLICATE
        assert groups([meeting, paper]) == set()


# --- 4. a long title cut at a length inside a word -------------------------------------------------

LONG = (
    "Effect of intracoronary beta-blockers given before reperfusion on infarct size,"
    " microvascular obstruction and intramyocardial haemorrhage in a porcine model of acute"
    " myocardial infarction"
)


def test_a_title_cut_inside_a_word_is_the_whole_title() -> None:
    # a database (or a spreadsheet's cell) that cuts a long title at a length cuts inside a
    # word: the cut title was read as another title, and the export without pages was apart
    whole = art("A", title=LONG, container="Invented Cardiovascular Research")
    for n in (60, 75, 128):
        assert LONG[n - 1].isalpha() and LONG[n].isalpha(), n  # inside a word
        for cut in (LONG[:n], LONG[:n] + "..."):
            for b in (
                art("B", title=cut, container="Invented Cardiovascular Research", pages=""),
                art("B", title=cut, container="Invented Cardiovascular Research", volume=""),
            ):
                assert verdict(whole, b) == DUPLICATE, cut
                assert groups([whole, b]) == {frozenset({"A", "B"})}, cut


def test_a_short_title_ending_in_a_words_first_letters_is_its_own() -> None:
    # a short title that ends where another begins a longer word is a title of its own (a
    # team's two papers), and a cut title placed elsewhere is another work
    for one, two in (
        ("Effects of exercise on fat", "Effects of exercise on fatigue in multiple sclerosis"),
        (LONG[:75], LONG[:75] + "ia"),
    ):
        a = art("A", title=one, container="Invented Cardiovascular Research", year=2015)
        b = art("B", title=two, container="Invented Heart Journal", year=2017, volume="41")
        assert verdict(a, b) != DUPLICATE, one
        assert groups([a, b]) == set(), one
    # a country's name where a cut would fall is the title's last word, in the same journal
    niger = "Seasonal malaria chemoprevention in children under five years of age in Niger"
    a = art("A", title=niger, container="Invented Tropical Medicine", pages="")
    nigeria = f"{niger}ia: results of a cluster randomised trial in three states"
    b = art("B", title=nigeria, container="Invented Tropical Medicine", pages="")
    assert verdict(a, b) != DUPLICATE
    assert groups([a, b]) == set()


# --- 5. a Greek letter an export could not write ----------------------------------------------------

BLOCKERS = "Effect of {}-blockers on infarct size after reperfusion in a porcine model"


def test_a_greek_letter_lost_to_a_question_mark_waits_for_a_person() -> None:
    # an export in a code page without Greek letters writes ``?`` for β (or drops it). The
    # eighth round read the lost character as the other title's letter and merged; lost since
    # (tests/test_dedupe_redteam8b.py): ``?`` may as well have been γ or α, a team's other
    # paper in the same issue, and without a place on both records nothing else tells, so the
    # pair waits in the queue as it did before the round
    written = art("A", title=BLOCKERS.format("β"), container="Invented Cardiology", pages="")
    for lost in ("?", " "):  # ``?-blockers``, ``-blockers``
        b = art(
            "B", title=BLOCKERS.format(lost).replace("  ", " "), container="Invented Cardiology"
        )
        for other in (b, art("B", title=b.title, container="Invented Cardiology", volume="")):
            assert verdict(written, other) != DUPLICATE, other.title
            assert groups([written, other]) == set(), other.title
            assert queued([written, other]) == {frozenset({"A", "B"})}, other.title


def test_a_greek_letter_written_two_ways_or_a_word_lacking_stays_apart() -> None:
    # α and β both written, a title without the letter and without a lost character, and a
    # lost character where the other title has a word that is no Greek letter
    for one, two in (
        (BLOCKERS.format("β"), BLOCKERS.format("α")),
        (
            BLOCKERS.format("beta"),
            "Effect of blockers on infarct size after reperfusion in a porcine model",
        ),
        (
            "Effect of aspirin on infarct size in a porcine model",
            "Effect of ? on infarct size in a porcine model",
        ),
    ):
        a = art("A", title=one, container="Invented Cardiology", pages="")
        b = art("B", title=two, container="Invented Cardiology")
        assert verdict(a, b) != DUPLICATE, (one, two)
        assert groups([a, b]) == set(), (one, two)


# --- 6. a year two apart, with the issue left out ----------------------------------------------------


def test_a_year_two_apart_with_the_same_volume_and_pages_and_no_issue_merges() -> None:
    # Embase's record of an article online two years before its issue keeps the online year
    # with the issue's volume and pages, and no issue number: only the same issue on both
    # records let the same volume and page range outweigh the year
    printed = art("P", container="Invented Cardiology", year=2016, volume="110", issue="2")
    early = art("E", container="Invented Cardiology", year=2014, volume="110", issue="")
    assert verdict(printed, early) == DUPLICATE
    assert groups([printed, early]) == {frozenset({"P", "E"})}


def test_a_year_two_apart_in_another_place_stays_apart() -> None:
    # another issue, other pages, pages counted from 1 in another journal, or no pages
    printed = art("P", container="Invented Cardiology", year=2016, volume="110", issue="2")
    for other in (
        art("E", container="Invented Cardiology", year=2014, volume="110", issue="5"),
        art(
            "E", container="Invented Cardiology", year=2014, volume="110", issue="", pages="401-409"
        ),
        art("E", container="Invented Cardiology", year=2014, volume="110", issue="", pages=""),
        art("E", container="Invented Heart", year=2014, volume="110", issue="", pages="1-9"),
    ):
        local = art("P", container="Invented Cardiology", year=2016, volume="110", pages="1-9")
        for one in (printed, local):
            assert verdict(one, other) != DUPLICATE, (one.pages, other)
            assert groups([one, other]) == set(), (one.pages, other)


# --- 7. three databases' records of a short title in one exported file ------------------------------


def _one_file(key: str, **kw: object) -> Record:
    """A record of a reference manager's library exported as one file."""
    return art(key, provenance=(Provenance("library", "library.ris", 1, key),), **kw)


def test_a_short_title_three_databases_give_in_one_file_waits_for_a_person() -> None:
    # MEDLINE's, Embase's and Web of Science's records of one article, exported together from
    # a reference manager as one file, none with a page: a short title more records carry than
    # there are files reads as a column one export lists in every issue. Telling the exports
    # apart by how each writes the title and the journal merged these, and merged a column's
    # three issues written three ways just as well (below): what is lost is this merge, left to
    # a person, since nothing in the records says which of the two it is
    unplaced = dict(volume="27", issue="", pages="")
    records = [
        _one_file("M", title="Ketamine for depression.", container="Am J Psychiatry", **unplaced),
        _one_file(
            "E", title="Ketamine for depression", container="Am Journal of Psychiatry", **unplaced
        ),
        _one_file(
            "W",
            title="KETAMINE FOR DEPRESSION",
            container="AMERICAN JOURNAL OF PSYCHIATRY",
            **unplaced,
        ),
    ]
    assert groups(records) == set()
    assert frozenset(("E", "M")) in queued(records)


def test_a_columns_three_issues_three_databases_give_in_one_file_are_not_merged() -> None:
    # one column in three issues of a year, each issue's record from another database and
    # written its own way, in one exported file, none with an issue or a page
    unplaced = dict(volume="27", issue="", pages="")
    records = [
        _one_file(
            "C1", title="Nursing informatics update.", container="Invented Psychiatr", **unplaced
        ),
        _one_file(
            "C2", title="Nursing informatics update", container="Invented Psychiatry", **unplaced
        ),
        _one_file(
            "C3", title="NURSING INFORMATICS UPDATE", container="INVENTED PSYCHIATRY", **unplaced
        ),
    ]
    assert groups(records) == set()


def test_a_column_one_export_lists_three_times_in_one_file_still_waits() -> None:
    # one export's records of an editor's column, written alike each time: three items of
    # one year that nothing places, for a person
    unplaced = dict(volume="27", issue="", pages="")
    records = [
        _one_file(k, title="Letter from the editor", container="Invented Psychiatry", **unplaced)
        for k in ("C1", "C2", "C3")
    ]
    assert groups(records) == set()
    assert frozenset(("C1", "C2")) in queued(records)


# --- 8. a footnote's mark glued to a title's last word ------------------------------------------


def test_a_footnote_digit_glued_to_the_last_word_is_no_number() -> None:
    # a publisher's title keeps its footnote's mark as a digit after the last word: read as a
    # number only one title has, the pair waited for a person
    title = "Hippocampal neurogenesis after 12 weeks of social defeat stress in adolescent mice"
    a = art("A", title=title, container="Invented Neuroscience")
    for marked in (f"{title}1", f"{title}2.", f"{title}1*"):
        b = art("B", title=marked, container="Invented Neuroscience", issue="", pages="")
        assert verdict(a, b) == DUPLICATE, marked
        assert groups([a, b]) == {frozenset({"A", "B"})}, marked


def test_a_code_or_a_number_at_a_titles_end_is_a_number() -> None:
    # a gene or a receptor written in capitals, a number of two digits, a number after a space
    for one, two in (
        (
            "Seizure outcomes in children with variants of SCN1",
            "Seizure outcomes in children with variants of SCN",
        ),
        ("Vaccine uptake among nurses during covid19", "Vaccine uptake among nurses during covid"),
        (
            "Social defeat stress in adolescent mice, study 2",
            "Social defeat stress in adolescent mice, study",
        ),
    ):
        a = art("A", title=one, container="Invented Neuroscience")
        b = art("B", title=two, container="Invented Neuroscience", issue="", pages="")
        assert verdict(a, b) != DUPLICATE, one
        assert groups([a, b]) == set(), one


# --- 9. a tracer's radionuclide as each database writes it ------------------------------------------

FDG = "{} PET in early Alzheimer's disease: a longitudinal study"


def test_a_radionuclide_written_element_first_is_the_same_tracer() -> None:
    # Web of Science writes F-18-FDG and C-11 where MEDLINE writes (18)F and Embase 18F or
    # <sup>18</sup>F (or escapes the markup as text): read as a word each title lacks, the
    # pair without a place waited in the queue
    a = art("A", title=FDG.format("[18F]FDG"), container="Invented Neuroimage")
    for written in ("F-18-FDG", "(18)F-FDG", "&lt;sup&gt;18&lt;/sup&gt;F-FDG", "18 F-FDG"):
        b = art("B", title=FDG.format(written), container="Invented Neuroimage", pages="")
        assert verdict(a, b) == DUPLICATE, written
        assert groups([a, b]) == {frozenset({"A", "B"})}, written
    pib = "Amyloid imaging with {} in cognitively normal older adults"
    a = art("A", title=pib.format("[11C]PiB"), container="Invented Neuroimage")
    b = art("B", title=pib.format("C-11-PiB"), container="Invented Neuroimage", pages="")
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_two_tracers_are_two_titles() -> None:
    # carbon-11 and fluorine-18 (the number was glued to the letter, and no number was read)
    pib = "Amyloid imaging with {}PiB in cognitively normal older adults"
    for one, two in (("[11C]", "[18F]"), ("C-11-", "F-18-"), ("11C-", "(18)F-")):
        a = art("A", title=pib.format(one), container="Invented Neuroimage")
        b = art("B", title=pib.format(two), container="Invented Neuroimage", pages="")
        assert verdict(a, b) != DUPLICATE, (one, two)
        assert groups([a, b]) == set(), (one, two)
