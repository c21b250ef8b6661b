"""The whole pipeline: the shipped reference corpus, and a new review from `init` to `status`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.project import Project
from litreview.workflow.pipeline import load_state, run_pipeline

from .conftest import FIXTURES, copy_of_shipped_review

INCLUDED = [
    "Atkinson2011",
    "BritishMedicalAssociatio2005",
    "Brown2011",
    "Buchanan2013",
    "Crilly2004",
    "Currie2005",
    "Dickinson2013a",
    "Dickinson2013b",
    "Fitzgerald2006",
    "Forbes2006",
    "Gollop2004",
    "Greener2005",
    "Greener2007",
    "GuvenUslu2006",
    "Hallier2005",
    "Ham2011",
    "Harvey2014",
    "Hoque2004",
    "Ileri2011",
    "MacIntosh2012",
    "Martin2015",
    "McGivern2007",
    "Moore2011",
    "Moore2013",
    "Morgan2008",
    "Mueller2003",
    "Nicol2014",
    "Reasbeck2008",
    "Storey2009",
    "Storey2013",
    "Taylor2008",
    "Thorne2002",
    "Treble2013",
    "Waring2009",
    "Willcocks2004",
]


@pytest.fixture
def reference(tmp_path: Path) -> Project:
    """A copy of the shipped review repository, so the tests never write into the project."""
    return Project(copy_of_shipped_review(tmp_path / "reference"))


def test_reference_corpus_prisma_counts_are_pinned(reference: Project) -> None:
    prisma = load_state(reference).prisma.as_dict()
    assert [(s["source"], s["records"]) for s in prisma["identified"]] == [
        ("database-search", 120),
        ("citation-tracing", 12),
        ("policy-websites", 32),
    ]
    assert (
        prisma["duplicates_removed"],
        prisma["records"],
        prisma["automation_ineligible_total"],
        prisma["screened"],
        prisma["excluded_total"],
        prisma["needs_person"],
        prisma["included"],
    ) == (6, 158, 27, 131, 123, 0, 35)
    stages = {
        s["stage"]: {e["reason"]: e["records"] for e in s["excluded"]} for s in prisma["stages"]
    }
    assert stages == {
        "title-abstract": {
            "out-of-period": 6,
            "not-uk": 34,
            "not-secondary-care": 1,
            "not-empirical": 61,
        },
        "full-text": {"off-topic": 21},
    }
    assert prisma["balanced"] is True


def test_reference_corpus_included_set_is_pinned(reference: Project) -> None:
    assert sorted(load_state(reference).included) == INCLUDED


def test_the_editorial_is_excluded_as_not_empirical(reference: Project) -> None:
    outcome = load_state(reference).outcome("Edwards2003")
    assert (outcome.outcome, outcome.reason) == ("excluded", "not-empirical")


def test_run_on_the_reference_corpus_writes_every_output_and_is_idempotent(
    reference: Project,
) -> None:
    before = (reference.records.read_bytes(), reference.duplicates.read_bytes())
    summary = run_pipeline(reference)
    assert {
        "appendix.md",
        "appendix.html",
        "evidence-table.csv",
        "narrative.md",
        "prisma.svg",
        "prisma.json",
    } <= set(summary.outputs)
    assert (reference.records.read_bytes(), reference.duplicates.read_bytes()) == before
    outputs = {p.name: p.read_bytes() for p in reference.build.iterdir() if p.is_file()}
    again = run_pipeline(reference, force=True)
    assert set(again.outputs) == set(summary.outputs)
    assert {p.name: p.read_bytes() for p in reference.build.iterdir() if p.is_file()} == outputs


def test_run_skips_rendering_when_nothing_changed(reference: Project) -> None:
    run_pipeline(reference)
    second = dict(run_pipeline(reference).steps)
    assert second["render"].startswith("inputs unchanged")


def test_run_renders_again_when_other_formats_are_asked_for(reference: Project) -> None:
    run_pipeline(reference, ["csv"])
    assert sorted(p.name for p in reference.build.iterdir() if not p.name.startswith(".")) == [
        "evidence-table.csv"
    ]
    second = dict(run_pipeline(reference).steps)
    assert not second["render"].startswith("inputs unchanged")
    assert (reference.build / "appendix.html").exists()


def test_init_run_status_on_a_new_review(tmp_path: Path) -> None:
    runner = CliRunner()
    root = tmp_path / "review"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    searches = root / "corpus" / "searches"
    shutil.copy(FIXTURES / "import" / "pubmed.nbib", searches / "pubmed.nbib")
    shutil.copy(FIXTURES / "import" / "wos.ciw", searches / "wos.ciw")
    protocol = (root / "review.yaml").read_text()
    protocol = protocol.replace(
        "  files: []         # e.g. [corpus/searches/scopus.ris]; `litreview run` imports them",
        "  files: [corpus/searches/pubmed.nbib, corpus/searches/wos.ciw]",
    )
    protocol = protocol.replace("min: 2010", "min: 2004").replace(
        "include_terms: [example term]", "include_terms: [doctor, manager, NHS]"
    )
    (root / "review.yaml").write_text(protocol)
    result = runner.invoke(cli, ["-C", str(root), "run", "--json"])
    assert result.exit_code in (0, 1), result.output
    summary = json.loads(result.stdout)
    assert summary["prisma"]["identified_total"] == 4
    assert (root / "build" / "appendix.md").exists()
    status = runner.invoke(cli, ["-C", str(root), "status", "--json"])
    data = json.loads(status.stdout)
    assert data["prisma"]["needs_person"] and data["waiting"]
    assert status.exit_code == 1, status.output  # records wait for a person
    assert data["prisma"]["records"] == 4
    assert data["prisma"]["excluded_total"] >= 1  # the 2003 records are before 2004


def test_status_reports_the_entries_imports_rejected(tmp_path: Path) -> None:
    """Entries an import could not read wait in corpus/rejects/, in no count: ``status`` said
    nothing of them. It lists how many (advice: an entry that is no record stays there for
    good), in its text and ``--json``; PRISMA's identified records stay the corpus's."""
    runner = CliRunner()
    root = tmp_path / "review"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    export = root / "corpus" / "searches" / "scopus.bib"
    export.write_text(
        "@article{ok1,\n  title = {Porters at night},\n  author = {Ode, K.},\n  year = {2020}\n}\n\n"
        "@article{bad1,\n  title = {Broken\n\n  author = {Smith, J},\n\n"
        "@article{ok2,\n  title = {Cleaners by day},\n  year = {2021}\n}\n\n"
        "@set{group1,\n  entryset = {ok1,ok2}\n}\n",
        encoding="utf-8",
    )
    imported = runner.invoke(cli, ["-C", str(root), "import", str(export), "--source", "scopus"])
    assert imported.exit_code == 1, imported.output
    assert "rejected 2" in imported.stdout
    text = runner.invoke(cli, ["-C", str(root), "status"])
    assert (
        "- entries imports could not read, kept verbatim under corpus/rejects/ and in no count: 2"
        in text.stdout
    ), text.stdout
    status = runner.invoke(cli, ["-C", str(root), "status", "--json"])
    data = json.loads(status.stdout)
    assert data["rejected"] == {
        "entries": 2,
        "files": [{"entries": 2, "path": "corpus/rejects/scopus/scopus.bib.txt"}],
    }
    (item,) = [t for t in data["todo"] if t["what"].startswith("entries imports could not read")]
    assert (item["count"], item["waits"]) == (2, False)
    assert data["prisma"]["identified_total"] == data["prisma"]["records"] == 2
    assert status.exit_code == text.exit_code == 1  # the records wait for a person, as before


def test_status_without_rejects_says_nothing_of_them(tmp_path: Path) -> None:
    runner = CliRunner()
    root = tmp_path / "review"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    data = json.loads(runner.invoke(cli, ["-C", str(root), "status", "--json"]).stdout)
    assert data["rejected"] == {"entries": 0, "files": []}
    assert not [t for t in data["todo"] if "could not read" in t["what"]]


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "review.yaml").write_text("keep me")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "review.yaml: error: already exists" in result.stderr
    assert (tmp_path / "review.yaml").read_text() == "keep me"


def test_run_reports_progress_of_every_step_with_its_real_total(reference: Project) -> None:
    calls: list[tuple[str, int, int]] = []
    summary = run_pipeline(
        reference, force=True, progress=lambda step, done, total: calls.append((step, done, total))
    )
    steps = list(dict.fromkeys(step for step, _, _ in calls))
    assert steps == [
        "import database-search",
        "read corpus/searches/database-search.bib",
        "import citation-tracing",
        "read corpus/searches/citation-tracing.bib",
        "import policy-websites",
        "read corpus/searches/policy-websites.bib",
        "dedupe",
        "screen",
        "tag",
        "render",
    ]
    for step in steps:
        mine = [(done, total) for s, done, total in calls if s == step]
        total = mine[0][1]
        assert mine[0] == (0, total) and mine[-1] == (total, total), step
        assert [d for d, _ in mine] == sorted(d for d, _ in mine), f"{step} went backwards"
        assert len(mine) <= 102, f"{step} reported {len(mine)} times"
    totals = {s: t for s, _, t in calls}
    assert totals["import database-search"] == 1  # one file per source
    assert totals["screen"] == summary.prisma["records"] == 158
    assert totals["tag"] == summary.prisma["included"] == 35
    assert totals["render"] == 6  # md, html, csv, tex, svg and json: every format by default
    assert totals["dedupe"] > 0


def test_track_reports_about_a_hundred_times_and_ends_at_the_total() -> None:
    from litreview.progress import track

    calls: list[tuple[int, int]] = []
    items = list(range(10_007))
    assert list(track(items, lambda _s, d, t: calls.append((d, t)), "x")) == items
    assert calls[0] == (0, 10_007) and calls[-1] == (10_007, 10_007)
    assert 90 <= len(calls) <= 102
    empty: list[tuple[int, int]] = []
    assert list(track([], lambda _s, d, t: empty.append((d, t)), "x")) == []
    assert empty == [(0, 0)]
    assert track(items, None, "x") is items  # no callback, no wrapper


def test_run_warns_about_search_files_no_source_lists(tmp_path: Path) -> None:
    runner = CliRunner()
    root = tmp_path / "review"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    shutil.copy(FIXTURES / "import" / "wos.ciw", root / "corpus" / "searches" / "wos.ciw")
    result = runner.invoke(cli, ["-C", str(root), "run"])
    assert result.exit_code == 1, result.output  # a person must look: the file was not imported
    assert (
        "corpus/searches/wos.ciw: warning: not imported: no source in review.yaml lists this file"
        in result.stderr
    )
    assert "sources: scopus" in result.stderr


def test_run_names_a_listed_export_that_is_missing_at_its_source_in_the_protocol(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    root = tmp_path / "review"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    protocol = root / "review.yaml"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(
        text.replace("  files: []", "  files: [corpus/searches/scopus-2026.ris]", 1),
        encoding="utf-8",
    )
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t == "- id: scopus")
    result = runner.invoke(cli, ["-C", str(root), "run"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"review.yaml:{line} [scopus]: error: source 'scopus' lists "
        "corpus/searches/scopus-2026.ris, which does not exist (put the export there, or "
        "correct its path under the source's `files:`)"
    )
    assert str(tmp_path) not in result.stderr  # not the full path the import would name


def test_run_warns_about_a_listed_export_that_is_empty(tmp_path: Path) -> None:
    runner = CliRunner()
    root = tmp_path / "review"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    protocol = root / "review.yaml"
    protocol.write_text(
        protocol.read_text(encoding="utf-8").replace(
            "  files: []", "  files: [corpus/searches/scopus.ris]", 1
        ),
        encoding="utf-8",
    )
    (root / "corpus" / "searches" / "scopus.ris").write_bytes(b"")
    result = runner.invoke(cli, ["-C", str(root), "run"])
    assert "import scopus: read 0 = added 0 + already 0 + rejected 0" in result.stdout
    assert (
        "corpus/searches/scopus.ris: warning: the file is empty: no records read" in result.stderr
    )


def test_run_does_not_call_a_search_file_imported_by_hand_not_imported(tmp_path: Path) -> None:
    runner = CliRunner()
    root = tmp_path / "review"
    assert runner.invoke(cli, ["init", str(root)]).exit_code == 0
    export = root / "corpus" / "searches" / "wos.ciw"
    shutil.copy(FIXTURES / "import" / "wos.ciw", export)
    imported = runner.invoke(cli, ["-C", str(root), "import", str(export), "-s", "scopus"])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(cli, ["-C", str(root), "run"])
    assert result.exit_code == 1, result.output  # still a file the protocol does not name
    assert "not imported" not in result.stderr
    assert (
        "corpus/searches/wos.ciw: warning: no source in review.yaml lists this file, though 2 "
        "records were imported from it (`litreview import` under source 'scopus')"
    ) in result.stderr
    assert "identified 2" in result.stdout  # its records count, as the warning says
    assert "list it under `files:` of source 'scopus' in review.yaml" in result.stderr


def test_prisma_counts_add_up_while_reports_wait_for_a_full_text_decision(
    reference: Project,
) -> None:
    from litreview.report.render import prisma_dict
    from litreview.workflow.pipeline import build_render_input

    screening = reference.screening.read_text()
    # withdraw the people's full-text decisions: the included studies wait for a person again
    kept = screening.split("\n- key:")
    reference.screening.write_text(
        "\n- key:".join([kept[0]] + [item for item in kept[1:] if "stage: full-text" not in item])
    )
    data = build_render_input(reference)
    assert data.prisma.needs_person > 0
    assert prisma_dict(data)["checks"] == []


def test_one_prisma_model_serves_the_screening_summary_and_the_diagram(tmp_path: Path) -> None:
    from litreview.workflow.pipeline import build_render_input

    root = copy_of_shipped_review(tmp_path / "review")
    state = load_state(Project(root))
    pc = state.prisma
    # the flow's boxes are worked out once, from the stages, in the model itself
    assert (
        pc.records
        == pc.screened + sum(pc.automation_ineligible.values())
        == pc.as_dict()["records"]
    )
    assert pc.as_dict()["screened"] == pc.screened == 131
    assert (
        sum(pc.automation_ineligible.values())
        == pc.stages[0].as_dict({})["excluded_by_rules_total"]
        == 27
    )
    assert pc.balanced and pc.excluded_total == sum(s.excluded_total for s in pc.stages)
    diagram = build_render_input(Project(root), state).prisma
    assert type(diagram) is type(pc)
    assert (diagram.screened, diagram.assessed_full_text, diagram.included) == (
        pc.screened,
        pc.assessed_full_text,
        pc.included,
    )
    assert (diagram.included_studies, diagram.included_direct, diagram.included_related) == (
        31,
        10,
        21,
    )


def test_rejects_files_counts_the_entries_format_rejects_wrote(tmp_path: Path) -> None:
    """The count status shows reads back what the import wrote, whatever the export's path
    and the entries' text hold (blank lines, lines starting with '#')."""
    from litreview.corpus.store import format_rejects, rejects_files
    from litreview.model import Location, Reject

    where = "exports/a: b [x].csv"
    rejects = [
        Reject(Location(where, 3, "k [1]"), "why: one", "row\n\n# exports/other: no\n"),
        Reject(Location(where, 9), "why two", "rest of the file\n\nmore"),
        Reject(Location(where), "unreadable header", "a,b"),
    ]
    folder = tmp_path / "corpus" / "rejects" / "db"
    folder.mkdir(parents=True)
    (folder / "a.csv.txt").write_text(format_rejects(rejects), encoding="utf-8")
    assert rejects_files(tmp_path / "corpus") == [(folder / "a.csv.txt", 3)]
