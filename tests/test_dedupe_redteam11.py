"""Deduplication, the eleventh red-team round: false merges the tenth round left. A word one title
has in place of another, read as the other title's words run together because its letters occur
inside a word both titles share (``one`` in ``telephone``, ``liver`` in ``delivery``, ``men``
in ``treatment``); two supplements' abstracts paged with their roman numerals (``iv45`` /
``v45``), whose first page was read as none; a whole book and a chapter of another book under
its title; a statistical analysis plan, a study's rationale and study design or its cohort
profile beside the study's main report; a function word in one title where the other has a
word of another time or side (``in`` / ``after pregnancy``, ``on`` / ``off treatment``); a
review's PROSPERO record beside the review; and ``stage IIIA`` / ``stage IIIB`` in a title
without capitals inside.

Every record here is invented. Each class of two works sits next to the one work exported
twice that its rule was written for, which must still merge (or, where the evidence is
one-sided, wait for a person).
"""

from __future__ import annotations

from litreview.model import Name, Record

from .dedupe_helpers import merged, not_merged, queued, record

PEOPLE = (Name("Haddad", "Leila"), Name("Brennan", "Ciaran"), Name("Tanaka", "Hiroshi"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Nurse-led telephone follow-up for adults with heart failure after hospital discharge",
    authors=PEOPLE,
    year=2020,
    container="Invented Journal of Primary Care",
    volume="12",
    issue="3",
    pages="45-53",
)

NO_PLACE: dict[str, object] = dict(volume="", issue="", pages="")

#: how one record of the pair may be exported: without its place in an issue (the same journal
#: and year), without pages, or with no place at all beside a record with none
SPARSE: tuple[tuple[dict[str, object], dict[str, object]], ...] = (
    ({}, NO_PLACE),
    ({}, dict(pages="")),
    (NO_PLACE, NO_PLACE),
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


# --- 1. a word read as the other title's words run together --------------------------------------

INSIDE = (
    # (one, two): the word of ``one`` is inside a word both titles have
    (
        "Hormone therapy and bone loss in women after one year",
        "Hormone therapy and bone loss in women after two years",
    ),
    (
        "Nurse delivery of care for people with liver disease",
        "Nurse delivery of care for people with kidney disease",
    ),
    (
        "Obesity treatment in men attending primary care",
        "Obesity treatment in boys attending primary care",
    ),
    (
        "Survival analysis of anal cancer in a national registry",
        "Survival analysis of oral cancer in a national registry",
    ),
    (
        "Ten-year weight change in adults attending diabetes clinics",
        "Eight-year weight change in adults attending diabetes clinics",
    ),
    (
        "Feedback on neck pain management in physiotherapy",
        "Feedback on back pain management in physiotherapy",
    ),
    (
        "Year-long hearing loss and ear infection in infants",
        "Year-long hearing loss and eye infection in infants",
    ),
)


def test_a_word_inside_a_shared_word_is_not_the_other_title_run_together() -> None:
    # a word one title has in place of another (``one``/``two`` years, ``liver``/``kidney``,
    # ``men``/``boys``) was taken for the other title's words run together (``sage grouse`` as
    # ``sagegrouse``) because its letters occur inside a word both titles share: ``one`` in
    # ``hormone``, ``liver`` in ``delivery``, ``men`` in ``treatment``, ``anal`` in
    # ``analysis``, ``ten`` in ``attending``, ``back`` in ``feedback``, ``ear`` in ``year``.
    # The substituted word went unseen and the two studies merged
    for one, two in INSIDE:
        for kw_a, kw_b in SPARSE:
            a, b = art("A", title=one, **kw_a), art("B", title=two, **kw_b)
            not_merged(a, b)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (one, two)


def test_words_run_together_in_one_export_still_merge() -> None:
    # the run-together the rule was written for: the words the other title has in their place
    for one, two in (
        (
            "Health care use by sage grouse hunters with liver disease",
            "Healthcare use by sagegrouse hunters with liver disease",
        ),
        (
            "Follow up of nurse delivery of care for people with liver disease",
            "Followup of nurse delivery of care for people with liver disease",
        ),
        (
            "Obesity treatment in men attending primary care: a low dose trial",
            "Obesity treatment in men attending primary care: a lowdose trial",
        ),
    ):
        merged(art("A", title=one), art("B", title=two, **NO_PLACE))


# --- 2. two supplements' abstracts paged with their roman numerals -------------------------------

ONCOLOGY: dict[str, object] = dict(
    title="Geriatric assessment before chemotherapy in older adults with colorectal cancer",
    container="Annals of Invented Oncology",
    year=2019,
    volume="30",
)


def test_two_supplements_pages_in_roman_numerals_are_two_places() -> None:
    # a journal that pages each supplement of a volume with its number (``iv45`` in
    # supplement 4, ``v123`` in supplement 5): one team's abstract of one title at two of the
    # year's meetings. A first page of two roman letters or more was read as none, so nothing
    # told the two apart and they merged, with or without their issues
    for page_a, page_b in (("v123", "iv45"), ("v123", "iv123"), ("iii12-iii13", "ii12-ii13")):
        for issues in (("Suppl 5", ""), ("", "")):
            a = art("A", **ONCOLOGY, issue=issues[0], pages=page_a)
            b = art("B", **ONCOLOGY, issue=issues[1], pages=page_b)
            not_merged(a, b)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (page_a, page_b)


def test_one_supplement_abstract_exported_twice_still_merges() -> None:
    # one abstract: its supplement page written the same way, as a range or its first page,
    # and a record of it without pages
    for pages in ("iv45-iv46", "iv45", ""):
        merged(
            art("A", **ONCOLOGY, issue="Suppl 4", pages="iv45"),
            art("B", **ONCOLOGY, issue="", pages=pages),
        )


# --- 3. a whole book and a chapter of another book under its title -------------------------------

BOOK: dict[str, object] = dict(
    BASE,
    entry_type="book",
    title="Cognitive behavioural therapy for insomnia in later life",
    container="",
    year=2021,
    **NO_PLACE,
)
HANDBOOK = "Invented Handbook of Sleep Medicine"


def book(key: str, **kw: object) -> Record:
    return record(key, BOOK, **kw)


def test_a_book_and_a_chapter_of_another_book_under_its_title_wait() -> None:
    # the authors' book and their chapter in another's handbook, given the book's title (as
    # PsycINFO indexes both): the same title, authors and year, the chapter with its pages
    # and its handbook, or exported without either. Nothing kept a whole book from a chapter
    # whose container was not the book's own title, and the two merged
    for chapter in (
        book("B", entry_type="incollection", container=HANDBOOK, pages="233-250"),
        book("B", entry_type="incollection", container=HANDBOOK),
        book("B", entry_type="inbook", pages="233-250"),
        book("B", entry_type="incollection"),
    ):
        for whole in (book("A"), book("A", container="Invented Series")):
            not_merged(whole, chapter)
            assert queued([whole, chapter]) == {frozenset({"A", "B"})}, chapter.container


def test_a_chapter_exported_as_a_book_and_as_a_chapter_still_merges() -> None:
    # one chapter: one export types it a book but names the handbook it is in, the other a
    # chapter; and one book exported twice
    merged(
        book("A", container=HANDBOOK),
        book("B", entry_type="incollection", container=HANDBOOK, pages="233-250"),
    )
    merged(book("A"), book("B", container="Invented Series"))


# --- 4. a statistical analysis plan, a rationale and design, a cohort profile -------------------

TRIAL = BASE["title"]
COMPANIONS = (
    f"{TRIAL}: statistical analysis plan",
    f"{TRIAL}: health economic analysis plan for a randomised controlled trial",
    f"{TRIAL}: rationale and study design",
    f"{TRIAL}: study design and rationale",
    f"Cohort profile: {TRIAL.lower()}",
    f"{TRIAL}: intervention development",
)


def test_a_trials_analysis_plan_design_or_profile_is_another_report() -> None:
    # the trial's statistical or economic analysis plan, its rationale and study design, a
    # cohort's profile or the intervention's development, in the journal of its main report
    # and year, one record without its place: the subtitle was read as one an export dropped
    # (``rationale and design`` was known, ``rationale and study design`` not), and the two
    # merged
    for companion in COMPANIONS:
        for a, b in (
            (art("A", title=companion), art("B", **NO_PLACE)),
            (art("A", title=companion, **NO_PLACE), art("B", **NO_PLACE)),
            (art("A", title=companion, **NO_PLACE), art("B")),
        ):
            not_merged(a, b)
            assert queued([a, b]) == {frozenset({"A", "B"})}, companion


def test_an_analysis_plan_exported_twice_or_in_one_issue_still_merges() -> None:
    # the plan from two databases, one without its place; a plan's record without its
    # subtitle on the plan's own first page; and ``analysis plan`` in both titles
    for companion in COMPANIONS:
        merged(art("A", title=companion), art("B", title=companion, **NO_PLACE))
        merged(art("A", title=companion), art("B", issue=""))


# --- 5. a function word in place of a word that means something ----------------------------------

RELATIONS = (
    (
        "Depressive symptoms in pregnancy among women attending rural clinics",
        "Depressive symptoms after pregnancy among women attending rural clinics",
    ),
    (
        "Blood pressure variability on treatment in older adults with hypertension",
        "Blood pressure variability off treatment in older adults with hypertension",
    ),
    (
        "Oxygen saturation targets at birth in preterm infants",
        "Oxygen saturation targets after birth in preterm infants",
    ),
    (
        "Mortality in hospital after hip fracture in older adults",
        "Mortality outside hospital after hip fracture in older adults",
    ),
    (
        "Statins for all adults with type 2 diabetes: the case for",
        "Statins for all adults with type 2 diabetes: the case against",
    ),
)


def test_a_function_word_in_place_of_another_word_is_another_work() -> None:
    # titles word for word alike but for one word, a preposition in one (``in``, ``on``,
    # ``at``, ``for``) and a word that means something in the other (``after``, ``off``,
    # ``outside``, ``against``): another time, state or side of the debate. Function words
    # never count as a title's words, so the word on the other side had nothing to stand
    # against and the two merged
    for one, two in RELATIONS:
        for kw_a, kw_b in SPARSE:
            a, b = art("A", title=one, **kw_a), art("B", title=two, **kw_b)
            not_merged(a, b)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (one, two)


def test_a_function_word_typed_wrong_or_one_of_the_same_sense_still_merges() -> None:
    # a typo of the function word (``of`` / ``off``), and a preposition of much the same sense
    # in one paper's two versions of its title (``recovery from`` / ``after``, ``on`` /
    # ``over``, ``in`` / ``under``): the rule reads a closed list of other times and sides
    for one, two in (
        (
            "Blood pressure variability of treatment in older adults with hypertension",
            "Blood pressure variability off treatment in older adults with hypertension",
        ),
        (
            "Recovery of walking from hip fracture surgery in older adults",
            "Recovery of walking after hip fracture surgery in older adults",
        ),
        (
            "Answering clinical questions on heterogeneous health record systems",
            "Answering clinical questions over heterogeneous health record systems",
        ),
        (
            "Medication safety in fully concurrent electronic prescribing",
            "Medication safety under fully concurrent electronic prescribing",
        ),
    ):
        merged(art("A", title=one), art("B", title=two, **NO_PLACE))


# --- 6. a review's PROSPERO record beside the published review ------------------------------------

REVIEW = (
    "Exercise interventions for depression in older adults: a systematic review and meta-analysis"
)
PROSPERO_URL = "https://www.crd.york.ac.uk/prospero/display_record.php?ID=CRD42019123456"


def registration(key: str, **kw: object) -> Record:
    fields: dict[str, object] = dict(
        entry_type="misc", title=REVIEW, container="", url=PROSPERO_URL, **NO_PLACE
    )
    fields.update(kw)
    return art(key, **fields)


def test_a_reviews_prospero_record_and_the_review_wait() -> None:
    # the register's record of a review bears the review's title, authors and often its
    # year. Exported with its address and no container (a reference manager's web page),
    # nothing told it from the review, and the two merged; and two registrations under one
    # title are two reviews
    for reg in (registration("A"), registration("A", entry_type="article")):
        for review in (art("B", title=REVIEW), art("B", title=REVIEW, **NO_PLACE)):
            not_merged(reg, review)
            assert queued([reg, review]) == {frozenset({"A", "B"})}
    other = registration("B", url=PROSPERO_URL.replace("123456", "654321"))
    not_merged(registration("A"), other)
    assert queued([registration("A"), other]) == set()


def test_one_prospero_record_exported_twice_still_merges() -> None:
    merged(registration("A"), registration("B", container="PROSPERO", url=""))


# --- 7. a roman numeral with a subtype's letter in a title without capitals inside ---------------

STAGE = "Adjuvant chemotherapy for stage {} non-small cell lung cancer in older adults"


def test_a_roman_stage_with_another_subtype_letter_is_another_work() -> None:
    # ``stage IIIA`` / ``stage IIIB`` (``type Ia`` / ``Ib``, ``class IIa`` / ``IIb``) in a title
    # in capitals or in lower case, where no capital inside marks the numeral as a code: the
    # word was read as one letter typed wrong, and the two studies merged
    for one, two in (("IIIA", "IIIB"), ("IA", "IB"), ("IIA", "IIB"), ("IVA", "IVC")):
        for case in (str.upper, str.lower):
            a = art("A", title=case(STAGE.format(one)))
            b = art("B", title=case(STAGE.format(two)), **NO_PLACE)
            not_merged(a, b)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (one, two)


def test_one_roman_stage_written_two_ways_still_merges() -> None:
    # ``stage IIIA`` in capitals, in lower case and as ``3A``; ``via`` and ``factor Xa`` are
    # not read as a stage's numeral
    for one, two in (("IIIA", "iiia"), ("IIIA", "3A"), ("IIb", "2b")):
        merged(art("A", title=STAGE.format(one)), art("B", title=STAGE.format(two), **NO_PLACE))
    for title in (
        "Chemotherapy delivered via a community nurse service in older adults",
        "Factor Xa inhibitors after hip fracture surgery in older adults",
    ):
        merged(art("A", title=title), art("B", title=title.upper(), **NO_PLACE))
