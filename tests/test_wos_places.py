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
