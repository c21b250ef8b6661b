"""Web of Science's tab-delimited export: its ``ID`` column is Keywords Plus (words of the cited
works' titles), never the record's id; that is ``UT`` (``WOS:...``). The ``ID`` column, before
``UT`` in the header, had made the id of every record that has Keywords Plus (the same words
for several records: 'id is used by 2 entries' warnings). A corpus imported then holds those ids,
and importing the same export again must still know its records. Every row is invented."""

from __future__ import annotations

from pathlib import Path

from litreview.io import read_text

from .conftest import import_one_export, invoke

HEADER = ["PT", "AU", "TI", "SO", "DE", "ID", "PY", "BP", "EP", "DI", "UT", "DA"]
ROWS = [
    ["J", "Lund, P", "Invented ward study", "Invented J", "ward", "CARE; OUTCOMES", "2019", "1", "9", "", "WOS:000000000000001", "2024-05-02"],
    ["J", "Berg, P", "Invented clinic study", "Invented J", "clinic", "CARE; OUTCOMES", "2020", "10", "19", "", "WOS:000000000000002", "2024-05-02"],
    ["J", "Okafor, N", "Invented home study", "Invented J", "", "", "2021", "20", "29", "", "WOS:000000000000003", "2024-05-02"],
]  # fmt: skip


def _tsv(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join("\t".join(row) for row in [header, *rows]) + "\n"


def test_the_id_is_ut_and_keywords_plus_is_kept() -> None:
    result = read_text(_tsv(HEADER, ROWS), "savedrecs.txt", "wos")
    ids = [r.provenance[0].original_id for r in result.records]
    assert ids == ["WOS:000000000000001", "WOS:000000000000002", "WOS:000000000000003"]
    assert dict(result.records[0].extra)["id"] == "CARE; OUTCOMES"
    assert not any("is used by" in p.message for p in result.problems)


def test_an_id_column_of_another_table_is_still_the_id() -> None:
    (record,) = read_text("title\tid\nA study\tR17\n", "table.tsv", "x").records
    assert record.provenance[0].original_id == "R17"


def test_an_export_imported_with_keywords_plus_as_ids_adds_nothing_again(tmp_path: Path) -> None:
    # the corpus as the reader before this change left it: the ID column the original id (an
    # export without its UT column is read that way still)
    without_ut = [h for h in HEADER if h != "UT"]
    old_rows = [[c for h, c in zip(HEADER, row, strict=True) if h != "UT"] for row in ROWS]
    output, corpus = import_one_export(tmp_path, "savedrecs.txt", _tsv(without_ut, old_rows))
    assert "added 3" in output and "|CARE%3B OUTCOMES}" in corpus
    (tmp_path / "savedrecs.txt").write_text(_tsv(HEADER, ROWS), encoding="utf-8")
    code, out, err = invoke(tmp_path, "import", "savedrecs.txt", "--source", "database-search")
    assert code == 0, err
    assert "read 3 = added 0 + already in corpus 3 + rejected 0" in out + err


def test_its_pt_types_a_record_as_the_tagged_export_does() -> None:
    rows = [
        ["C", "Lund, P", "Invented talk", "PROC INVENTED CONF", "", "", "2019", "1", "9", "", "WOS:11", ""],
        ["B", "Berg, P", "Invented book", "INVENTED BOOK", "", "", "2020", "", "", "", "WOS:12", ""],
        ["S", "Okafor, N", "Invented chapter", "INVENTED SERIES", "", "", "2021", "5", "9", "", "WOS:13", ""],
        ["J", "Moreau, C", "Invented article", "INVENTED J", "", "", "2021", "5", "9", "", "WOS:14", ""],
    ]  # fmt: skip
    result = read_text(_tsv(HEADER, rows), "savedrecs.txt", "wos")
    kinds = [r.entry_type for r in result.records]
    assert kinds == ["inproceedings", "book", "incollection", "article"]
