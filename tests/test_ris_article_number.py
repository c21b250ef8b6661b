"""Web of Science's RIS export gives an article that has an article number and no page range
the number in C7 and no SP: the number is the article's place, as for its tab-delimited export's
AR. The records are invented."""

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
