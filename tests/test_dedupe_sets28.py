"""Two failure classes read on the session-28 tune libraries (real exports of one health search
from several databases, kept outside the project): a foreign article's two English titles under
one PMID, and a conference series that one database names inside ``Proceedings of the ...,
ACRONYM``. Every record here is invented; only the shapes are the exports'.
"""

from __future__ import annotations

from litreview.dedupe.rules import container_key, container_similarity
from litreview.model import Name, Record

from .dedupe_helpers import for_a_person, merged, not_merged, record

# --- a foreign article, translated into English twice ------------------------------------------

_ARTICLE: dict[str, object] = dict(
    entry_type="article",
    authors=(Name("Brandvold", "Sigrun"), Name("Aaltonen", "Petteri")),
    year=1997,
    container="Tidsskrift for Nordisk Sykepleie",
    volume="31",
    issue="6",
    pages="412-418",
)


def article(key: str, **kw: object) -> Record:
    return record(key, _ARTICLE, **kw)


def _translations() -> tuple[Record, Record]:
    """MEDLINE's and Embase's English titles of one foreign article, under its PMID."""
    return (
        article(
            "A",
            title="[Night shifts and sleep debt among district nurses: a questionnaire survey].",
            pmid="9904417",
        ),
        article(
            "B",
            title="Sleep loss of community nurses working at night - results of a survey",
            pmid="9904417",
        ),
    )


def test_two_english_translations_of_one_title_under_one_pmid_and_place_merge() -> None:
    # MEDLINE translates a foreign title into English between brackets; Embase translates it
    # its own way. One PMID, one journal issue and page range, one author list: one article
    medline, embase = _translations()
    merged(medline, embase)


def test_two_english_titles_need_the_same_pmid_and_the_same_place() -> None:
    medline, embase = _translations()
    # another PMID: two citations, whatever else they share
    not_merged(medline, article("B", title=embase.title, pmid="9904418"))
    # the same PMID but another page range: the data disagree, a person looks
    for_a_person(medline, article("B", title=embase.title, pmid="9904417", pages="419-425"))


def test_two_english_titles_sharing_only_a_doi_still_wait_for_a_person() -> None:
    # a DOI can be a supplement's, shared by two abstracts with the supplement's page range:
    # only a PMID, which PubMed gives one item, makes the two titles translations of one
    shared = dict(doi="10.5555/tns.1997.31.6", pages="1-480", issue="Suppl 1")
    one = article("A", title="Night shift rosters and sleep debt in district nursing", **shared)
    two = article("B", title="Hand hygiene audits by district nurses working at night", **shared)
    not_merged(one, two)


# --- a conference series under its proceedings' name ------------------------------------------

_PAPER: dict[str, object] = dict(
    entry_type="article",
    title="Wearable sensors that flag nocturnal hypoglycaemia in adolescents with type 1 diabetes",
    authors=(Name("Mbeki", "Thandeka"), Name("Oyelaran", "Femi"), Name("Kask", "Liis")),
    year=2016,
)
_SERIES = "Annu Int Conf IEEE Eng Med Biol Soc"
_PROCEEDINGS = (
    "Proceedings of the Annual International Conference of the IEEE Engineering in Medicine "
    "and Biology Society, EMBS"
)


def paper(key: str, **kw: object) -> Record:
    return record(key, _PAPER, **kw)


def test_a_series_name_matches_its_proceedings_name_with_the_acronym_after_it() -> None:
    assert (container_similarity(container_key(_SERIES), container_key(_PROCEEDINGS)) or 0) >= 90
    assert (
        container_similarity(
            container_key(_SERIES),
            container_key(
                "Proceedings of the 38th Annual International Conference of the IEEE "
                "Engineering in Medicine and Biology Society"
            ),
        )
        or 0
    ) >= 90


def test_a_paper_listed_under_the_series_and_under_its_proceedings_merges() -> None:
    # PubMed cites the paper under the series' abbreviation with its pages; another database
    # under the proceedings' full name, with no pages and its volume as a month
    pubmed = paper("A", container=_SERIES, volume="2016", pages="3120-3123")
    other = paper("B", container=_PROCEEDINGS, volume="2016-August", entry_type="inproceedings")
    merged(pubmed, other)


def test_words_after_a_proceedings_name_that_spell_nothing_of_it_still_count() -> None:
    # an acronym must be the name's own: ``..., IFMBE`` is another body's meeting
    other = container_key(
        "Proceedings of the Annual International Conference of the IEEE Engineering in "
        "Medicine and Biology Society, IFMBE"
    )
    assert (container_similarity(container_key(_SERIES), other) or 0) < 90
    # nor does dropping ``Proceedings of`` make two journals one
    assert (
        container_similarity(
            container_key("Proceedings of the Nutrition Society"), container_key("Nutrition")
        )
        or 0
    ) < 90


def test_a_proceedings_reading_that_leaves_a_theme_over_is_no_better_than_the_name() -> None:
    # without its ``Proceedings of the`` the longer name still adds a theme the shorter lacks:
    # that reading makes the two alike, not one (a series cut to a few words in a citation
    # index beside another meeting's proceedings is the same shape), so it does not count
    plain = container_key("Medical Informatics Europe")
    themed = container_key(
        "Proceedings of the Medical Informatics Europe Conference on Health Records"
    )
    assert (container_similarity(plain, themed) or 0) < 90
