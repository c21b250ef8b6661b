"""Where Web of Science's exports keep an article's place when it has no page range. Its RIS gives
an article number in C7 and no SP; Zoological Record, in Web of Science's tagged layout, gives the
page span or article id as PS and no BP. Each is the article's place, as the tab-delimited
export's AR is. The records are invented."""

from __future__ import annotations

from litreview.io import read_text

_RIS = """TY  - {kind}
TI  - Sleep of night-shift nurses on a surgical ward
AU  - Halvorsen, Ingrid
PY  - 2022
T2  - Invented Resuscitation Reports
VL  - 11
C7  - {number}
{more}ER  -
"""


def _pages(kind: str, number: str, more: str = "") -> tuple[str, str]:
    (record,) = read_text(
        _RIS.format(kind=kind, number=number, more=more), "wos.ris", "database-search"
    ).records
    return record.pages, record.get("ris_c7")


def test_an_article_number_in_c7_is_the_pages_of_an_article_without_sp() -> None:
    assert _pages("JOUR", "100288") == ("100288", "100288")
    assert _pages("JOUR", "e02382") == ("e02382", "e02382")


def test_c7_is_no_place_beside_a_page_range_for_a_chapter_or_when_not_a_number() -> None:
    assert _pages("JOUR", "12", "SP  - 154\nEP  - 163\n")[0] == "154-163"
    assert _pages("CHAP", "111")[0] == ""
    assert _pages("JOUR", "PII S0000-0000(20)30001-2")[0] == ""


def test_zoological_records_page_span_is_the_pages() -> None:
    tagged = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\n"
        "PT J\nAN ZOOR99000001\nTI Nest sites of woodpeckers after a fire\nAU Lund, Petra\n"
        "SO Invented Ornithology\nVL 121\nIS 3\nPS {ps}\nPY 2019\nER\n\nEF\n"
    )
    for ps, pages in (("duz039", "duz039"), ("112-19", "112-119")):
        (record,) = read_text(tagged.format(ps=ps), "zoorec.txt", "database-search").records
        assert record.pages == pages


def test_an_early_access_article_without_a_year_takes_its_early_access_year() -> None:
    """Web of Science gives an article online before its issue no PY (no Year in its BibTeX),
    only its early access date: 27 of a real 500-record export's records, and 31 of 6,284 in
    real BibTeX exports, had had no year."""
    tagged = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\n"
        "PT J\nAU Halvorsen, I\nTI Night shifts and sleep\nSO INVENTED WARD REPORTS\n"
        "EA JUL 2021\nDI 10.5555/iwr.2021.1\nUT WOS:999900000000001\nER\n\n"
        "PT J\nAU Halvorsen, I\nTI Day shifts and sleep\nSO INVENTED WARD REPORTS\n"
        "PY 2020\nEA DEC 2019\nUT WOS:999900000000002\nER\n\nEF\n"
    )
    early, printed = read_text(tagged, "savedrecs.txt", "wos").records
    assert (early.year, early.get("wos_ea")) == (2021, "JUL 2021")
    assert printed.year == 2020  # its issue's year, not the early access one
    bibtex = (
        "@article{ WOS:999900000000001,\nAuthor = {Halvorsen, Ingrid},\n"
        "Title = {Night shifts and sleep},\nJournal = {INVENTED WARD REPORTS},\n"
        "DOI = {10.5555/iwr.2021.1},\nEarlyAccessDate = {JUN 2021},\n"
        "Unique-ID = {WOS:999900000000001},\nDA = {2022-05-26},\n}\n"
    )
    (entry,) = read_text(bibtex, "savedrecs.bib", "wos").records
    assert (entry.year, entry.get("earlyaccessdate")) == (2021, "JUN 2021")


def test_a_bibtex_exports_article_number_is_the_pages_of_an_article_without_them() -> None:
    """Web of Science's BibTeX gives an article-numbered article ``Article-Number`` and no Pages
    (787 of 7,963 records of 11 real exports had no pages), Scopus's ``art_number`` and the ACM's
    ``articleno``; Scopus's BibTeX names the PMID ``pubmed_id``. A corpus is read as written."""
    bibtex = (
        "@article{ WOS:999900000000003,\nAuthor = {Halvorsen, Ingrid},\n"
        "Title = {Night shifts and sleep},\nJournal = {INVENTED WARD REPORTS},\nYear = {2021},\n"
        "Volume = {16},\nNumber = {3},\nArticle-Number = {e0247731},\n}\n"
        "@article{ WOS:999900000000004,\nAuthor = {Halvorsen, Ingrid},\n"
        "Title = {Day shifts and sleep},\nJournal = {INVENTED WARD REPORTS},\nYear = {2019},\n"
        "Article-Number = {PII S0000000000000001},\n}\n"
        "@ARTICLE{Okafor2020,\nauthor = {Okafor, N.},\ntitle = {Quiet wards},\n"
        "journal = {Invented Ward J},\nyear = {2020},\nvolume = {9},\nart_number = {108},\n"
        "pubmed_id = {99000801},\nsource = {Scopus},\n}\n"
        "@inproceedings{Lund2020,\nauthor = {Lund, Paul},\ntitle = {Loud wards},\n"
        "booktitle = {Proc. Invented Conf.},\nyear = {2020},\narticleno = {12},\n}\n"
    )
    wos, pii, scopus, acm = read_text(bibtex, "savedrecs.bib", "wos").records
    assert (wos.pages, wos.get("article-number")) == ("e0247731", "e0247731")
    assert pii.pages == ""  # a publisher's item id is no place
    assert (scopus.pages, scopus.pmid) == ("108", "99000801")
    assert acm.pages == ""  # only an article's number stands for its pages
    corpus = read_text(bibtex, "records.bib", "corpus", "bibtex").records
    assert [(r.pages, r.pmid) for r in corpus] == [("", ""), ("", ""), ("", ""), ("", "")]


def test_a_corpus_entry_with_an_early_access_date_keeps_its_missing_year() -> None:
    entry = (
        "@article{Halvorsen-nd,\n  author = {Halvorsen, Ingrid},\n  title = {Night shifts},\n"
        "  earlyaccessdate = {JUN 2021},\n}\n"
    )
    (record,) = read_text(entry, "records.bib", "corpus", "bibtex").records
    assert record.year is None and record.get("earlyaccessdate") == "JUN 2021"


def test_a_scopus_key_with_a_space_in_it_is_read() -> None:
    """Scopus's BibTeX makes a key of the first author's surname as written, spaces and all
    (``@ARTICLE{Blesslin Elizabeth20231772,``): 31 of a real 1,070-entry export were rejected,
    "missing citation key"."""
    bibtex = (
        "@ARTICLE{Van der Lund2023,\n\tauthor = {Van der Lund, P.},\n\ttitle = {Quiet wards},\n"
        "\tyear = {2023},\n\tjournal = {Invented Ward J},\n}\n\n"
        "@ARTICLE{Okafor2023,\n\tauthor = {Okafor, N.},\n\ttitle = {Loud wards},\n"
        "\tyear = {2023},\n\tjournal = {Invented Ward J},\n}\n"
    )
    result = read_text(bibtex, "scopus.bib", "scopus")
    assert not result.rejects
    spaced, plain = result.records
    assert spaced.title == "Quiet wards" and spaced.provenance[0].original_id == "Van der Lund2023"
    assert plain.title == "Loud wards"
    # a title line is never taken for a key: an entry whose key is lost is still set aside
    lost = read_text("@article{title = {A},\nyear = {2020},\n}\n", "x.bib", "s", "bibtex")
    assert lost.rejects and not lost.records
