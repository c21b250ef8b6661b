"""Searches in review.yaml: validated with lines, counts checked on import and run, rendered as a
search table with the queries escaped, and the PRISMA-S checklist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.corpus.searches import PRISMA_S_ITEMS, prisma_s
from litreview.errors import ConfigError
from litreview.protocol import load_protocol_text
from litreview.report.render import RenderInput, Search, Source, render_outputs

from .conftest import FIXTURES

GOOD = (FIXTURES / "screen" / "project" / "review.yaml").read_text(encoding="utf-8")

SEARCHES = """\
  searches:
  - database: MEDLINE
    platform: Ovid
    date: '2016-01-12'
    limits: English; 2002 to 2015
    records: 5
    query: |
      1. exp Hospitals/ or hospital*.tw.
      2. (doctor* adj3 manag*).ti,ab.
      3. 1 and 2
"""


def _with_searches(block: str = SEARCHES) -> str:
    return GOOD.replace(
        "  files: [corpus/searches/database-search.bib]\n",
        "  files: [corpus/searches/database-search.bib]\n" + block,
        1,
    )


def _errors(text: str) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        load_protocol_text(text)
    return [str(p) for p in exc.value.problems]


def _line(text: str, needle: str) -> int:
    return next(i for i, s in enumerate(text.splitlines(), 1) if needle in s)


# --- the protocol -----------------------------------------------------------------------------


def test_searches_are_read_with_every_field_and_the_query_keeps_its_lines() -> None:
    p = load_protocol_text(_with_searches())
    (s,) = p.sources[0].searches
    assert (s.database, s.platform, s.date, s.limits, s.records) == (
        "MEDLINE",
        "Ovid",
        "2016-01-12",
        "English; 2002 to 2015",
        5,
    )
    assert s.query.splitlines() == [
        "1. exp Hospitals/ or hospital*.tw.",
        "2. (doctor* adj3 manag*).ti,ab.",
        "3. 1 and 2",
    ]
    assert p.sources[1].searches == ()  # sources without searches keep working


def test_query_on_a_source_is_one_search_dated_by_searched() -> None:
    text = GOOD.replace(
        "  searched: '2016-01'\n", "  searched: '2016-01'\n  query: doctor* AND manag*\n", 1
    )
    (s,) = load_protocol_text(text).sources[0].searches
    assert s.query == "doctor* AND manag*" and s.date == "2016-01" and s.records is None


def test_misspelt_search_key_gets_did_you_mean_at_its_line() -> None:
    text = _with_searches(SEARCHES.replace("platform:", "platfrom:"))
    errors = _errors(text)
    assert any(
        f"review.yaml:{_line(text, 'platfrom')}" in e and "did you mean 'platform'" in e
        for e in errors
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("many", "must be a whole number"),
        ("-3", "must be a whole number"),
        ("true", "must be a whole number"),
    ],
)
def test_records_must_be_a_count(value: str, message: str) -> None:
    text = _with_searches(SEARCHES.replace("records: 5", f"records: {value}"))
    errors = _errors(text)
    assert any(f"review.yaml:{_line(text, 'records:')}" in e and message in e for e in errors)


def test_bad_search_date_and_unknown_file_are_errors_with_lines() -> None:
    text = _with_searches(
        SEARCHES.replace("'2016-01-12'", "'12/01/2016'")
        + "    file: corpus/searches/database-serch.bib\n"
    )
    errors = _errors(text)
    assert any(
        f"review.yaml:{_line(text, '12/01/2016')}" in e and "is not YYYY" in e for e in errors
    )
    assert any(
        f"review.yaml:{_line(text, 'database-serch')}" in e
        and "not among the source's files" in e
        and "did you mean 'corpus/searches/database-search.bib'" in e
        for e in errors
    )


def test_query_and_searches_together_is_an_error() -> None:
    text = _with_searches(SEARCHES + "  query: x\n")
    assert any("both 'query' and 'searches'" in e for e in _errors(text))


def test_a_query_that_is_a_list_is_a_type_error_with_advice() -> None:
    text = _with_searches(
        SEARCHES.replace("    query: |\n      1. exp", "    query:\n      - 1. exp")
        .replace("      2. (", "      - 2. (")
        .replace("      3. 1", "      - 3. 1")
    )
    errors = _errors(text)
    assert any(
        "'query' of search 1 of source 'database-search' must be text" in e and "query: |" in e
        for e in errors
    )


# --- import and run check the counts ----------------------------------------------------------


def _entry(key: str, title: str) -> str:
    return f"@article{{{key},\n  author = {{Doe, Jane}},\n  title = {{{title}}},\n  journal = {{J}},\n  year = {{2010}},\n}}\n"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    (root / "corpus" / "searches").mkdir(parents=True)
    (root / "review.yaml").write_text(_with_searches(), encoding="utf-8")
    exports = root / "corpus" / "searches" / "database-search.bib"
    exports.write_text(
        "".join(_entry(f"Doe2010{c}", f"Hospital doctors and managers {c}") for c in "abc"),
        encoding="utf-8",
    )
    (root / "corpus" / "searches" / "citation-tracing.bib").write_text(
        _entry("Roe2012", "Clinical directors"), encoding="utf-8"
    )
    return root


def test_import_warns_at_the_records_line_when_the_export_holds_fewer(review: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "-C",
            str(review),
            "import",
            str(review / "corpus/searches/database-search.bib"),
            "--source",
            "database-search",
        ],
    )
    assert result.exit_code == 0, result.output
    line = _line((review / "review.yaml").read_text(), "records: 5")
    assert (
        f"review.yaml:{line} [records]: warning: corpus/searches/database-search.bib holds 3 records but MEDLINE "
        f"reported 5 (source 'database-search')"
    ) in result.stderr


def test_import_says_nothing_when_the_counts_agree(review: Path) -> None:
    text = (review / "review.yaml").read_text().replace("records: 5", "records: 3")
    (review / "review.yaml").write_text(text)
    result = CliRunner().invoke(
        cli,
        [
            "-C",
            str(review),
            "import",
            str(review / "corpus/searches/database-search.bib"),
            "--source",
            "database-search",
        ],
    )
    assert (
        result.exit_code == 0
        and "search-count" not in result.stderr
        and "reported" not in result.stderr
    )


def test_run_warns_too_and_the_appendix_shows_reported_and_imported(review: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(review), "run", "--format", "md"])
    assert "holds 3 records but MEDLINE reported 5" in result.stderr
    appendix = (review / "build" / "appendix.md").read_text()
    assert "| Databases | MEDLINE | Ovid | 2016-01-12 | English; 2002 to 2015 | 5 | 3 |" in appendix
    assert "    - 1\\. exp Hospitals/ or hospital\\*.tw." in appendix
    checklist = (review / "build" / "prisma-s.md").read_text()
    assert "- Databases: MEDLINE (Ovid)" in checklist
    assert "- Databases, MEDLINE (Ovid): 5 reported by the database, 3 imported" in checklist


# --- rendering --------------------------------------------------------------------------------

HOSTILE_QUERY = '1. "doctor*" AND (manag? OR $x) <script>alert(1)</script> | `cmd` [link](javascript:x)\n# heading\n- item'


def _input(query: str = HOSTILE_QUERY) -> RenderInput:
    search = Search(
        database="CINAHL <b>",
        platform="EBSCO & co",
        query=query,
        date="2016",
        limits="*none*",
        records=10,
        imported=9,
    )
    return RenderInput(
        title="T",
        sources=(
            Source("db", "Data|bases", "database", "2016", 9, (search,)),
            Source("refs", "Reference lists", "citation-tracing"),
        ),
    )


def test_queries_reach_markdown_escaped_one_list_item_per_line() -> None:
    md = render_outputs(_input(), formats=("md",))["appendix.md"]
    assert not re.search(r"(?<!\\)<(script|b>)", md)
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert '    - 1\\. "doctor\\*" AND (manag? OR \\$x)' in md
    assert "    - \\# heading" in md and "    - \\- item" in md
    row = next(line for line in md.splitlines() if line.startswith("| Data") and "CINAHL" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # the source's | does not add a column


def test_queries_reach_html_escaped_in_a_pre_block() -> None:
    html = render_outputs(_input(), formats=("html",))["appendix.html"]
    assert "<script>alert" not in html and "<b>" not in html
    assert "<pre>1. &#34;doctor*&#34; AND (manag? OR $x) &lt;script&gt;" in html
    assert "\n# heading\n- item</pre>" in html


def test_no_search_table_when_no_source_records_searches() -> None:
    data = RenderInput(title="T", sources=(Source("db", "Databases", "database", "2016", 3),))
    out = render_outputs(data, formats=("md", "html"))
    assert (
        "### Searches" not in out["appendix.md"] and "<h3>Searches</h3>" not in out["appendix.html"]
    )


def test_prisma_s_has_sixteen_items_each_recorded_or_not_recorded() -> None:
    items = prisma_s(_input().sources, duplicates_removed=2)
    assert [i.number for i in items] == list(range(1, 17)) == [n for n, _, _ in PRISMA_S_ITEMS]
    by = {i.number: i.recorded for i in items}
    assert by[1] == ("Data|bases: CINAHL <b> (EBSCO & co)",)
    assert by[5] == ("Reference lists",)
    assert by[3] == by[10] == by[14] == ()  # nothing in the protocol answers them
    assert by[9] == ("Data|bases, CINAHL <b> (EBSCO & co): *none*",)
    assert by[16][0].endswith("2 duplicate records removed")
    md = render_outputs(_input(), formats=("md",))["prisma-s.md"]
    assert md.count("\n## ") == 16 and md.count("- Not recorded") >= 5
    assert "CINAHL \\<b\\> (EBSCO \\& co)" in md


def test_prisma_s_for_a_protocol_without_searches_still_dates_the_sources() -> None:
    items = prisma_s((Source("db", "Databases", "database", "2016-01", 4),), duplicates_removed=0)
    by = {i.number: i.recorded for i in items}
    assert by[13] == ("Databases: 2016-01",) and by[1] == () and by[8] == ()
    assert by[15] == ("Databases: 4 records identified (before duplicates were removed)",)


def test_a_fresh_review_with_two_searched_sources_and_full_texts_renders_all_of_it(
    tmp_path: Path,
) -> None:
    """The issue's "done means", for searches and full texts: init, two sources with their searches,
    a full-text file; run renders the search table, PRISMA with retrieval boxes and PRISMA-S."""
    import json
    import shutil

    from .conftest import ROOT

    root = tmp_path / "new"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    for name in ("scopus.ris", "pubmed.nbib"):
        shutil.copy(ROOT / "examples" / name, root / "corpus" / "searches" / name)
    protocol = root / "review.yaml"
    text = protocol.read_text()
    old = text[text.index("- id: scopus") : text.index("\nstages:")]
    protocol.write_text(
        text.replace(
            old,
            """\
- id: scopus
  name: Scopus
  kind: database
  files: [corpus/searches/scopus.ris]
  searches:
  - {database: Scopus, platform: Elsevier, date: '2026-01-15', records: 10,
     query: 'TITLE-ABS-KEY(doctor* W/3 manag*)'}
- id: pubmed
  name: PubMed
  kind: database
  files: [corpus/searches/pubmed.nbib]
  searches:
  - {database: MEDLINE, platform: PubMed, date: '2026-01-16', records: 12, limits: English,
     query: 'doctor*[tiab] AND manag*[tiab]'}
""",
        )
    )
    first = runner.invoke(cli, ["-C", str(root), "run"])
    assert "pubmed.nbib holds 11 records but MEDLINE reported 12" in first.stderr
    assert "scopus.ris holds" not in first.stderr
    screened = json.loads(runner.invoke(cli, ["-C", str(root), "screen", "--json"]).stdout)[
        "results"
    ]
    for key in sorted(r["key"] for r in screened if r["outcome"] == "needs-person")[:3]:
        assert (
            runner.invoke(
                cli,
                [
                    "-C",
                    str(root),
                    "screen",
                    "decide",
                    key,
                    "include",
                    "--stage",
                    "title-abstract",
                    "--reviewer",
                    "R1",
                ],
            ).exit_code
            == 0
        )
    status = json.loads(
        runner.invoke(cli, ["-C", str(root), "fulltext", "status", "--json"]).stdout
    )
    sought = [r["key"] for r in status["reports"]]
    assert sought, "the example needs records that reach full text"
    assert (
        runner.invoke(
            cli,
            [
                "-C",
                str(root),
                "fulltext",
                "set",
                sought[0],
                "not-retrieved",
                "--reason",
                "no library could lend it",
            ],
        ).exit_code
        == 0
    )
    runner.invoke(cli, ["-C", str(root), "run"])
    build = root / "build"
    appendix = (build / "appendix.md").read_text()
    assert "| PubMed | MEDLINE | PubMed | 2026-01-16 | English | 12 | 11 |" in appendix
    assert (
        "| Scopus | not recorded | Elsevier | 2026-01-15 | not recorded | 10 | 10 |" not in appendix
    )
    assert "| Scopus | Scopus | Elsevier | 2026-01-15 | not recorded | 10 | 10 |" in appendix
    assert f"- Reports sought for retrieval: {len(sought)}\n- Reports not retrieved: 1" in appendix
    assert "Reports not retrieved (n = 1)" in (build / "prisma.svg").read_text()
    prisma = json.loads((build / "prisma.json").read_text())
    assert prisma["reports_sought"] == len(sought) and prisma["checks"] == []
    checklist = (build / "prisma-s.md").read_text()
    assert "- Scopus: Scopus (Elsevier)\n- PubMed: MEDLINE (PubMed)" in checklist


def test_searches_saved_into_one_export_are_added_up_and_unnamed_files_are_not_checked() -> None:
    from litreview.corpus.searches import count_problems

    text = _with_searches(
        SEARCHES + "    file: corpus/searches/database-search.bib\n"
        "  - {database: Embase, records: 4, file: corpus/searches/database-search.bib}\n"
        "  - {database: PsycINFO, records: 7}\n"
    )
    protocol = load_protocol_text(text)
    read = {"corpus/searches/database-search.bib": 9}
    assert count_problems(protocol, "database-search", read) == []
    (p,) = count_problems(protocol, "database-search", {"corpus/searches/database-search.bib": 8})
    assert p.message == (
        "corpus/searches/database-search.bib holds 8 records but its 2 searches reported 9 "
        "(source 'database-search')"
    )
    assert p.location.line == _line(text, "records: 5") and not p.is_error
