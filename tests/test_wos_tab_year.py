"""Web of Science's tab-delimited export: its ``DA`` column is the day the export was made, not
the work's date. A row with no ``PY`` (an article online before its issue) had taken its year
from ``DA``; its early access year ``EY`` (or date ``EA``) is its year, as in the tagged export.
Every row is invented."""

from __future__ import annotations

from litreview.io import read_text

HEADER = ["PT", "AU", "TI", "SO", "PY", "EA", "EY", "BP", "EP", "AR", "DI", "UT", "DA"]


def _tsv(rows: list[list[str]]) -> str:
    return "\n".join("\t".join(row) for row in [HEADER, *rows]) + "\n"


def test_the_export_date_is_never_a_works_year() -> None:
    rows = [
        ["J", "Lund, P", "Issued", "Invented J", "2019", "", "", "1", "9", "", "", "WOS:1", "2024-05-02"],
        ["J", "Berg, P", "Online first", "Invented J", "", "JUL 2021", "2021", "", "", "e5", "", "WOS:2", "2024-05-02"],
        ["J", "Okafor, N", "Date only", "Invented J", "", "JUN 2022", "", "", "", "", "", "WOS:3", "2024-05-02"],
        ["J", "Moreau, C", "No year", "Invented J", "", "", "", "", "", "", "", "WOS:4", "2024-05-02"],
    ]  # fmt: skip
    result = read_text(_tsv(rows), "savedrecs.txt", "wos")
    assert [r.year for r in result.records] == [2019, 2021, 2022, None]
    assert all(dict(r.extra)["da"] == "2024-05-02" for r in result.records)
    assert result.records[1].pages == "e5"


def test_a_da_column_outside_web_of_science_is_still_a_date() -> None:
    (record,) = read_text("title\tda\nA study\t2018\n", "table.tsv", "x").records
    assert record.year == 2018
