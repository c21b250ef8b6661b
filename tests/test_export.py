"""`litreview export`: each format re-read with a real parser, decisions carried, round-trips."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import rispy
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from pybtex.database import parse_string

from litreview.cli import cli
from litreview.cli import export as cli_export
from litreview.corpus.store import import_files, load_corpus
from litreview.dedupe.store import DuplicatesFile, load_absorbed, load_duplicates
from litreview.export import records as ex
from litreview.io import read_text
from litreview.model import Name, Provenance, Record
from litreview.project import Project
from litreview.workflow.pipeline import ReviewState, load_state

from .conftest import ROOT

TAG = ex.TAG


def _copy_reference(root: Path) -> Project:
    root.mkdir(parents=True)
    for name in ("review.yaml", "themes.yaml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "corpus", root / "corpus")
    return Project(root)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of the shipped review (read only by these tests), so nothing writes into the project."""
    return _copy_reference(tmp_path_factory.mktemp("export") / "reference")


@pytest.fixture(scope="module")
def state(reference: Project) -> ReviewState:
    return load_state(reference)


@pytest.fixture(scope="module")
def duplicates(reference: Project) -> DuplicatesFile:
    return load_absorbed(reference.duplicates, load_duplicates(reference.duplicates))


@pytest.fixture(scope="module")
def exports(state: ReviewState, duplicates: DuplicatesFile) -> dict[str, str]:
    """Every format of the whole screened corpus."""
    return {fmt: ex.export_records(state, ("all",), fmt, duplicates).text for fmt in ex.FORMATS}


def _keys(items: list[ex.ExportItem]) -> list[str]:
    return [i.key for i in items]


def _strip_tags(keywords: Any) -> list[str]:
    return [k for k in keywords if not k.startswith(TAG)]


def _noted(state: ReviewState) -> tuple[str, str]:
    """A record with a reviewer's note, and the note, as screening.yaml has them."""
    d = next(
        d
        for d in sorted(state.decisions, key=lambda d: d.key)
        if d.note and d.key in state.included
    )
    return d.key, " ".join(d.note.split())


# --- selections --------------------------------------------------------------------------------


def test_included_selection_is_the_screening_result(
    state: ReviewState, duplicates: DuplicatesFile
) -> None:
    items = ex.collect(state, ("included",), duplicates)
    assert _keys(items) == sorted(state.included)
    assert len(items) == 35  # the PRISMA count tests/test_pipeline.py pins
    assert {i.outcome for i in items} == {"included"}


def test_excluded_selection_carries_the_reason_screening_gave(
    state: ReviewState, duplicates: DuplicatesFile
) -> None:
    items = ex.collect(state, ("excluded",), duplicates)
    by_key = state.screening.by_key()
    expected = sorted(r.key for r in state.screening.records if r.outcome == "excluded")
    assert _keys(items) == expected and expected
    for item in items:
        assert (item.stage, item.reason) == (by_key[item.key].stage, by_key[item.key].reason)
        assert item.reason_label == state.protocol.reasons[item.reason]


def test_all_is_every_screened_record_and_leaves_duplicates_out(
    state: ReviewState, duplicates: DuplicatesFile
) -> None:
    items = ex.collect(state, ("all",), duplicates)
    assert _keys(items) == sorted(r.key for r in state.corpus.records)
    assert not {i.key for i in items} & {k for m in duplicates.merges for k in m.absorbed_keys}


def test_duplicates_selection_is_what_merges_absorbed(
    state: ReviewState, duplicates: DuplicatesFile
) -> None:
    items = ex.collect(state, ("duplicates",), duplicates)
    absorbed = {k: m.survivor for m in duplicates.merges for k in m.absorbed_keys}
    assert _keys(items) == sorted(absorbed) and len(items) == state.prisma.duplicates_removed
    corpus = state.corpus.by_key()
    survivors = {i.key: i for i in ex.collect(state, ("all",), duplicates)}
    for item in items:
        assert item.outcome == "duplicate" and item.duplicate_of == absorbed[item.key]
        assert item.duplicate_of in corpus
        # the absorbed record as it was: its own provenance, which the survivor also holds
        assert item.record.provenance and set(item.record.provenance) <= set(
            corpus[item.duplicate_of].provenance
        )
        assert item.key in survivors[item.duplicate_of].merged_from
        assert f"{TAG}duplicate-of:{item.duplicate_of}" in item.tags()


def test_selections_combine_as_a_sorted_union_without_repeats(
    state: ReviewState, duplicates: DuplicatesFile
) -> None:
    both = _keys(ex.collect(state, ("included", "duplicates", "included"), duplicates))
    assert both == sorted(
        set(state.included) | {k for m in duplicates.merges for k in m.absorbed_keys}
    )


def test_unknown_selection_or_format_is_refused(state: ReviewState) -> None:
    with pytest.raises(ValueError, match="unknown selection"):
        ex.collect(state, ("everything",))
    with pytest.raises(ValueError, match="unknown format"):
        ex.format_items([], "docx")


def test_needs_person_selection_and_empty_asreview_label(tmp_path: Path) -> None:
    """Without the full-text decision an included study waits for a person (full text requires one)."""
    project = _copy_reference(tmp_path / "review")
    doc = yaml.safe_load(project.screening.read_text(encoding="utf-8"))
    waiting = next(
        d["key"]
        for d in doc["decisions"]
        if d["stage"] == "full-text" and d["decision"] == "include"
    )
    doc["decisions"] = [
        d for d in doc["decisions"] if not (d["key"] == waiting and d["stage"] == "full-text")
    ]
    project.screening.write_text(
        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    state = load_state(project)
    items = ex.collect(state, ("needs-person",))
    assert _keys(items) == [waiting]
    assert items[0].stage == "full-text" and items[0].decided_by == ""
    assert f"{TAG}stage:full-text" in items[0].tags()
    rows = list(csv.DictReader(io.StringIO(ex.export_records(state, ("all",), "asreview").text)))
    labels = {r["litreview_key"]: r[ex.ASREVIEW_LABEL] for r in rows}
    assert labels[waiting] == ""
    assert {v for k, v in labels.items() if k != waiting} == {"0", "1"}


# --- RIS ---------------------------------------------------------------------------------------


def test_ris_reads_back_with_rispy_carrying_outcome_reason_themes_and_notes(
    state: ReviewState, exports: dict[str, str]
) -> None:
    entries = rispy.loads(exports["ris"])
    assert [e["id"] for e in entries] == sorted(r.key for r in state.corpus.records)
    screening = state.screening.by_key()
    assert state.tags is not None
    for e in entries:
        r = screening[e["id"]]
        kws = e.get("keywords", [])
        assert f"{TAG}{r.outcome}" in kws
        reasons = [k for k in kws if k.startswith(f"{TAG}reason:")]
        assert reasons == ([f"{TAG}reason:{r.reason}"] if r.outcome == "excluded" else [])
        themes = [k.removeprefix(f"{TAG}theme:") for k in kws if k.startswith(f"{TAG}theme:")]
        assert themes == list(state.tags.themes_of(e["id"]))
        assert any(n.startswith(f"litreview: {r.outcome}") for n in e["notes"])
    key, note = _noted(state)
    entry = next(e for e in entries if e["id"] == key)
    assert any(note in n for n in entry["notes"])
    assert any(k.startswith(f"{TAG}theme:") for e in entries for k in e.get("keywords", []))


def _same_records(
    before: dict[str, Record], after: dict[str, Record], keywords: bool = True
) -> None:
    assert sorted(after) == sorted(before)
    for key, a in after.items():
        b = before[key]
        assert (
            a.entry_type,
            a.title,
            a.authors,
            a.year,
            a.container,
            a.volume,
            a.issue,
            a.pages,
            a.doi,
            a.url,
            a.abstract,
            a.language,
        ) == (
            b.entry_type,
            b.title,
            b.authors,
            b.year,
            b.container,
            b.volume,
            b.issue,
            b.pages,
            b.doi,
            b.url,
            b.abstract,
            b.language,
        ), key
        if keywords:
            assert _strip_tags(a.keywords) == list(b.keywords), key


@pytest.mark.parametrize(("fmt", "suffix"), [("ris", "ris"), ("bib", "bib"), ("csv", "csv")])
def test_export_reimports_into_a_new_review_as_the_same_records(
    state: ReviewState, exports: dict[str, str], tmp_path: Path, fmt: str, suffix: str
) -> None:
    path = tmp_path / f"export.{suffix}"
    path.write_text(exports[fmt], encoding="utf-8")
    corpus = tmp_path / "new" / "corpus" / "records.bib"
    report = import_files([path], "export", corpus, root=tmp_path / "new")
    assert report.rejected == 0 and not report.errors
    assert sorted(r.key for r in report.added) == sorted(
        r.key for r in state.corpus.records
    )  # keys survive
    after = {r.key: r for r in load_corpus(corpus, use_cache=False).records}
    _same_records(state.corpus.by_key(), after)
    assert {p.path for r in after.values() for p in r.provenance} == {path.as_posix()}


def test_ris_values_stay_on_one_line(tmp_path: Path) -> None:
    hostile = Record(
        key="Evil2020",
        entry_type="article",
        title="First line\nTY  - JOUR\r\nER  - \u2028last",
        authors=(Name("O'Brien", "Ann"), Name("Cruz", "José", von="de la")),
        year=2020,
        container="J\u000bof Things",
        abstract="para one\n\npara two\nKW  - fake",
        keywords=("a; b", "c"),
    )
    text = ex.to_ris([ex.ExportItem(hostile, "included")])
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in text.splitlines() if line)
    entries = rispy.loads(text)
    assert len(entries) == 1
    assert entries[0]["title"] == "First line TY - JOUR ER - last"
    assert entries[0]["abstract"] == "para one para two KW - fake"
    back = read_text(text, "x.ris", "x").records
    assert (
        len(back) == 1
        and back[0].authors == hostile.authors
        and back[0].title == entries[0]["title"]
    )


def test_ris_names_round_trip_persons_and_organisations() -> None:
    names = (
        Name("Smith", "J. R."),
        Name("Berg", "Anna", von="van den"),
        Name("Royal College of Physicians", corporate=True),
        Name("Nobody"),
    )
    rec = Record(
        key="Smith2001",
        entry_type="techreport",
        title="T",
        authors=names,
        year=2001,
        container="Inst",
    )
    back = read_text(ex.to_ris([ex.ExportItem(rec, "excluded", reason="x")]), "x.ris", "x").records[
        0
    ]
    assert back.authors == names
    assert (back.entry_type, back.container) == ("techreport", "Inst")


# --- BibTeX ------------------------------------------------------------------------------------


def test_bibtex_parses_with_pybtex_and_carries_decisions(
    state: ReviewState, exports: dict[str, str]
) -> None:
    data = parse_string(exports["bib"], "bibtex")
    assert sorted(data.entries) == sorted(r.key for r in state.corpus.records)
    screening = state.screening.by_key()
    for key, entry in data.entries.items():
        r = screening[key]
        keywords = [k.strip() for k in entry.fields["keywords"].split(";")]
        assert f"{TAG}{r.outcome}" in keywords
        assert (f"{TAG}reason:{r.reason}" in keywords) == (r.outcome == "excluded")
        assert entry.fields["annote"].startswith(f"litreview: {r.outcome}")
        assert "provenance" not in entry.fields
    key, note = _noted(state)
    assert note in " ".join(data.entries[key].fields["annote"].split())


def test_bibtex_keeps_the_records_own_note_and_annote() -> None:
    rec = Record(key="A2000", entry_type="article", title="T", year=2000).with_extra(
        "note", "Final report"
    )
    rec = rec.with_extra("annote", "read twice")
    out = ex.bibtex_record(ex.ExportItem(rec, "excluded", stage="s", reason="r"))
    assert out.get("note") == "Final report"
    assert out.get("annote").split("\n")[0] == "read twice"
    assert f"{TAG}reason:r" in out.keywords


def test_bibtex_hostile_values_parse_and_read_back() -> None:
    rec = Record(
        key="Odd2019",
        entry_type="article",
        title="Braces { unbalanced } } and @ and % and \\x",
        authors=(Name("Ng", "A"),),
        year=2019,
        container='J, "quoted"',
    )
    text = ex.to_bibtex([ex.ExportItem(rec, "included")])
    assert "Odd2019" in parse_string(text, "bibtex").entries
    back = read_text(text, "x.bib", "x").records[0]
    assert (back.title, back.container) == (rec.title, rec.container)


# --- CSL-JSON ----------------------------------------------------------------------------------

#: From the CSL 1.0.2 input schema (csl-data.json): the item types, and the JSON types of the
#: variables we write.
CSL_TYPES = {
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
}
CSL_STRING_OR_NUMBER = {"id", "edition", "issue", "page", "volume"}
CSL_STRING = {
    "type",
    "title",
    "container-title",
    "publisher",
    "publisher-place",
    "genre",
    "DOI",
    "PMID",
    "URL",
    "ISSN",
    "ISBN",
    "abstract",
    "keyword",
    "language",
}
CSL_NAMES = {"author", "editor"}
CSL_NAME_PARTS = {
    "family",
    "given",
    "dropping-particle",
    "non-dropping-particle",
    "suffix",
    "literal",
}


def _check_csl(items: list[dict[str, Any]]) -> None:
    assert isinstance(items, list)
    for item in items:
        assert {"id", "type"} <= set(item) and item["type"] in CSL_TYPES
        for name, value in item.items():
            if name in CSL_STRING:
                assert isinstance(value, str), name
            elif name in CSL_STRING_OR_NUMBER:
                assert isinstance(value, str | int), name
            elif name in CSL_NAMES:
                assert value and all(
                    isinstance(n, dict) and n and set(n) <= CSL_NAME_PARTS for n in value
                )
                assert all(isinstance(v, str) for n in value for v in n.values())
            elif name == "issued":
                parts = value["date-parts"]
                assert set(value) == {"date-parts"} and 1 <= len(parts) <= 2
                assert all(1 <= len(p) <= 3 and all(isinstance(x, int) for x in p) for p in parts)
            else:
                raise AssertionError(f"{name} is not a CSL variable we mean to write")


def test_csl_json_items_are_valid_csl(state: ReviewState, exports: dict[str, str]) -> None:
    items = json.loads(exports["csl-json"])
    _check_csl(items)
    assert [i["id"] for i in items] == sorted(r.key for r in state.corpus.records)
    by_key = state.corpus.by_key()
    for item in items:
        rec = by_key[item["id"]]
        # the title as the corpus has it, its capitalised words marked to keep their case
        assert re.sub(r'</?span(?: class="nocase")?>', "", item.get("title", "")) == rec.title
        assert [a.get("family") or a.get("literal") for a in item.get("author", [])] == [
            a.last for a in rec.authors
        ]
        assert item.get("issued", {}).get("date-parts") == ([[rec.year]] if rec.year else None)
        if rec.container:
            assert rec.container in (item.get("container-title"), item.get("publisher"))
    types = {by_key[i["id"]].entry_type: i["type"] for i in items}
    assert types["article"] == "article-journal" and types["techreport"] == "report"
    assert types["incollection"] == "chapter" and types["book"] == "book"


def test_csl_json_of_included_studies_only(state: ReviewState, duplicates: DuplicatesFile) -> None:
    items = json.loads(ex.export_records(state, ("included",), "csl-json", duplicates).text)
    assert [i["id"] for i in items] == sorted(state.included)


def test_csl_names_keep_particles_suffixes_and_organisations() -> None:
    assert ex.csl_name(Name("Berg", "Anna", von="van den", jr="Jr")) == {
        "family": "Berg",
        "given": "Anna",
        "non-dropping-particle": "van den",
        "suffix": "Jr",
    }
    assert ex.csl_name(Name("Nuffield Trust", corporate=True)) == {"literal": "Nuffield Trust"}


# --- ASReview and the full CSV -----------------------------------------------------------------


def test_asreview_csv_has_the_documented_columns_and_labels(
    state: ReviewState, exports: dict[str, str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(exports["asreview"])))
    assert {"title", "abstract", "authors", "keywords", "doi", "label_included"} <= set(rows[0])
    screening = state.screening.by_key()
    expected = {"included": "1", "excluded": "0"}
    assert {r["litreview_key"]: r["label_included"] for r in rows} == {
        k: expected[v.outcome] for k, v in screening.items()
    }
    titles = {r.key: r.title for r in state.corpus.records}
    assert all(r["title"] == titles[r["litreview_key"]] for r in rows)


def test_asreview_label_is_empty_when_nothing_is_final() -> None:
    rec = Record(key="A2000", title="T")
    assert [
        ex.asreview_label(ex.ExportItem(rec, o))
        for o in ("included", "excluded", "needs-person", "duplicate")
    ] == ["1", "0", "", ""]


def test_full_csv_has_a_row_per_record_with_stable_columns(
    state: ReviewState, exports: dict[str, str]
) -> None:
    assert exports["csv"].startswith("\ufeff")  # for Excel: a spreadsheet's CSV
    reader = csv.DictReader(io.StringIO(exports["csv"].removeprefix("\ufeff")))
    rows = list(reader)
    items = ex.collect(state, ("all",))
    assert reader.fieldnames == ex.csv_columns(items, state.protocol.stage_ids)
    assert [r["key"] for r in rows] == sorted(r.key for r in state.corpus.records)
    by_key = state.corpus.by_key()
    screening = state.screening.by_key()
    assert state.tags is not None
    for row in rows:
        rec, scr = by_key[row["key"]], screening[row["key"]]
        assert (row["outcome"], row["stage"], row["reason"]) == (
            scr.outcome,
            scr.stage,
            scr.reason or "",
        )
        for s in scr.stages:
            assert (row[f"{s.stage}.outcome"], row[f"{s.stage}.decided_by"]) == (
                s.outcome,
                "person" if s.override else ("" if s.outcome == "needs-person" else "rules"),
            )
        assert row["themes"] == "; ".join(state.tags.themes_of(rec.key))
        assert [Provenance.decode(p) for p in row["provenance"].split("; ")] == sorted(
            set(rec.provenance)
        )
        assert row["sources"] == "; ".join(rec.sources)
        assert all(row[k] == v for k, v in rec.extra)
        assert row["title"] == rec.title and row["year"] == str(rec.year or "")
    merges = load_duplicates(state.project.duplicates).merges
    assert {r["key"]: r["merged_from"] for r in rows if r["merged_from"]} == {
        m.survivor: "; ".join(m.absorbed_keys) for m in merges
    }


def test_full_csv_quotes_hostile_values_and_guards_formulas() -> None:
    rec = (
        Record(
            key="Q2001",
            title='Commas, "quotes"\nand a line break',
            authors=(Name("Smith", "J"),),
            year=2001,
            container='=HYPERLINK("x")',
        )
        .with_extra("key", "clash")
        .with_extra("country", "UK")
    )
    text = ex.to_csv([ex.ExportItem(rec, "included")], ["s1"])
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 1
    assert rows[0]["title"] == rec.title
    assert rows[0]["container"] == "'" + rec.container
    assert (rows[0]["key"], rows[0]["field.key"], rows[0]["country"]) == ("Q2001", "clash", "UK")


# --- determinism -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ex.FORMATS)
def test_same_review_same_bytes(
    state: ReviewState, duplicates: DuplicatesFile, exports: dict[str, str], fmt: str
) -> None:
    assert ex.export_records(state, ("all",), fmt, duplicates).text == exports[fmt]


# --- the command -------------------------------------------------------------------------------


def test_cli_choices_match_the_library() -> None:
    assert cli_export.SELECTIONS == ex.SELECTIONS and cli_export.FORMATS == ex.FORMATS


def test_cli_prints_to_stdout_and_summarises_on_stderr(
    reference: Project, exports: dict[str, str]
) -> None:
    result = CliRunner().invoke(cli, ["-C", str(reference.root), "export", "--format", "ris"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == exports["ris"]
    assert result.stderr == "exported 158 records (select=all, format=ris) to stdout\n"


def test_cli_out_writes_the_file_atomically(
    reference: Project, state: ReviewState, tmp_path: Path
) -> None:
    out = tmp_path / "build" / "included.bib"
    result = CliRunner().invoke(
        cli,
        [
            "-C",
            str(reference.root),
            "export",
            "--select",
            "included",
            "--format",
            "bib",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert sorted(parse_string(out.read_text(encoding="utf-8"), "bibtex").entries) == sorted(
        state.included
    )
    assert (
        f"exported {len(state.included)} records (select=included, format=bib) to {out.as_posix()}"
        in result.stderr
    )
    assert [p.name for p in out.parent.iterdir()] == ["included.bib"]  # no temporary file left


@pytest.mark.parametrize(
    "args", [["--format", "docx"], ["--format", "ris", "--select", "some"], [], ["--format"]]
)
def test_cli_usage_errors_exit_2(reference: Project, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["-C", str(reference.root), "export", *args])
    assert result.exit_code == 2 and result.stdout == ""


def test_cli_refuses_to_overwrite_the_corpus(reference: Project) -> None:
    before = reference.records.read_bytes()
    result = CliRunner().invoke(
        cli,
        ["-C", str(reference.root), "export", "--format", "bib", "--out", str(reference.records)],
    )
    assert result.exit_code == 2
    assert "refusing to write an export over the review's stored files" in result.stderr
    assert reference.records.read_bytes() == before


def test_cli_reports_an_unreadable_decisions_file_with_exit_2(tmp_path: Path) -> None:
    project = _copy_reference(tmp_path / "broken")
    project.screening.write_text(
        "version: 1\ndecisions:\n- key: Nope1999\n  stage: nowhere\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["-C", str(project.root), "export", "--format", "csv"])
    assert result.exit_code == 2 and result.stdout == ""
    assert "corpus/screening.yaml:3" in result.stderr


def test_a_bibtex_export_does_not_carry_the_corpus_marker_for_no_container() -> None:
    # an article with a publisher but no journal: the corpus writes an empty container field so
    # that it reads back without one; a file for Zotero or pandoc must not show that field
    from litreview.io.bibtex import format_entry

    rec = Record(
        "Ode2011",
        entry_type="article",
        title="Wards at night",
        year=2011,
        extra=(("publisher", "Ward Press"),),
        provenance=(Provenance("src", "a.ris", 1, "1"),),
    )
    assert "x-journal = {}" in format_entry(rec)  # the marker the export must leave out
    exported = ex.to_bibtex([ex.ExportItem(rec, outcome="")])
    assert "x-journal" not in exported
    assert "publisher = {Ward Press}" in exported
    entry = parse_string(exported, "bibtex").entries["Ode2011"]
    assert "journal" not in entry.fields


STALE_RIS = (
    """TY  - JOUR
AU  - Okafor, C.
PY  - 2012
TI  - Ward rounds and the example term
T2  - Journal of Wards
KW  - ward rounds
KW  - litreview:excluded
KW  - litreview:stage:title-abstract
KW  - litreview:reason:off-topic
N1  - litreview: excluded at title-abstract: Not about the review question (off-topic); title-abstract: exclude by R1
ID  - Okafor2012
"""
    + "ER  - \n"
)


@pytest.mark.parametrize("fmt", ["ris", "bib", "csv"])
def test_an_export_read_back_into_the_review_does_not_carry_its_old_decisions_into_the_next(
    tmp_path: Path, fmt: str
) -> None:
    """A team exports to Zotero, works there and imports the file again: the records' stale
    `litreview:` tags came back out beside the current ones (excluded and included). The old
    note stays, as the record's own text."""
    runner = CliRunner()
    root = tmp_path / "review"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    export = tmp_path / "from-zotero.ris"
    export.write_text(STALE_RIS, encoding="utf-8")
    base = ["-C", str(root)]
    assert runner.invoke(cli, [*base, "import", str(export), "--source", "scopus"]).exit_code == 0
    decide = ["screen", "decide", "Okafor2012", "include", "--stage", "full-text"]
    decided = runner.invoke(cli, [*base, *decide, "--reviewer", "R1"])
    assert decided.exit_code == 0, decided.output
    result = runner.invoke(cli, [*base, "export", "--format", fmt])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "litreview:included" in text or ",included," in text, text
    assert "ward rounds" in text
    assert "litreview:excluded" not in text and "litreview:reason:off-topic" not in text, text


def test_csl_titles_mark_capitalised_words_after_the_first_to_keep_their_case() -> None:
    from litreview.export.records import keep_case

    assert keep_case(
        "Medical leadership in the UK and the Francis inquiry into Mid Staffordshire"
    ) == (
        'Medical leadership in the <span class="nocase">UK</span> and the '
        '<span class="nocase">Francis</span> inquiry into <span class="nocase">Mid Staffordshire</span>'
    )
    # the first word is left to the style; a word with markup in it is left whole
    assert keep_case("Öland and Zürich") == 'Öland and <span class="nocase">Zürich</span>'
    assert keep_case("Growth of <i>Escherichia coli</i>") == "Growth of <i>Escherichia coli</i>"
    assert keep_case("all lower case") == "all lower case"


@given(st.text(alphabet=st.sampled_from("aZé É<> \t-:"), max_size=30))
def test_csl_title_marks_read_back_as_the_title_and_only_around_capitalised_words(
    title: str,
) -> None:
    from litreview.export.records import keep_case

    marked = keep_case(title)
    assert re.sub(r'</?span(?: class="nocase")?>', "", marked) == title
    inside = re.findall(r'<span class="nocase">(.*?)</span>', marked)
    for run in inside:
        assert run == run.strip()
        assert all(any(c.isupper() for c in w) and "<" not in w for w in run.split())
    outside = re.sub(r'<span class="nocase">.*?</span>', " ", marked).split()[1:]
    assert not any(any(c.isupper() for c in w) and "<" not in w and ">" not in w for w in outside)


def test_bibtex_export_braces_capitalised_title_words_and_reads_back_as_the_title() -> None:
    # BibTeX's plain style would print "in london"; braces keep a name's capital
    title = "Clinical directors in London after the Francis inquiry"
    rec = Record(
        key="Okafor2014",
        entry_type="article",
        title=title,
        authors=(Name("Okafor", "C."),),
        year=2014,
        container="BMJ",
        provenance=(Provenance("test", "t.bib", 1, "Okafor2014"),),
    )
    bib = ex.to_bibtex([ex.ExportItem(rec, ex.INCLUDED)])
    assert "title = {Clinical directors in {London} after the {Francis} inquiry}," in bib, bib
    assert [r.title for r in read_text(bib, "x.bib", "test").records] == [title]
    assert parse_string(bib, "bibtex").entries["Okafor2014"].fields["title"] == (
        "Clinical directors in {London} after the {Francis} inquiry"
    )
