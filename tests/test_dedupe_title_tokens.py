"""Deduplication: titles one meaningful token apart are other works, not one work exported twice.

Letters and short acronyms (hepatitis B/C), roman numerals (type I/II), identifiers (T1DM/T2DM),
a number on one side only (ACE/ACE2), a negation on one side only (small-cell/non-small-cell)
and words that differ at their start (maternal/paternal). Each class with the variants one
record's exports legitimately show, which must still merge.
"""

from __future__ import annotations

import pytest

from litreview.dedupe import DUPLICATE, compare, features, find_duplicates
from litreview.dedupe.rules import substituted_words, title_numbers
from litreview.model import Name, Record

from .dedupe_helpers import record

AUTHORS = (Name("Adeyemi", "Folake"), Name("Nordin", "Sara"), Name("Costa", "Rui"))


BASE: dict[str, object] = dict(
    entry_type="article",
    title="",
    authors=AUTHORS,
    year=2021,
    container="Journal of Clinical Therapeutics and Outcomes",
    volume="",
    issue="",
    pages="",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


def pair(one: str, two: str) -> tuple[Record, Record]:
    """Two records as a sparse database and a fuller one export them: same authors, journal
    and year; only the first has a volume, issue and pages (the red team's one-placed mode)."""
    return (
        art("A", title=one, volume="8", issue="2", pages="101-109", doi="10.5555/jcto.101"),
        art("B", title=two),
    )


def outcome(one: str, two: str) -> str:
    a, b = pair(one, two)
    return compare(features(a), features(b)).outcome


def merged(one: str, two: str) -> bool:
    a, b = pair(one, two)
    return bool(find_duplicates([a, b]).merges)


def kept_apart(one: str, two: str) -> None:
    assert outcome(one, two) != DUPLICATE
    assert outcome(two, one) != DUPLICATE
    # nor together in a run over both
    assert not merged(one, two)
    # both records sparse (no place, no DOI) too
    a, b = art("A", title=one), art("B", title=two)
    assert compare(features(a), features(b)).outcome != DUPLICATE
    assert not find_duplicates([a, b]).merges


def one_work(one: str, two: str) -> None:
    assert outcome(one, two) == DUPLICATE, compare(*map(features, pair(one, two))).reason
    assert merged(one, two)


# --- 1. letters, two-letter acronyms and roman numerals ---------------------------------------

LETTERS = [
    (
        "Entecavir prophylaxis for hepatitis {} reactivation during rituximab therapy",
        ("B", "C"),
    ),
    ("Vitamin {} status and frailty in community-dwelling older women", ("D", "E")),
    ("Baloxavir susceptibility of influenza {} isolates from two winter seasons", ("A", "B")),
    ("Faecal calprotectin to predict relapse of {} after stopping thiopurines", ("UC", "CD")),
    ("Retinal nerve fibre layer thinning in early {}: a case-control study", ("AD", "PD")),
    ("{} interferon gene signature in the skin of patients with morphoea", ("Type I", "Type II")),
    ("Survival after hepatic resection for stage {} colorectal metastases", ("III", "IV")),
    ("Interobserver agreement on grade {} meningioma histology", ("II", "III")),
]


@pytest.mark.parametrize(("title", "tokens"), LETTERS, ids=lambda x: str(x)[:20])
def test_titles_one_letter_acronym_or_roman_numeral_apart_are_two_works(
    title: str, tokens: tuple[str, str]
) -> None:
    kept_apart(title.format(tokens[0]), title.format(tokens[1]))


def test_roman_numerals_are_numbers_after_words_that_count_them() -> None:
    assert title_numbers("type ii diabetes") == title_numbers("type 2 diabetes") == {"2"}
    assert title_numbers("stage iv melanoma") == {"4"}
    assert title_numbers("type i interferon") == {"1"}
    # alone, i, v and x are a pronoun, versus and a letter
    assert title_numbers("what i learned from x ray images") == frozenset()


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "Sodium-glucose cotransporter 2 inhibitors in type II diabetes and chronic kidney disease",
            "Sodium-glucose cotransporter 2 inhibitors in type 2 diabetes and chronic kidney disease",
        ),
        (
            "Sodium-glucose cotransporter 2 inhibitors in Type-2 diabetes and chronic kidney disease",
            "Sodium-glucose cotransporter 2 inhibitors in type 2 diabetes and chronic kidney disease",
        ),
        (
            "TNF-α blockade and the risk of serious infection in psoriatic arthritis",
            "TNF-alpha blockade and the risk of serious infection in psoriatic arthritis",
        ),
        (
            "TNF-α blockade and the risk of serious infection in psoriatic arthritis",
            "TNF-a blockade and the risk of serious infection in psoriatic arthritis",
        ),
        (
            "Apixaban vs warfarin after transcatheter aortic valve implantation",
            "Apixaban versus warfarin after transcatheter aortic valve implantation",
        ),
        (
            "Anxiety & depression in parents of children with congenital heart disease",
            "Anxiety and depression in parents of children with congenital heart disease",
        ),
        (
            "Hospital admissions for asthma in the U.S. during wildfire smoke episodes",
            "Hospital admissions for asthma in the US during wildfire smoke episodes",
        ),
        (
            "Women's experiences of induction of labour in a midwife-led unit",
            "Womens experiences of induction of labour in a midwife-led unit",
        ),
    ],
)
def test_exports_of_one_title_still_merge_however_they_write_letters_and_numerals(
    one: str, two: str
) -> None:
    one_work(one, two)


# --- 2. identifiers and short acronyms one character apart ------------------------------------

CODES = [
    ("Closed-loop insulin delivery in adolescents with {}: a crossover trial", ("T1DM", "T2DM")),
    ("Circulating tumour DNA to monitor KRAS {}-mutant lung cancer", ("G12C", "G12D")),
    ("Response to combined targeted therapy in BRAF {} melanoma", ("V600E", "V600K")),
    ("Serotonin 5-{} receptor binding in the prefrontal cortex in depression", ("HT1A", "HT2A")),
    ("Exercise capacity and quality of life in {}: a registry analysis", ("HFpEF", "HFrEF")),
    ("{} genotype and cognitive decline after cardiac surgery", ("ApoE", "ApoB")),
]


@pytest.mark.parametrize(("title", "tokens"), CODES, ids=lambda x: str(x)[:20])
def test_identifiers_and_acronyms_one_character_apart_are_two_works(
    title: str, tokens: tuple[str, str]
) -> None:
    kept_apart(title.format(tokens[0]), title.format(tokens[1]))


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "Serum IL-1β and IL-6 as predictors of delirium after hip fracture surgery",
            "Serum IL-1beta and IL-6 as predictors of delirium after hip fracture surgery",
        ),
        (
            "Long-term olfactory dysfunction after COVID-19 in healthcare workers",
            "Long-term olfactory dysfunction after COVID19 in healthcare workers",
        ),
        (
            "Neutralising antibodies against SARS-CoV-2 variants after a booster dose",
            "Neutralising antibodies against SARS-CoV2 variants after a booster dose",
        ),
        (
            "HbA1c variability and retinopathy progression in children with diabetes",
            "HbA(1c) variability and retinopathy progression in children with diabetes",
        ),
        (
            "Three-dimensional 3-D printing of patient-specific airway stents",
            "Three-dimensional 3D printing of patient-specific airway stents",
        ),
    ],
)
def test_exports_of_one_title_still_merge_however_they_write_codes(one: str, two: str) -> None:
    one_work(one, two)


# --- 3. a number on one side only -------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "ACE expression in the nasal epithelium of children with asthma",
            "ACE2 expression in the nasal epithelium of children with asthma",
        ),
        (
            "Persistent fatigue twelve months after SARS-CoV infection in hospital staff",
            "Persistent fatigue twelve months after SARS-CoV-2 infection in hospital staff",
        ),
        (
            "Mitochondrial complex III deficiency in children with lactic acidosis",
            "Mitochondrial complex deficiency in children with lactic acidosis",
        ),
    ],
)
def test_a_number_in_one_title_only_keeps_the_pair_for_a_person(one: str, two: str) -> None:
    kept_apart(one, two)
    a, b = pair(one, two)
    assert compare(features(a), features(b)).rule == "different-numbers-in-title"


def test_a_number_that_went_with_a_subtitle_cut_at_a_break_does_not_count() -> None:
    one_work(
        "Hip fracture outcomes in care home residents: a 10-year cohort study",
        "Hip fracture outcomes in care home residents",
    )
    one_work(
        "Two-year outcomes of bariatric surgery in adolescents with obesity",
        "2-year outcomes of bariatric surgery in adolescents with obesity",
    )


def test_a_number_in_one_title_is_no_obstacle_with_a_shared_doi() -> None:
    # a subscript an export lost (CO<sub>2</sub> as CO): the DOI says it is one work
    a = art("A", title="End-tidal CO2 monitoring during procedural sedation", doi="10.5555/x1")
    b = art("B", title="End-tidal CO monitoring during procedural sedation", doi="10.5555/x1")
    assert compare(features(a), features(b)).outcome == DUPLICATE


# --- 4. a negation on one side only, and words that differ at their start --------------------

NEGATED = [
    (
        "Durvalumab after chemoradiotherapy in limited-stage small-cell lung cancer",
        "Durvalumab after chemoradiotherapy in limited-stage non-small-cell lung cancer",
    ),
    (
        "Late cardiac toxicity in survivors of Hodgkin lymphoma treated in childhood",
        "Late cardiac toxicity in survivors of non-Hodgkin lymphoma treated in childhood",
    ),
    (
        "Invasive ventilation for acute hypercapnic respiratory failure in COPD",
        "Non-invasive ventilation for acute hypercapnic respiratory failure in COPD",
    ),
    (
        "Neurological outcome after in-hospital cardiac arrest in older adults",
        "Neurological outcome after out-of-hospital cardiac arrest in older adults",
    ),
    (
        "Falls and fractures in older adults with diabetes: a cohort study",
        "Falls and fractures in older adults without diabetes: a cohort study",
    ),
    (
        "Ultra-processed food intake is associated with depressive symptoms in adolescents",
        "Ultra-processed food intake is not associated with depressive symptoms in adolescents",
    ),
    (
        "Door-to-balloon time and mortality in STEMI patients transferred at night",
        "Door-to-balloon time and mortality in NSTEMI patients transferred at night",
    ),
    (
        "Maternal smoking during pregnancy and offspring attention problems",
        "Paternal smoking during pregnancy and offspring attention problems",
    ),
    (
        "Losartan and the progression of aortic root dilatation in Marfan syndrome",
        "Valsartan and the progression of aortic root dilatation in Marfan syndrome",
    ),
    (
        "Sitagliptin added to metformin in older adults with renal impairment",
        "Saxagliptin added to metformin in older adults with renal impairment",
    ),
]


@pytest.mark.parametrize(("one", "two"), NEGATED, ids=lambda x: x[:30])
def test_a_negation_in_one_title_or_a_word_with_another_start_makes_two_works(
    one: str, two: str
) -> None:
    kept_apart(one, two)


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "Immunotherapy in elderly patients with non-small cell lung cancer",
            "Immunotherapy in elderly patients with nonsmall-cell lung cancer",
        ),
        (
            "Immunotherapy in elderly patients with non small cell lung cancer",
            "Immunotherapy in elderly patients with non-small-cell lung cancer",
        ),
        (
            "Immunotherapy in elderly patients with non small cell lung cancer",
            "Immunotherapy in elderly patients with nonsmallcell lung cancer",
        ),
        (
            "Tranexamic acid for postpartum haemorrhage in low-income countries",
            "Tranexamic acid for postpartum hemorrhage in low-income countries",
        ),
        (
            "Oesophageal cancer surgery volume and survival in England",
            "Esophageal cancer surgery volume and survival in England",
        ),
        (
            "A randomised trial of early mobilisation after knee replacement",
            "A randomized trial of early mobilization after knee replacement",
        ),
        (
            "Foetal growth restriction and caesarean delivery in twin pregnancies",
            "Fetal growth restriction and cesarean delivery in twin pregnancies",
        ),
        (
            "Non-invasive ventilation in amyotrophic lateral sclerosis: a systematic review",
            "Non-invasive ventilation in amyotrophic lateral sclerosis",
        ),
        (
            "Prevalence of chronic pain among nurses working night shifts",
            "Prevalance of chronic pain among nurses working night shifts",
        ),
        (
            "Prevalence of chronic pain among nurses working night shifts",
            "Prevalence of chronic pain among nurses wroking night shifts",
        ),
        (
            "Out-of-hospital cardiac arrest survival in rural areas",
            "Out of hospital cardiac arrest survival in rural areas",
        ),
        # a Greek letter's name inside a code, against its Latin letter
        (
            "NF-kappaB signalling in synovial fibroblasts of early arthritis",
            "NF-kB signalling in synovial fibroblasts of early arthritis",
        ),
        (
            "TGF-beta1 levels after kidney transplantation in children",
            "TGF-b1 levels after kidney transplantation in children",
        ),
        (
            "APOE epsilon4 carriers and memory decline in older women",
            "APOE e4 carriers and memory decline in older women",
        ),
        (
            "Plasma Aβ42 and cognitive decline in older women",
            "Plasma Abeta42 and cognitive decline in older women",
        ),
        # a negation written twice, one of them joined by one export
        (
            "Non-alcoholic fatty liver and outcomes after non-ST-elevation myocardial infarction",
            "Nonalcoholic fatty liver and outcomes after non-ST-elevation myocardial infarction",
        ),
    ],
)
def test_exports_of_one_title_still_merge_with_their_spellings_hyphens_and_typos(
    one: str, two: str
) -> None:
    one_work(one, two)


def test_substituted_words_names_the_words_that_differ() -> None:
    assert substituted_words("hepatitis b in pregnancy", "hepatitis c in pregnancy") == ("b", "c")
    assert substituted_words("kras g12c lung cancer", "kras g12d lung cancer") == ("g12c", "g12d")
    assert substituted_words("type ii diabetes in youth", "type 2 diabetes in youth") is None
    assert substituted_words("small cell lung cancer", "non small cell lung cancer") == ("", "non")
    assert substituted_words("small cell lung cancer", "non small cell lung cancer", False) is None
    assert substituted_words("maternal diet and asthma", "paternal diet and asthma") == (
        "maternal",
        "paternal",
    )


def test_a_sparse_record_does_not_bridge_two_works_one_token_apart() -> None:
    # the red team's chain: a placed record and a sparse one of "B", and a sparse one of "C"
    title = "Entecavir prophylaxis for hepatitis {} reactivation during rituximab therapy"
    placed = art("B1", title=title.format("B"), volume="8", issue="2", pages="101-109")
    sparse_b = art("B2", title=title.format("B"))
    sparse_c = art("C1", title=title.format("C"))
    result = find_duplicates([placed, sparse_b, sparse_c])
    together = {frozenset([m.survivor, *(r.key for r in m.absorbed)]) for m in result.merges}
    assert together == {frozenset({"B1", "B2"})}


# --- a subtype's letter written apart from its word by one export and joined by the other -------


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "Expression of GABA(A) receptor subunits in the ageing hippocampus",
            "Expression of GABAB receptor subunits in the ageing hippocampus",
        ),
        (
            "Serum vitamin-A levels and night blindness in preschool children",
            "Serum VitaminD levels and night blindness in preschool children",
        ),
    ],
)
def test_a_subtype_letter_apart_against_another_joined_is_another_subtype(
    one: str, two: str
) -> None:
    # read word by word, ``gaba a`` against ``gabab`` looked like a word with a typo's letter,
    # and the two receptors' studies merged; the titles with both letters apart (``GABA-A`` /
    # ``GABA-B``) or both joined were already kept for a person
    a, b = art("A", title=one, volume="8", issue="2"), art("B", title=two, volume="8", issue="2")
    assert compare(features(a), features(b)).outcome != DUPLICATE
    assert not find_duplicates([a, b]).merges


def test_one_subtype_written_apart_and_joined_is_still_one_work() -> None:
    a = art(
        "A", title="Expression of GABA(A) receptor subunits in the ageing hippocampus", volume="8"
    )
    b = art(
        "B", title="Expression of GABAA receptor subunits in the ageing hippocampus", volume="8"
    )
    assert [m.survivor for m in find_duplicates([a, b]).merges] == ["A"]
