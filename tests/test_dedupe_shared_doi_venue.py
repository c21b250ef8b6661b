"""One conference paper that PubMed indexes as a journal's article (its series as the journal, the
year as the volume) and Scopus as the proceedings' paper (the series' long name, a volume of
``2019-September``): the DOI and the first page they share make them one item. A conference paper
and its later journal version never share a DOI. The records are invented."""

from __future__ import annotations

from dataclasses import replace

from litreview.dedupe import DISTINCT, DUPLICATE
from litreview.model import Name, Provenance

from .dedupe_helpers import groups, record, rule, verdict

PAPER = {
    "entry_type": "article",
    "title": "A clustering protocol for the first fitting of hearing aids",
    "authors": (Name("Okafor", "Nkechi"), Name("Lund", "Petra"), Name("Berg", "Pia")),
    "year": 2019,
    "container": "Invented Speechfest",
    "volume": "2019",
    "pages": "2325-2329",
    "doi": "10.5555/isc.2019-3091",
}


def _pair() -> tuple:  # type: ignore[type-arg]
    journal = record("pubmed", PAPER, pmid="99000401")
    proceedings = record(
        "scopus",
        PAPER,
        entry_type="inproceedings",
        container="Proceedings of the Annual Conference of the Invented Speech Association, ISC",
        volume="2019-September",
        provenance=(Provenance("scopus", "scopus.csv", 2, "scopus"),),
    )
    return journal, proceedings


def test_one_doi_and_first_page_make_a_conference_paper_and_its_journal_typing_one() -> None:
    journal, proceedings = _pair()
    assert verdict(journal, proceedings) == DUPLICATE
    assert groups([journal, proceedings]) == {frozenset({"pubmed", "scopus"})}


def test_without_the_first_page_in_common_the_conference_rule_still_keeps_them_apart() -> None:
    journal, proceedings = _pair()
    later = replace(journal, pages="101-112", volume="31", container="Invented Speech Journal")
    assert verdict(later, proceedings) == DISTINCT
    assert rule(later, proceedings) == "conference-vs-journal"
