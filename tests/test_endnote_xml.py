"""EndNote's XML export (File > Export > XML): ``<xml><records><record>…``, a record's fields in
elements named for EndNote's fields, their text inside ``<style>`` runs, the whole export on one
line. Every record below is invented; the layout is that of a real 179-record export of a
review's EndNote library, which was "format not recognised" before."""

from __future__ import annotations

from pathlib import Path

from litreview.io import read_text, sniff

from .conftest import import_one_export


def _s(text: str) -> str:
    return f'<style face="normal" font="default" size="100%">{text}</style>'


FIRST = (
    '<record><database name="My library.enl" path="C:\\Users\\me\\My library.enl">'
    'My library.enl</database><source-app name="EndNote" version="20.0">EndNote</source-app>'
    '<rec-number>19</rec-number><foreign-keys><key app="EN" db-id="abc">19</key>'
    '</foreign-keys><ref-type name="Journal Article">17</ref-type><contributors><authors>'
    f"<author>{_s('Okafor, N. A.')}</author><author>{_s('van der Lund, Pia')}</author>"
    f"</authors></contributors><auth-address>{_s('Invented University&#xD;Second Place')}"
    f"</auth-address><titles><title>{_s('Quiet wards and ')}"
    '<style face="italic" font="default" size="100%">Plasmodium</style>'
    f"{_s(' sleep')}</title><secondary-title>{_s('Invented J Ward Stud')}</secondary-title>"
    f"<alt-title>{_s('Inv. J. Ward Stud.')}</alt-title></titles><periodical><full-title>"
    f"{_s('Invented J Ward Stud')}</full-title></periodical><pages>{_s('623-31')}</pages>"
    f"<volume>{_s('32')}</volume><number>{_s('4')}</number><keywords><keyword>{_s('Noise')}"
    f"</keyword><keyword>{_s('*Sleep')}</keyword></keywords><dates><year>{_s('2019')}</year>"
    f"<pub-dates><date>{_s('Sep 18')}</date></pub-dates></dates><isbn>"
    f"{_s('0893-8512 (Print)&#xD;0893-8512')}</isbn><accession-num>{_s('99000301')}"
    f"</accession-num><abstract>{_s('An invented abstract, p &lt; 0.05.')}</abstract>"
    f"<electronic-resource-num>{_s('10.5555/ijws.32.623')}</electronic-resource-num>"
    f"<remote-database-provider>{_s('NLM')}</remote-database-provider><language>{_s('eng')}"
    f"</language><custom2>{_s('PMC0000001')}</custom2><urls><related-urls><url>"
    f"{_s('https://example.org/ijws/32/623')}</url></related-urls></urls></record>"
)
SECOND = (
    '<record><rec-number>20</rec-number><ref-type name="Journal Article">17</ref-type>'
    f"<contributors><authors><author>{_s('Berg, P.')}</author></authors></contributors>"
    f"<titles><title>{_s('Ear plugs at night')}</title><secondary-title>"
    f"{_s('Invented Trials')}</secondary-title></titles><dates><year>{_s('2021')}</year>"
    f"</dates><pages>{_s('12')}</pages><custom7>{_s('e0196716')}</custom7>"
    f"<accession-num>{_s('CN-09900002')}</accession-num><custom3>"
    f"{_s('PUBMED 99000302,EMBASE 699000302')}</custom3><remote-database-name>"
    f"{_s('Embase&#xD;Medline')}</remote-database-name></record>"
)
THIRD = (
    '<record><rec-number>21</rec-number><ref-type name="Conference Paper">47</ref-type>'
    f"<dates><year>{_s('2020')}</year></dates></record>"
)
BOOK = (
    '<record><rec-number>22</rec-number><ref-type name="Book Section">5</ref-type>'
    f"<contributors><authors><author>{_s('Moreau, C.')}</author></authors><secondary-authors>"
    f"<author>{_s('Editor, E.')}</author></secondary-authors></contributors><titles><title>"
    f"{_s('Sleep on wards')}</title><secondary-title>{_s('An Invented Handbook')}"
    f"</secondary-title></titles><dates><year>{_s('2018')}</year></dates><isbn>"
    f"{_s('9783034604796')}</isbn><publisher>{_s('Invented Press')}</publisher></record>"
)
EXPORT = (
    '<?xml version="1.0" encoding="UTF-8" ?><xml><records>'
    + FIRST
    + SECOND
    + THIRD
    + BOOK
    + "</records></xml>"
)


def test_endnote_xml_is_recognised() -> None:
    assert sniff(EXPORT) == "endnote"
    assert sniff("\ufeff<xml>\n  <records>\n    <record>\n") == "endnote"
    # a RIS file whose abstract quotes the layout stays RIS
    assert sniff("TY  - JOUR\nAB  - <xml><records><record>\nER  - \n") == "ris"


def test_a_record_gives_every_field() -> None:
    result = read_text(EXPORT, "library.xml", "endnote")
    first = result.records[0]
    assert (first.entry_type, first.title, first.container) == (
        "article",
        "Quiet wards and Plasmodium sleep",
        "Invented J Ward Stud",
    )
    assert [(n.last, n.first, n.von) for n in first.authors] == [
        ("Okafor", "N. A.", ""),
        ("Lund", "Pia", "van der"),
    ]
    assert (first.year, first.volume, first.issue, first.pages) == (2019, "32", "4", "623-631")
    assert (first.doi, first.pmid, first.language) == ("10.5555/ijws.32.623", "99000301", "eng")
    assert first.url == "https://example.org/ijws/32/623"
    assert first.keywords == ("Noise", "*Sleep")
    assert first.abstract == "An invented abstract, p < 0.05."
    extra = dict(first.extra)
    assert extra["issn"] == "0893-8512 (Print); 0893-8512"
    assert extra["endnote_custom2"] == "PMC0000001"
    assert extra["endnote_alt_title"] == "Inv. J. Ward Stud."
    assert extra["endnote_auth_address"] == "Invented University Second Place"
    # the library's path on someone's disk is the file's, not the work's
    assert not any("library.enl" in v for v in extra.values())
    assert first.provenance[0].original_id == "19" and first.provenance[0].line == 1


def test_an_accession_number_is_a_pmid_only_where_the_record_says_pubmed() -> None:
    first, second, _book = read_text(EXPORT, "library.xml", "endnote").records
    assert first.pmid == "99000301" and "endnote_accession_num" not in dict(first.extra)
    # a CENTRAL record: its id is the accession number, the PMID its custom 3's PUBMED
    assert second.pmid == "99000302"
    assert dict(second.extra)["endnote_accession_num"] == "CN-09900002"
    # EndNote's page count beside the article number of custom 7, as in its RIS
    assert second.pages == "e0196716" and dict(second.extra)["endnote_page_count"] == "12"
    no_provider = EXPORT.replace(f"<remote-database-provider>{_s('NLM')}", "<x>")
    no_provider = no_provider.replace("</remote-database-provider>", "</x>")
    assert read_text(no_provider, "library.xml", "endnote").records[0].pmid == ""


def test_a_book_section_has_its_book_editors_and_isbn() -> None:
    book = read_text(EXPORT, "library.xml", "endnote").records[2]
    assert (book.entry_type, book.container) == ("incollection", "An Invented Handbook")
    extra = dict(book.extra)
    assert extra["isbn"] == "9783034604796" and extra["publisher"] == "Invented Press"
    assert "Editor" in extra["editor"]


def test_records_that_cannot_be_read_are_set_aside_with_their_ordinal() -> None:
    result = read_text(EXPORT, "library.xml", "endnote")
    (reject,) = result.rejects
    assert "record 3 of the file" in reject.reason and "nothing identifies" in reject.reason
    assert reject.location.key == "21"
    broken = EXPORT.replace("<volume>", "<volume><b>", 1)
    result = read_text(broken, "library.xml", "endnote")
    assert len(result.records) == 2 and len(result.rejects) == 2
    assert "record 1 of the file is not well-formed XML" in result.rejects[0].reason
    cut = EXPORT[: EXPORT.index(BOOK) + 40]
    result = read_text(cut, "library.xml", "endnote")
    assert "record 4 of the file is cut short" in result.rejects[-1].reason
    assert result.entries == 4


def test_records_on_lines_of_their_own_and_text_between_them() -> None:
    text = EXPORT.replace("<record>", "\n<record>").replace(SECOND, SECOND + "\nstray text")
    result = read_text(text, "library.xml", "endnote")
    assert [r.provenance[0].line for r in result.records] == [2, 3, 6]
    assert [(r.location.line, "outside" in r.reason) for r in result.rejects] == [
        (4, True),
        (5, False),
    ]


def test_import_reconciles_an_endnote_xml_export(tmp_path: Path) -> None:
    output, corpus = import_one_export(tmp_path, "library.xml", EXPORT)
    assert "read 4 = added 3 + already in corpus 0 + rejected 1" in output, output
    assert "Quiet wards and Plasmodium sleep" in corpus
    assert "Sleep on wards" in corpus
