"""The Cochrane Library's plain-text export: ``Record #1 of N`` opens each record, then a field a
line (``ID: CN-…``, ``AU:``, ``TI:``, ``SO:``, ``YR:``, ``VL:``, ``NO:``, ``PG:``, ``PM: PUBMED …``,
``KY:``, ``DOI:``, ``AB:``, ``US:``). Every record below is invented; the layout is that of real
exports (a 271-record export of reviews, with classic Mac line ends, was "format not
recognised" before)."""

from __future__ import annotations

from pathlib import Path

from litreview.io import read_text, sniff

from .conftest import import_one_export

CENTRAL = """Record #1 of 3
ID: CN-09900001
AU: Okafor N
AU: van der Lund PA
AU: Moreau C.
TI: Quiet hours and sleep on a surgical ward: a randomised trial
SO: Invented Journal of Ward Nursing
YR: 2019
VL: 40
NO: 4
PG: 918-926
PM: PUBMED 99000301
XR: EMBASE 699000301
PT: Journal Article; Randomized Controlled Trial
KY: Noise;Sleep [physiology];Humans[checkword]
DOI: 10.5555/ijwn.40.918
AB: Background: an invented abstract.
AIM: a second paragraph that opens like a field.
US: https://www.cochranelibrary.com/central/doi/10.1002/central/CN-09900001/full

Record #2 of 3
ID: CN-09900002
AU: Berg P
TI: Ear plugs at night (abstract)
SO: Invented Congress of Ward Audiology
YR: 2021
PT: Conference Proceeding

Record #3 of 3
ID: CN-09900003
YR: 2020
"""

REVIEWS = (
    "Record #1 of 1\r"
    "ID: CD099001\r"
    "AU: Vestergaard Nadia A\r"
    "AU: Van Ryswyk Emer\r"
    "AU: Roqué i Figuls Marta\r"
    "AU: Lund Anna Maria\r"
    "TI: Quiet wards for better sleep in hospital\r"
    "SO: Cochrane Database of Systematic Reviews\r"
    "YR: 2017\r"
    "NO: 2\r"
    "PB: John Wiley & Sons, Ltd\r"
    "CC: WARDS\r"
    "DOI: 10.5555/14651858.CD099001.pub2\r"
    "AB: Background: an invented review.\r"
    "US: http://onlinelibrary.example.org/doi/10.5555/14651858.CD099001.pub2/abstract\r"
)


def test_the_cochrane_librarys_text_is_recognised() -> None:
    assert sniff(CENTRAL) == "cochrane"
    assert sniff(REVIEWS.replace("\r", "\n")) == "cochrane"
    # RIS with Record # lines above each record (as some tools write it) stays RIS
    assert sniff("Record #1 of 1\nProvider: x\n\nTY  - JOUR\nTI  - A\nER  - \n") == "ris"


def test_a_central_record_gives_every_field() -> None:
    result = read_text(CENTRAL, "central.txt", "cochrane")
    first, second = result.records
    assert (first.title, first.container, first.year, first.volume, first.issue) == (
        "Quiet hours and sleep on a surgical ward: a randomised trial",
        "Invented Journal of Ward Nursing",
        2019,
        "40",
        "4",
    )
    assert (first.pages, first.doi, first.pmid) == ("918-926", "10.5555/ijwn.40.918", "99000301")
    assert [(n.last, n.first, n.von) for n in first.authors] == [
        ("Okafor", "N.", ""),
        ("Lund", "P. A.", "van der"),
        ("Moreau", "C.", ""),
    ]
    assert first.keywords == ("Noise", "Sleep [physiology]", "Humans[checkword]")
    # a line that is not one of the export's fields continues the field above it
    assert first.abstract.endswith("a second paragraph that opens like a field.")
    assert first.get("cochrane_pm") == "PUBMED 99000301"
    assert first.get("cochrane_xr") == "EMBASE 699000301"
    assert first.provenance[0].line == 1 and first.provenance[0].original_id == "CN-09900001"
    assert first.entry_type == "article"
    assert second.entry_type == "inproceedings" and second.provenance[0].line == 21


def test_a_record_that_names_no_work_is_set_aside_at_its_line() -> None:
    result = read_text(CENTRAL, "central.txt", "cochrane")
    (reject,) = result.rejects
    assert reject.location.line == 29
    assert "nothing identifies the work" in reject.reason
    assert "CN-09900003" in reject.text


def test_text_before_the_first_record_is_set_aside() -> None:
    result = read_text("Saved from a search\n\n" + CENTRAL, "central.txt", "cochrane", "cochrane")
    assert [r.location.line for r in result.rejects] == [1, 31]
    assert len(result.records) == 2


def test_a_reviews_authors_have_their_surname_first_and_its_id_is_its_pages() -> None:
    (review,) = read_text(REVIEWS, "reviews.txt", "cochrane").records
    assert [(n.last, n.first, n.von) for n in review.authors] == [
        ("Vestergaard", "Nadia A", ""),
        ("Van Ryswyk", "Emer", ""),
        ("Roqué i Figuls", "Marta", ""),
        ("Lund", "Anna Maria", ""),
    ]
    assert (review.container, review.year, review.issue, review.pages) == (
        "Cochrane Database of Systematic Reviews",
        2017,
        "2",
        "CD099001",
    )
    assert review.doi == "10.5555/14651858.cd099001.pub2"
    assert review.get("cochrane_pb") == "John Wiley & Sons, Ltd"


def test_import_reconciles_a_cochrane_export(tmp_path: Path) -> None:
    output, corpus = import_one_export(tmp_path, "citation-export.txt", CENTRAL)
    assert "read 3 = added 2 + already in corpus 0 + rejected 1" in output, output
    assert "Quiet hours and sleep on a surgical ward" in corpus
    assert "Ear plugs at night" in corpus
