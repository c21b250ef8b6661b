"""Deduplication, the fourth red-team round: titles one short word apart by a letter or two, two
country names, and the other classes round three left merging.

Each never-merge test sits next to a test of the look-alike pair that is one work (a British or
an INN spelling, an umlaut, a typo in a long word, a short form), which must still merge.
"""

from __future__ import annotations

import pytest

from litreview.dedupe import DUPLICATE, find_duplicates
from litreview.model import Name, Record

from . import dedupe_helpers as helpers
from .dedupe_helpers import record, verdict

AUTHORS = (Name("Tshabalala", "Nomsa"), Name("Varga", "Eszter"), Name("Okafor", "Emeka"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="",
    authors=AUTHORS,
    year=2021,
    container="Journal of Invented Clinical Findings",
    volume="",
    issue="",
    pages="",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


PLACE: dict[str, object] = dict(volume="9", issue="2", pages="101-110")


def kept_apart(one: str, two: str, **kw: object) -> None:
    """Both sparse, and one placed against a sparse one."""
    helpers.kept_apart(art, one, two, PLACE, **kw)


def one_work(one: str, two: str, **kw: object) -> None:
    helpers.one_work(art, one, two, PLACE, **kw)


# --- a short word a letter apart, or any word two letters apart --------------------------------

OTHER_WORDS = [
    ("Oral {} and fasting glucose in adults with prediabetes", ("insulin", "inulin")),
    ("MUTANT {} TUMOURS AND RESPONSE TO MEK INHIBITION", ("NRAS", "KRAS")),
    ("Overnight {} in infants with bronchopulmonary dysplasia", ("hypoxia", "hypoxaemia")),
    ("Overnight {} in infants with bronchopulmonary dysplasia", ("hypoxia", "hypoxemia")),
    ("Stent patency after {} stricture repair in men", ("ureteral", "urethral")),
    ("Stress fractures of the {} in long-distance runners", ("ilium", "ileum")),
    ("Transient {} nerve palsy after prolonged lithotomy position", ("perineal", "peroneal")),
    ("Waning {} immunity after booster vaccination in nursing homes", ("humoral", "humeral")),
    ("Congenital {} syndrome surveillance in three provinces", ("rubella", "rubeola")),
    ("Tubular injury in aged {} given a high-salt diet", ("rats", "cats")),
    ("Permethrin resistance in {} collected from schoolchildren", ("lice", "mice")),
    ("Low-dose {} infusion in septic shock with cardiac dysfunction", ("dopamine", "dobutamine")),
    ("Oral {} for uncomplicated urinary infection in children", ("cefepime", "cefixime")),
    ("{} in the emergency department: a diagnostic accuracy study", ("Palpation", "Palpitation")),
    ("{} and hyponatraemia in older adults with epilepsy", ("Carbamazepine", "Oxcarbazepine")),
    ("Intrathecal {} for labour analgesia: a randomised trial", ("fentanyl", "sufentanil")),
]


@pytest.mark.parametrize(("template", "words"), OTHER_WORDS)
def test_a_short_word_a_letter_apart_or_any_word_two_letters_apart_is_another_word(
    template: str, words: tuple[str, str]
) -> None:
    kept_apart(template.format(words[0]), template.format(words[1]))


RESPELT = [
    ("Overnight {} in infants with bronchopulmonary dysplasia", ("hypoxaemia", "hypoxemia")),
    ("{} after intracerebral bleeding in older adults", ("Haemorrhage", "Hemorrhage")),
    ("Barrett {} and adenocarcinoma risk in a national cohort", ("oesophagus", "esophagus")),
    ("Iron deficiency {} in adolescent girls in rural districts", ("anaemia", "anemia")),
    ("{} for severe atopic eczema in children", ("Ciclosporin", "Cyclosporin")),
    ("Oral {} for rheumatoid arthritis in older adults", ("sulphasalazine", "sulfasalazine")),
    ("Motion {} in cardiac magnetic resonance of children", ("artefacts", "artifacts")),
    ("Healthy {} and frailty in a population cohort", ("ageing", "aging")),
    ("Ablation of {} in endometrial tissue", ("fibres", "fibers")),
    ("{} of chronic pain among nurses working night shifts", ("Prevalence", "Prevalance")),
    ("PD-L1 and {}-21 levels in oral squamous cell carcinoma", ("microRNA", "miRNA")),
    ("Antibody {} after hepatitis B vaccination in nurses", ("titres", "titers")),
]


@pytest.mark.parametrize(("template", "words"), RESPELT)
def test_a_word_spelt_the_other_way_or_with_a_typo_in_a_long_word_still_merges(
    template: str, words: tuple[str, str]
) -> None:
    one_work(template.format(words[0]), template.format(words[1]))


# --- country names ------------------------------------------------------------------------------

COUNTRIES = [
    ("Seasonal malaria chemoprevention in children under five in {}", ("Niger", "Nigeria")),
    ("Hepatitis E Seroprevalence Among Blood Donors In {}", ("Iran", "Iraq")),
    ("DENTAL OPIOID PRESCRIBING TRENDS IN {}", ("AUSTRIA", "AUSTRALIA")),
    ("Measles Vaccination Coverage In {}: A National Survey", ("Mali", "Malawi")),
]


@pytest.mark.parametrize(("template", "words"), COUNTRIES)
def test_two_countries_named_alike_in_any_case_are_two_places(
    template: str, words: tuple[str, str]
) -> None:
    kept_apart(template.format(words[0]), template.format(words[1]))


def test_one_country_under_its_two_names_or_cases_still_merges() -> None:
    one_work(
        "Behcet disease outcomes in Turkiye: a registry study",
        "Behcet disease outcomes in Turkey: a registry study",
    )
    one_work(
        "Hepatitis E Seroprevalence Among Blood Donors In Iraq",
        "Hepatitis E seroprevalence among blood donors in Iraq",
    )


def test_a_letter_for_another_outside_the_confusable_words_stays_a_typo() -> None:
    one_work(
        "Green space and mental health in unban adolescents",
        "Green space and mental health in urban adolescents",
    )
    one_work(
        "Handover qaulity on acute medical wards: a mixed methods study",
        "Handover quality on acute medical wards: a mixed methods study",
    )


# --- a word joined on with "and" that the shorter title already has ----------------------------


def test_a_place_joined_on_with_and_is_another_population() -> None:
    kept_apart(
        "Acute malnutrition among displaced children in South Sudan: a household survey",
        "Acute malnutrition among displaced children in South Sudan and Sudan: a household survey",
    )


def test_a_subtitle_cut_from_one_title_still_merges() -> None:
    one_work(
        "Acute malnutrition among displaced children in South Sudan and Sudan: a household survey",
        "Acute malnutrition among displaced children in South Sudan and Sudan",
    )


# --- a reply titled after the article -----------------------------------------------------------


def test_a_reply_titled_after_the_article_is_not_the_article() -> None:
    title = "Tai chi for balance in people with Parkinson disease: a randomised trial"
    kept_apart(title + ". In reply", title)


def test_a_title_with_reply_in_its_words_is_still_one_work() -> None:
    one_work(
        "Reply rates to postal questionnaires among general practitioners in Wales",
        "Reply rates to postal questionnaires among general practitioners in Wales.",
    )


# --- a trial registered in two registries ---------------------------------------------------------

REGISTRY = dict(authors=(), container="ClinicalTrials.gov", year=2018)
TRIAL = "Semaglutide and walking distance in adults with peripheral artery disease"


def test_one_trials_entries_in_two_registries_are_queued_not_merged() -> None:
    nct = art("N", title=TRIAL, url="https://clinicaltrials.gov/show/NCT03512345", **REGISTRY)
    eu = art(
        "E",
        title=TRIAL,
        url="https://www.clinicaltrialsregister.eu/ctr-search/search?query=2017-004512-33",
        **{**REGISTRY, "container": "EU Clinical Trials Register"},
    )
    isrctn = art(
        "I",
        title=TRIAL,
        extra=(("note", "ISRCTN12345678"),),
        **{**REGISTRY, "container": "ISRCTN registry"},
    )
    for a, b in ((nct, eu), (nct, isrctn)):
        assert verdict(a, b) == "unsure", b.key
        assert not find_duplicates([a, b]).merges, b.key


def test_one_registration_in_one_registry_exported_twice_still_merges() -> None:
    a = art("A", title=TRIAL, url="https://clinicaltrials.gov/show/NCT03512345", **REGISTRY)
    b = art("B", title=TRIAL, extra=(("note", "NCT03512345"),), **REGISTRY)
    assert verdict(a, b) == DUPLICATE
    assert find_duplicates([a, b]).merges


# --- a report that comes out every year -------------------------------------------------------------

ANNUAL = "Annual report of the national registry of congenital heart surgery"


def test_a_yearly_report_without_a_year_is_queued_not_merged() -> None:
    a = art("A", title=ANNUAL, year=None, container="")
    b = art("B", title=ANNUAL, year=None, container="")
    assert verdict(a, b) != DUPLICATE
    assert not find_duplicates([a, b]).merges
    c = art("C", title=ANNUAL, year=2019)
    d = art("D", title=ANNUAL, year=None)
    assert verdict(c, d) != DUPLICATE


def test_a_yearly_report_with_its_year_on_both_records_still_merges() -> None:
    one_work(ANNUAL, ANNUAL.upper())


# --- a number against a code of that number with letters ------------------------------------------


def test_a_number_against_its_code_with_letters_is_another_molecule() -> None:
    kept_apart(
        "PD-1 expression and survival after resection of gastric cancer",
        "PD-L1 expression and survival after resection of gastric cancer",
    )
    kept_apart(
        "Serum IL-1 levels and flare risk in gout: a cohort",
        "Serum IL-1R levels and flare risk in gout: a cohort",
    )


def test_a_code_written_with_or_without_its_hyphen_or_an_abstract_number_still_merges() -> None:
    one_work(
        "PD-L1 expression and survival after resection of gastric cancer",
        "PDL1 expression and survival after resection of gastric cancer",
    )
    one_work(
        "PO123: Sodium bicarbonate for metabolic acidosis in kidney disease",
        "123. Sodium bicarbonate for metabolic acidosis in kidney disease",
    )


# --- a summary for patients titled after the article ------------------------------------------------


def test_a_summary_for_patients_is_not_the_article() -> None:
    title = "Home blood pressure telemonitoring after stroke: a randomised trial"
    kept_apart("Summaries for patients. " + title, title)


def test_a_title_about_summaries_of_care_for_patients_is_still_one_work() -> None:
    one_work(
        "Discharge summaries for patients with heart failure: a quality audit",
        "Discharge summaries for patients with heart failure: a quality audit.",
    )


# --- items published under the article's title: data, supplements, peer review, media --------------

ARTICLE = "Graded walking for intermittent claudication in primary care: a randomised trial"


@pytest.mark.parametrize(
    "label",
    [
        "Data from: {}",
        "Additional file 2 of {}",
        "Supplementary material for {}",
        "Supplementary appendix: {}",
        "Decision letter: {}",
        "Author response: {}",
        "Peer review report 1 on {}",
        "Review of: {}",
        "Video abstract: {}",
        "Visual abstract: {}",
        "Podcast: {}",
        "Infographic: {}",
    ],
)
def test_an_item_published_under_the_articles_title_is_not_the_article(label: str) -> None:
    kept_apart(label.format(ARTICLE), ARTICLE)


def test_titles_that_open_with_those_words_as_wording_are_still_one_work() -> None:
    one_work(
        "Data from the national hip fracture database: trends in surgical delay",
        "Data from the national hip fracture database: trends in surgical delay.",
    )
    one_work(
        "Podcasts as a teaching tool in undergraduate nursing: a mixed methods study",
        "PODCASTS AS A TEACHING TOOL IN UNDERGRADUATE NURSING: A MIXED METHODS STUDY",
    )
    one_work(
        "Supplementary feeding for moderate acute malnutrition in children: a trial",
        "Supplementary feeding for moderate acute malnutrition in children: a trial",
    )


# --- a thesis and the paper from it -------------------------------------------------------------------


def test_a_thesis_and_an_article_under_one_title_are_queued_not_merged() -> None:
    thesis = art("T", title=ARTICLE, entry_type="phdthesis", container="")
    paper = art("P", title=ARTICLE)
    assert verdict(thesis, paper) == "unsure"
    assert not find_duplicates([thesis, paper]).merges


def test_one_thesis_exported_twice_still_merges() -> None:
    a = art("A", title=ARTICLE, entry_type="phdthesis", container="University of Otago")
    b = art("B", title=ARTICLE.upper(), entry_type="phdthesis", container="")
    assert verdict(a, b) == DUPLICATE
    assert find_duplicates([a, b]).merges
