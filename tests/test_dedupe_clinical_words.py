"""Deduplication: long titles one clinical word, one name or one inserted word apart are other
works, not one work exported twice.

The title rules let a word within a few letters of another pass as a typo or a spelling. These
are the words where a few letters are another meaning: clinical words on one stem with other
endings (nephritis/nephrosis, gastrectomy/gastrostomy, prednisone/prednisolone), or on one
ending with other stems (carcinoma/sarcoma); a place or time prefix against another
(intraoperative/preoperative); proper nouns (Austria/Australia, Iran/Iraq); and a population,
stage or place word that one title has inside it (older adults/adults, South Sudan/Sudan).
Exports of one record keep these words. Each test also checks the variants one record's
exports do show (British spellings, an umlaut written out, a synonym after a slash), which
must still merge.
"""

from __future__ import annotations

import pytest

from litreview.model import Name, Record

from . import dedupe_helpers as helpers
from .dedupe_helpers import groups, record

AUTHORS = (Name("Mwangi", "Wanjiru"), Name("Halvorsen", "Ingrid"), Name("Quispe", "Luis"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="",
    authors=AUTHORS,
    year=2022,
    container="International Journal of Comparative Clinical Studies",
    volume="",
    issue="",
    pages="",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


PLACE: dict[str, object] = dict(volume="14", issue="3", pages="220-229")


def kept_apart(one: str, two: str) -> None:
    """Both sparse (same authors, journal and year, no place), and one placed with a DOI."""
    helpers.kept_apart(art, one, two, {**PLACE, "doi": "10.5555/ijccs.220"})


def one_work(one: str, two: str) -> None:
    helpers.one_work(art, one, two, PLACE)


# --- clinical words: one stem, another ending; one ending, another stem ------------------------

OTHER_ENDINGS = [
    (
        "Urinary podocyte markers in adolescents with {}: a prospective cohort",
        ("nephritis", "nephrosis"),
    ),
    ("Weight trajectories after {} in adults over seventy", ("gastrectomy", "gastrostomy")),
    ("Stoma-related readmissions after elective {} in rural hospitals", ("colectomy", "colostomy")),
    ("Ultrasound-guided {} for proximal deep vein occlusion", ("thrombosis", "thrombolysis")),
    ("Overnight contact lens wear and {} in adolescents with myopia", ("keratitis", "keratosis")),
    (
        "Oral {} for acute exacerbations of asthma in preschool children",
        ("prednisone", "prednisolone"),
    ),
    ("Topical {} and vaginal atrophy symptoms after breast cancer", ("estradiol", "estriol")),
    ("Bedside screening for {} after subarachnoid haemorrhage", ("dysphagia", "dysphasia")),
    ("Pain trajectories in {} of the first carpometacarpal joint", ("arthritis", "arthrosis")),
    ("Hair {} levels and perceived stress in night-shift nurses", ("cortisol", "cortisone")),
]


@pytest.mark.parametrize(("pattern", "words"), OTHER_ENDINGS)
def test_clinical_words_with_other_endings_on_one_stem_are_other_works(
    pattern: str, words: tuple[str, str]
) -> None:
    kept_apart(pattern.format(words[0]), pattern.format(words[1]))


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (
            "Adjuvant brachytherapy and survival in early-stage endometrial {}",
            ("carcinoma", "sarcoma"),
        ),
        (
            "Contrast-enhanced ultrasound of incidental {} in cirrhotic livers",
            ("hepatoma", "hematoma"),
        ),
    ],
)
def test_one_clinical_ending_on_unlike_stems_is_another_word(
    pattern: str, words: tuple[str, str]
) -> None:
    kept_apart(pattern.format(words[0]), pattern.format(words[1]))


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "Haematoma growth and anaemia after intracerebral haemorrhage in older adults",
            "Hematoma growth and anemia after intracerebral hemorrhage in older adults",
        ),
        (
            "Eosinophilic oesophagitis and septicaemia in children with leukaemia",
            "Eosinophilic esophagitis and septicemia in children with leukemia",
        ),
        (
            "Oestradiol and haemarthrosis in women carrying haemophilia",
            "Estradiol and hemarthrosis in women carrying hemophilia",
        ),
    ],
)
def test_british_spellings_of_clinical_words_still_merge(one: str, two: str) -> None:
    # the endings agree and the stems only lose the British letters: one record. (Guards the
    # ending rule above; passes before and after it.)
    one_work(one, two)


# --- prefixes of place and time ------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "Intraoperative hypotension and myocardial injury after vascular surgery",
            "Preoperative hypotension and myocardial injury after vascular surgery",
        ),
        (
            "Hip abduction strength and gait speed in women with knee pain",
            "Hip adduction strength and gait speed in women with knee pain",
        ),
    ],
)
def test_a_place_or_time_prefix_against_another_is_another_work(one: str, two: str) -> None:
    kept_apart(one, two)


# --- proper nouns ----------------------------------------------------------------------------

NAMES = [
    ("Antibiotic prescribing for sore throat in general practice in {}", ("Austria", "Australia")),
    ("Seroprevalence of brucellosis among livestock workers in {}", ("Iran", "Iraq")),
    ("Hospital-acquired pneumonia surveillance in {}: a national report", ("Slovenia", "Slovakia")),
    ("Intermittent preventive treatment of malaria in schoolchildren in {}", ("Mali", "Malawi")),
    ("Mutant {} expression and lung adenocarcinoma growth in mice", ("Kras", "Nras")),
]


@pytest.mark.parametrize(("pattern", "names"), NAMES)
def test_proper_nouns_a_letter_or_two_apart_are_other_names(
    pattern: str, names: tuple[str, str]
) -> None:
    kept_apart(pattern.format(names[0]), pattern.format(names[1]))


def test_a_name_with_its_umlaut_written_out_is_the_same_name() -> None:
    # ``ö`` written ``oe`` by one database: the same name. (Guards the proper-noun rule;
    # passes before and after it.)
    one_work(
        "Salivary gland ultrasound in primary Sjögren syndrome in Norway",
        "Salivary gland ultrasound in primary Sjoegren syndrome in Norway",
    )


# --- a word inside one title -----------------------------------------------------------------

INSERTED = [
    (
        "Iron status and fatigue in women with sickle cell disease in Ghana",
        "Iron status and fatigue in pregnant women with sickle cell disease in Ghana",
    ),
    (
        "Statin discontinuation in adults with limited life expectancy: a target trial emulation",
        "Statin discontinuation in older adults with limited life expectancy: a target trial emulation",
    ),
    (
        "Measles outbreak response in Sudan: lessons from a vaccination campaign",
        "Measles outbreak response in South Sudan: lessons from a vaccination campaign",
    ),
    (
        "Circulating tumour DNA after surgery for colorectal cancer: a cohort study",
        "Circulating tumour DNA after surgery for metastatic colorectal cancer: a cohort study",
    ),
]


@pytest.mark.parametrize(("one", "two"), INSERTED)
def test_a_word_one_title_has_inside_it_is_another_population_or_place(one: str, two: str) -> None:
    kept_apart(one, two)


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "HER2 amplification and survival in gastric cancer in Peru",
            "HER2/neu amplification and survival in gastric cancer in Peru",
        ),
        (
            "Falls in adults aged ≥70 years in sheltered housing",
            "Falls in adults aged 70 years or older in sheltered housing",
        ),
        (
            "Effect of tranexamic acid (TXA) on blood loss after shoulder arthroplasty",
            "Effect of tranexamic acid on blood loss after shoulder arthroplasty",
        ),
    ],
)
def test_a_synonym_a_sign_or_an_acronym_inside_one_title_still_merges(one: str, two: str) -> None:
    # short synonyms after a slash, a sign written in words, an acronym beside what it spells:
    # one record. (Guards the inserted-word rule; passes before and after it.)
    one_work(one, two)


# --- a chain through a sparse record ---------------------------------------------------------


def test_a_sparse_record_does_not_join_a_clinical_word_to_its_neighbour() -> None:
    title = "Lymph node yield after laparoscopic {} for cancer in older adults"
    full = art("F", title=title.format("gastrectomy"), volume="14", issue="3", pages="220-229")
    sparse = art("S", title=title.format("gastrectomy"))
    other = art("O", title=title.format("gastrostomy"))
    found = groups([full, sparse, other])
    assert frozenset({"F", "S"}) in found
    assert not any("O" in g for g in found)
