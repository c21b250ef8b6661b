"""A row with more cells than its header, the cells past the header's all empty (Web of Science's
tab-delimited export ends every row with a tab): nothing overflows, so no warning and no
``csv_overflow`` field; a filled cell past the header is still kept and warned about. Every row
is invented."""

from __future__ import annotations

from litreview.io import read_text

HEADER = "PT\tAU\tTI\tSO\tPY\tBP\tEP\tUT\n"


def test_trailing_empty_cells_are_no_overflow() -> None:
    text = HEADER + "J\tLund, P\tInvented ward study\tInvented J\t2019\t1\t9\tWOS:1\t\n"
    text += "J\tBerg, P\tInvented clinic study\tInvented J\t2020\t10\t19\tWOS:2\t \t\n"
    result = read_text(text, "savedrecs.txt", "wos")
    assert len(result.records) == 2 and not result.problems
    assert all("csv_overflow" not in dict(r.extra) for r in result.records)


def test_a_filled_cell_past_the_header_is_still_kept_and_warned_about() -> None:
    text = HEADER + "J\tLund, P\tInvented ward study\tInvented J\t2019\t1\t9\tWOS:1\tstray\n"
    result = read_text(text, "savedrecs.txt", "wos")
    assert dict(result.records[0].extra)["csv_overflow"] == "stray"
    assert [p.code for p in result.problems] == ["csv-overflow"]
