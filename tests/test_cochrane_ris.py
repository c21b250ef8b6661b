"""The Cochrane Library's RIS export: each record after ``Record #1 of N``, ``Provider: ...`` and
``Content: ...`` lines; a CENTRAL trial names its PubMed and Embase ids in C3 (``PUBMED n,EMBASE
n``), and a review's id is its AN (``CD008209``). The records are invented; in a real export of
78 trials 26 had a PubMed id only in C3, and the 4 reviews of another had no pages."""

from __future__ import annotations

from litreview.io import read_text

EXPORT = """Record #1 of 3
Provider: John Wiley & Sons, Ltd.
Content: text/plain; charset="UTF-8"

TY  -  JOUR
AN  -  CN-09900101
AU  -  Okafor, N
AU  -  Lund, PA
TI  -  Quiet hours on a surgical ward: a randomised trial
JA  -  Invented Ward Journal
PY  -  2017
VL  -  24
IS  -  12
SP  -  1386\u20101391
C3  -  PUBMED 99000601,EMBASE 699000601
M3  -  Journal article
DO  -  10.5555/iwj.24.1386
ER  -


Record #2 of 3
Provider: John Wiley & Sons, Ltd.
Content: text/plain; charset="UTF-8"

TY  -  JOUR
AN  -  CN-09900102
AU  -  NCT99000602,
TI  -  Ear plugs at night
JA  -  https://clinicaltrials.gov/show/NCT99000602
PY  -  2006
C3  -  CTgov NCT99000602
ER  -


Record #3 of 3
Provider: John Wiley & Sons, Ltd
Content: text/plain; charset="UTF-8"

TY  -  JOUR
AN  -  CD099003
AU  -  Berg, P
TI  -  Quiet wards for better sleep in hospital
JF  -  Cochrane Database of Systematic Reviews
PY  -  2022
IS  -  10
DO  -  10.5555/14651858.CD099003.pub2
ER  -
"""


def test_a_central_trials_pubmed_id_in_c3_is_its_pmid() -> None:
    trial, registered, _review = read_text(EXPORT, "citation-export.ris", "cochrane").records
    assert trial.pmid == "99000601" and trial.get("ris_c3").startswith("PUBMED 99000601")
    assert trial.pages == "1386-1391"
    assert trial.provenance[0].original_id == "CN-09900101"
    assert registered.pmid == ""  # a trial registry's id is no PMID


def test_a_cochrane_reviews_id_is_its_pages() -> None:
    review = read_text(EXPORT, "citation-export.ris", "cochrane").records[2]
    assert (review.pages, review.issue, review.provenance[0].original_id) == (
        "CD099003",
        "10",
        "CD099003",
    )


def test_a_conference_papers_proceedings_title_in_c3_is_its_container() -> None:
    """RIS names a conference paper's proceedings C3: Zotero's RIS gives it there alone (190 of
    a real 467-record export had had no container), Scopus's beside J2's abbreviation."""
    zotero = (
        "TY  - CONF\nTI  - Quiet wards by design\nAU  - Okafor, Nneka\n"
        "C3  - 2025 Invented Conference on Ward Design (ICWD)\nPY  - 2025\n"
        "DO  - 10.5555/icwd.2025.1\nSP  - 1\nEP  - 6\nER  -\n"
    )
    scopus = (
        "TY  - CONF\nTI  - Loud wards by design\nAU  - Lund P.\nPY  - 2021\n"
        "C3  - Proceedings of the Invented Conference on Ward Design, ICWD\n"
        "J2  - Proc. Invented Conf. Ward Des., ICWD\nER  -\n"
        "TY  - CONF\nTI  - Wards at night\nAU  - Berg P.\nPY  - 2021\n"
        "T2  - Invented Conference on Ward Design\nC3  - Proceedings of ICWD\nER  -\n"
    )
    (paper,) = read_text(zotero, "Exported Items.ris", "zotero").records
    assert paper.container == "2025 Invented Conference on Ward Design (ICWD)"
    assert paper.get("ris_c3") == paper.container
    first, second = read_text(scopus, "scopus.ris", "scopus").records
    assert first.container == "Proceedings of the Invented Conference on Ward Design, ICWD"
    assert second.container == "Invented Conference on Ward Design"  # T2 still comes first
