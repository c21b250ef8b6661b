"""docs/tutorial.md, step by step: init → import the example exports → run → decide → run → status.

The edits below are the ones the tutorial asks a reader to make; the counts are the ones it
shows. When either changes, this test and the tutorial change together.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from litreview.cli import cli

from .conftest import ROOT

EXAMPLES = ROOT / "examples"
TUTORIAL = ROOT / "docs" / "tutorial.md"

#: (text the scaffold writes, what the tutorial replaces it with), in review.yaml
PROTOCOL_EDITS = [
    (
        "title: My review\nquestion: What does the evidence say about ...?\n",
        "title: How doctors and managers in NHS hospitals see each other\n"
        "question: What do studies from 2002 to 2015 say about how doctors and managers see their working "
        "relationship?\n",
    ),
    (
        "  files: []         # e.g. [corpus/searches/scopus.ris]; `litreview run` imports them\n",
        "  files: [corpus/searches/scopus.ris]\n"
        "- id: pubmed\n  name: PubMed\n  kind: database\n  searched: '2026-01-15'\n"
        "  files: [corpus/searches/pubmed.nbib]\n",
    ),
    (
        "  off-topic: Not about the review question\n",
        "  off-topic: Not about the review question\n"
        "  not-empirical: No primary data (editorial, commentary, opinion)\n",
    ),
    ("  label: Published 2010 or later\n", "  label: Published 2002–2015\n"),
    ("  min: 2010\n", "  min: 2002\n  max: 2015\n"),
    (
        "  include_terms: [example term]\n",
        "  include_terms: [doctor, manager, clinician, clinical leadership, medicine and management]\n",
    ),
]


def _yaml_block_after(marker: str) -> str:
    """The first ```yaml block after ``marker`` in the tutorial: the test uses the doc's own text."""
    text = TUTORIAL.read_text()
    start = text.index(marker)
    m = re.search(r"```yaml\n(.*?)```", text[start:], re.S)
    assert m, f"no yaml block after {marker!r} in docs/tutorial.md"
    return m.group(1)


def _ok(result: Result, *codes: int) -> Result:
    assert result.exit_code in (codes or (0,)), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def review(tmp_path: Path) -> Path:
    root = tmp_path / "my-review"
    runner = CliRunner()
    _ok(runner.invoke(cli, ["init", str(root)]))
    for name in ("scopus.ris", "pubmed.nbib"):
        shutil.copy(EXAMPLES / name, root / "corpus" / "searches" / name)
    return root


def test_the_tutorial_edits_are_the_ones_it_shows() -> None:
    text = TUTORIAL.read_text()
    for _old, new in PROTOCOL_EDITS:
        for line in new.splitlines():
            assert line.strip() in text, f"docs/tutorial.md no longer shows {line.strip()!r}"


def test_tutorial_from_init_to_a_rendered_appendix(review: Path) -> None:
    runner = CliRunner()

    def run(*args: str, codes: tuple[int, ...] = (0,)) -> Result:
        return _ok(runner.invoke(cli, ["-C", str(review), *args]), *codes)

    # step 2: files in corpus/searches/ that no source lists are named, with what to do
    first = run("run", codes=(1,))
    assert "corpus/searches/pubmed.nbib: warning: not imported" in first.stderr
    assert not (review / "corpus" / "records.bib").exists()

    # step 3: the reader's edits to review.yaml and themes.yaml
    protocol = (review / "review.yaml").read_text()
    for old, new in PROTOCOL_EDITS:
        assert protocol.count(old) == 1, f"the scaffold no longer writes {old!r}"
        protocol = protocol.replace(old, new)
    (review / "review.yaml").write_text(protocol)
    (review / "themes.yaml").write_text(_yaml_block_after("Replace `themes.yaml`"))
    _ok(runner.invoke(cli, ["-C", str(review), "check"]), 0, 1)

    # step 4: the whole pipeline
    summary = json.loads(run("run", "--json", codes=(1,)).stdout)  # 1: records wait for a person
    steps = dict((s["step"], s["summary"]) for s in summary["steps"])
    assert steps["import scopus"] == "read 10 = added 10 + already 0 + rejected 0"
    assert steps["import pubmed"] == "read 11 = added 11 + already 0 + rejected 0"
    assert steps["dedupe"].startswith("merges 3, unsure 0")
    assert steps["screen"] == "excluded 3, needs-person 15"
    p = summary["prisma"]
    assert (
        p["identified_total"],
        p["duplicates_removed"],
        p["records"],
        p["excluded_total"],
        p["needs_person"],
        p["included"],
    ) == (21, 3, 18, 3, 15, 0)
    for name in ("appendix.md", "appendix.html", "evidence-table.csv", "prisma.svg", "prisma.json"):
        assert (review / "build" / name).exists(), name

    status = json.loads(run("status", "--json", codes=(1,)).stdout)
    todo = {t["what"]: (t["count"], t["command"]) for t in status["todo"]}
    assert todo["records needing a person at title-abstract"] == (
        3,
        "litreview screen next --stage title-abstract --reviewer YOUR-ID",
    )
    assert todo["records needing a person at full-text"][0] == 12

    # step 5: a person's decisions
    run("screen", "decide", "Waring2005", "exclude", "--reason", "off-topic", "--reviewer", "R1")
    for key in ("Degeling2003", "Mannion2009"):
        run("screen", "decide", key, "include", "--stage", "title-abstract", "--reviewer", "R1")
    for key in ("Davies2003a", "Davies2003b", "Reasbeck2008", "Ham2011", "Mannion2009"):
        run("screen", "decide", key, "include", "--stage", "full-text", "--reviewer", "R1")
    run(
        "screen",
        "decide",
        "Edwards2003",
        "exclude",
        "--stage",
        "full-text",
        "--reason",
        "not-empirical",
        "--reviewer",
        "R1",
        "--note",
        "editorial",
    )

    # step 6: run again; the appendix lists the included studies and its counts add up
    again = run("run", codes=(1,))
    prisma_line = next(line for line in again.stdout.splitlines() if "PRISMA:" in line)
    # the rules excluded 3 records unseen by a person: PRISMA 2020 counts them apart, as the appendix does
    assert prisma_line.strip() == (
        "PRISMA: identified 21, duplicates removed 3, marked ineligible by automation 3, "
        "screened 15, excluded 2, needs a person 8, included 5"
    )
    assert prisma_line.strip() in TUTORIAL.read_text(), "docs/tutorial.md shows other counts"
    appendix = (review / "build" / "appendix.md").read_text()
    for cite in ("Davies and others, 2003a", "Ham and others, 2011", "Reasbeck, 2008"):
        assert cite in appendix
    assert "do not add up" not in appendix
    assert "- Reports assessed for eligibility: 6" in appendix

    final = run("status", codes=(1,))
    assert "included 5, excluded 5, needs a person 8" in final.stdout
    assert "litreview screen next --stage full-text --reviewer YOUR-ID" in final.stdout
    assert (
        "- included studies without extraction: 5  ->  add them to corpus/extraction.yaml"
        in final.stdout
    )
    for line in final.stdout.splitlines():
        assert line in TUTORIAL.read_text(), f"docs/tutorial.md does not show {line!r}"


def test_run_does_not_read_an_export_again_while_it_and_the_corpus_are_unchanged(
    review: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    protocol = (review / "review.yaml").read_text()
    for old, new in PROTOCOL_EDITS:
        protocol = protocol.replace(old, new)
    (review / "review.yaml").write_text(protocol)
    (review / "themes.yaml").write_text(_yaml_block_after("Replace `themes.yaml`"))
    runner = CliRunner()

    def steps() -> dict[str, str]:
        result = _ok(runner.invoke(cli, ["-C", str(review), "run", "--json"]), 1)
        return {
            s["step"]: s["summary"]
            for s in json.loads(result.stdout)["steps"]
            if s["step"].startswith("import")
        }

    first = steps()  # adds the records
    settled = steps()  # adds nothing: remembered for these exports and this corpus
    assert settled["import scopus"] == "read 10 = added 0 + already 10 + rejected 0"
    import litreview.corpus.store

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged export was read again")

    monkeypatch.setattr(litreview.corpus.store, "import_files", no_reading)
    assert steps() == settled and first["import scopus"].startswith("read 10 = added 10")
    # a changed export is read again
    export = review / "corpus" / "searches" / "scopus.ris"
    export.write_text(export.read_text() + "\n")
    with pytest.raises(AssertionError, match="read again"):
        run_pipeline_quietly(review)


def run_pipeline_quietly(review: Path) -> None:
    from litreview.project import Project
    from litreview.workflow.pipeline import run_pipeline

    run_pipeline(Project(review))
