"""Ovid's own tagged export (its "Citavi" and "EndNote" downloads with the fields "Complete
Reference", ``.ovd``/``.cgi``): ``<1. >`` opens each record, then ``TAG - value`` lines in
PubMed's layout but with Ovid's tags (``JN`` the journal, ``VO`` the volume, ``YR`` the year,
``DO`` the DOI as a link, ``SO`` the source citation, ``UI`` the database's id). Every record below
is invented; the layouts are those of real PsycInfo and Embase exports, which were read as
PubMed's with no journal, volume or DOI, and a record whose abstract held a blank line was cut
in two there (45 rejects in 20 real files)."""

from __future__ import annotations

from litreview.io import read_text, sniff

PSYCINFO = """<1. >
VN  - Ovid Technologies
DB  - APA PsycInfo
AN  - 2099-00001-001
TI  - Quiet wards and the sleep of older patients. [References].
YR  - 2024
LG  - English
AU  - Okafor, Nneka
AU  - Lund, Paul T
SO  - Invented Journal of Ward Psychology. Vol.86(4), 2024, pp. 1400-1416.
IS  - 9999-0001
AB  - Background: an invented abstract.

      Impact Statement
      A second paragraph after a blank line.
DO  - https://dx.doi.org/10.5555/ijwp.86.1400
ID  - sleep, noise, older adults
JN  - Invented Journal of Ward Psychology
VO  - 86
IP  - 4
PG  - 1400-1416

<2. >
VN  - Ovid Technologies
DB  - APA PsycInfo
AN  - 2099-00001-002
TI  - Ear plugs at night.
YR  - 2023
AU  - Moreau, Claire
SO  - Invented Journal of Ward Psychology. 2023, pp. No Pagination Specified.
JN  - Invented Journal of Ward Psychology
PG  - No Pagination Specified
"""

EMBASE = """<3001. >
VN  - Ovid Technologies
DB  - Embase
UI  - 699000001
TI  - Noise on the neonatal unit: a survey.
SO  - Invented Neonatal Reports. 12 (Supplement 3) (pp 51-58), 2018. Date of Publication: 2018.
AU  - Berg P.
AU  - Vestergaard N.
DO  - http://dx.doi.org/10.5555/inr.12.51
YR  - 2018

<3002. >
VN  - Ovid Technologies
DB  - Ovid MEDLINE(R) ALL
UI  - 99000401
TI  - Hearing checks before discharge.
SO  - Invented Audiology Reports. 17(2):394-399, 2016 Aug.
AU  - Lund P
JN  - Invented Audiology Reports
VO  - 17
IP  - 2
PG  - 394-399
YR  - 2016
"""


def test_an_ovid_psycinfo_record_gives_journal_volume_doi_and_its_whole_abstract() -> None:
    assert sniff(PSYCINFO) == "medline"
    result = read_text(PSYCINFO, "psycinfo.ovd", "psycinfo")
    assert not result.rejects  # the blank line in the abstract no longer cuts the record
    first, second = result.records
    assert (first.title, first.container, first.volume, first.issue, first.pages) == (
        "Quiet wards and the sleep of older patients",
        "Invented Journal of Ward Psychology",
        "86",
        "4",
        "1400-1416",
    )
    assert (first.year, first.doi, first.language) == (2024, "10.5555/ijwp.86.1400", "English")
    assert first.abstract.endswith("A second paragraph after a blank line.")
    assert {"sleep", "noise", "older adults"} <= set(first.keywords)
    assert first.provenance[0].line == 2
    assert first.provenance[0].original_id == "2099-00001-001"
    # the fields the record's own came from stay as written
    assert first.get("medline_ti") == "Quiet wards and the sleep of older patients. [References]"
    assert first.get("medline_jn") == "Invented Journal of Ward Psychology"
    assert first.get("medline_so").startswith("Invented Journal of Ward Psychology. Vol.86(4)")
    # "No Pagination Specified" is no pages
    assert second.pages == "" and second.get("medline_pg") == "No Pagination Specified"
    assert second.provenance[0].line == 24


def test_an_ovid_embase_record_takes_its_place_from_the_source_and_medline_its_pmid() -> None:
    embase, medline = read_text(EMBASE, "embase.cgi", "embase").records
    assert (embase.container, embase.volume, embase.issue, embase.pages, embase.year) == (
        "Invented Neonatal Reports",
        "12",
        "Supplement 3",
        "51-58",
        2018,
    )
    assert embase.doi == "10.5555/inr.12.51"
    assert embase.pmid == "" and embase.provenance[0].original_id == "699000001"
    # Ovid MEDLINE's unique identifier is the PMID
    assert (medline.pmid, medline.container, medline.volume, medline.pages) == (
        "99000401",
        "Invented Audiology Reports",
        "17",
        "394-399",
    )
    assert medline.provenance[0].line == 13


def test_a_pubmed_export_is_read_as_before() -> None:
    text = "PMID- 99000501\nTI  - A title.\nDP  - 2019 May\nJT  - Invented J\n\n"
    text += "PMID- 99000502\nTI  - Another.\nDP  - 2020\n"
    first, second = read_text(text, "pubmed.nbib", "pubmed").records
    assert (first.pmid, first.container, first.year) == ("99000501", "Invented J", 2019)
    assert second.provenance[0].line == 6
