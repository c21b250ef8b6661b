"""corpus/fulltext.yaml: validation with lines, `fulltext status` and `set`, the PRISMA retrieval
boxes (only with the file), check, the derived cache and run's input digest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from litreview.files import derived
from litreview.project import Project
from litreview.report.render import render_outputs
from litreview.screen.fulltext import load_fulltext
from litreview.workflow.pipeline import _inputs_digest, build_render_input, load_state

from .conftest import FIXTURES
from .conftest import invoke as run

PROJECT = FIXTURES / "screen" / "project"
KEYS = {"Degeling1999", "Edwards2003", "Harvey2014", "Klopper2010", "Kuhlmann2013", "Osbourne2010"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dest = tmp_path / "review"
    shutil.copytree(PROJECT, dest)
    return dest


def _to_full_text(project: Path) -> None:
    """Kuhlmann2013 and Osbourne2010 passed at title and abstract, so three reports are sought."""
    for key in ("Kuhlmann2013", "Osbourne2010"):
        code, _, err = run(
            project,
            "screen",
            "decide",
            key,
            "include",
            "--stage",
            "title-abstract",
            "--reviewer",
            "R1",
            "--date",
            "2026-01-02",
        )
        assert code == 0, err


def _write(project: Path, text: str) -> Path:
    path = project / "corpus" / "fulltext.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the file ---------------------------------------------------------------------------------


def test_every_mistake_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "fulltext.yaml"
    path.write_text(
        "version: 1\n"
        "items:\n"
        "- key: Harvey2014\n"
        "  status: retreived\n"  # 4: misspelt status
        "- key: Harvy2014\n"  # 5: unknown record
        "  status: retrieved\n"
        "- key: Kuhlmann2013\n"
        "  status: not-retrieved\n"  # 8: no reason
        "- key: Osbourne2010\n"
        "  status: retrieved\n"
        "  pth: x.pdf\n"  # 11: misspelt key
        "- key: Klopper2010\n"
        "  status: retrieved\n"
        "  path: ../../etc/passwd\n"  # 14: outside the repository
        "  url: ftp://x\n"  # 15: not http
        "  date: 3 May\n",
        encoding="utf-8",
    )  # 16: not a date
    found = load_fulltext(path, "corpus/fulltext.yaml", KEYS)
    shown = [str(p) for p in found.problems]
    expect = [
        (4, "must be retrieved or not-retrieved", "did you mean 'retrieved'"),
        (5, "unknown record key 'Harvy2014'", "did you mean 'Harvey2014'"),
        (7, "not-retrieved without a 'reason'", "say why"),
        (11, "unknown key 'pth'", "did you mean 'path'"),
        (14, "must be inside the review repository", ""),
        (15, "must start with http", ""),
        (16, "is not YYYY", ""),
    ]
    for line, message, hint in expect:
        assert any(
            s.startswith(f"corpus/fulltext.yaml:{line}") and message in s and hint in s
            for s in shown
        ), (line, message, shown)
    assert found.entries == {}  # an item with an error is not used


def test_a_key_absorbed_by_a_merge_applies_to_its_survivor_and_twice_is_an_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "fulltext.yaml"
    path.write_text(
        "version: 1\nitems:\n- {key: Harvey2014, status: retrieved}\n"
        "- {key: Harvey2014x, status: not-retrieved, reason: lost}\n",
        encoding="utf-8",
    )
    found = load_fulltext(path, "f.yaml", KEYS, {"Harvey2014x": "Harvey2014"})
    assert [str(p) for p in found.problems] == [
        "f.yaml:4 [Harvey2014x]: error: Harvey2014 is listed twice (as Harvey2014x) "
        "(first at line 3; keep one item per record, or `litreview fulltext set Harvey2014 ...` "
        "replaces both)"
    ]
    path.write_text(
        "version: 1\nitems:\n- {key: Harvey2014x, status: not-retrieved, reason: lost}\n"
    )
    found = load_fulltext(path, "f.yaml", KEYS, {"Harvey2014x": "Harvey2014"})
    assert not found.problems and found.not_retrieved == {"Harvey2014"}
    assert found.entries["Harvey2014"].alias == "Harvey2014x"


# --- the commands -----------------------------------------------------------------------------


def test_status_exits_1_until_every_report_waiting_for_assessment_has_a_state(
    project: Path,
) -> None:
    _to_full_text(project)
    code, out, _ = run(project, "fulltext", "status")
    assert code == 1
    assert (
        "3 reports sought at full-text: 0 retrieved, 0 not retrieved, 3 not recorded; 3 waiting"
        in out
    )
    assert "Harvey2014  unknown  needs-person  ← needs a full text" in out
    assert (
        run(
            project,
            "fulltext",
            "set",
            "Harvey2014",
            "retrieved",
            "--path",
            "pdf/harvey.pdf",
            "--date",
            "2026-01-03",
        )[0]
        == 0
    )
    assert (
        run(
            project,
            "fulltext",
            "set",
            "Kuhlmann2013",
            "retrieved",
            "--url",
            "https://example.org/k",
        )[0]
        == 0
    )
    code, out, err = run(
        project,
        "fulltext",
        "set",
        "Osbourne2010",
        "not-retrieved",
        "--reason",
        "no library could lend it",
        "--date",
        "2026-01-04",
    )
    assert code == 0, err
    code, out, _ = run(project, "fulltext", "status", "--json")
    data = json.loads(out)
    assert code == 0 and data["missing"] == [] and data["reports_sought"] == 3
    assert (data["retrieved"], data["not_retrieved"], data["unknown"]) == (2, 1, 0)
    assert data["reports"][0] == {
        "key": "Harvey2014",
        "outcome": "needs-person",
        "state": "retrieved",
        "needs_assessment": True,
        "path": "pdf/harvey.pdf",
        "date": "2026-01-03",
    }


def test_set_writes_a_sorted_file_and_replaces_an_item(project: Path) -> None:
    run(
        project,
        "fulltext",
        "set",
        "Osbourne2010",
        "retrieved",
        "--path",
        "a.pdf",
        "--date",
        "2026-01-01",
    )
    run(
        project,
        "fulltext",
        "set",
        "Harvey2014",
        "not-retrieved",
        "--reason",
        "out of print",
        "--date",
        "2026-01-01",
    )
    run(
        project,
        "fulltext",
        "set",
        "Osbourne2010",
        "retrieved",
        "--path",
        "b.pdf",
        "--date",
        "2026-01-02",
    )
    text = (project / "corpus" / "fulltext.yaml").read_text()
    body = text.split("version", 1)[1]
    # each item keeps its record's title, right after the key (litreview.corpus.madeon)
    assert [line.split(":")[0] for line in body.splitlines()[2:]].count("  title") == 2
    assert "- key: Harvey2014\n  title: 'Mobilising" in body
    body = "".join(line for line in body.splitlines(True) if not line.startswith("  title: "))
    assert body == (
        ": 1\nitems:\n- key: Harvey2014\n  status: not-retrieved\n  reason: out of print\n"
        "  date: '2026-01-01'\n- key: Osbourne2010\n  status: retrieved\n  path: b.pdf\n"
        "  date: '2026-01-02'\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Harvey2014", "not-retrieved"), "--reason: error: not-retrieved needs a reason"),
        (
            ("Harvey2014", "retrieved", "--path", "/tmp/x.pdf"),
            "--path: error: path '/tmp/x.pdf' of Harvey2014 must be",
        ),
        (("Harvey2014", "retrieved", "--url", "example.org"), "--url: error: url 'example.org'"),
        (("Harvy2014", "retrieved"), "unknown record key 'Harvy2014' (did you mean 'Harvey2014'?)"),
    ],
)
def test_set_refuses_bad_values_with_exit_2_and_writes_nothing(
    project: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(project, "fulltext", "set", *args)
    assert code == 2 and message in err, err
    assert not (project / "corpus" / "fulltext.yaml").exists()


def test_status_exits_2_on_a_broken_file(project: Path) -> None:
    _write(project, "version: 1\nitems:\n- {key: Harvey2014, staus: retrieved}\n")
    code, _, err = run(project, "fulltext", "status")
    assert code == 2 and "corpus/fulltext.yaml:3 [Harvey2014]: error: unknown key 'staus'" in err


# --- PRISMA -----------------------------------------------------------------------------------


def test_prisma_counts_reports_sought_and_not_retrieved_and_the_rest_are_assessed(
    project: Path,
) -> None:
    _to_full_text(project)
    _write(
        project,
        "version: 1\nitems:\n- {key: Osbourne2010, status: not-retrieved, reason: lost}\n"
        "- {key: Harvey2014, status: retrieved, path: h.pdf}\n",
    )
    state = load_state(Project(project))
    assert state.prisma.sought_full_text == 3 and state.prisma.not_retrieved == 1
    assert (
        state.prisma.balanced and state.prisma.needs_person == 2
    )  # the unretrieved one waits for nobody
    out = render_outputs(build_render_input(Project(project), state), formats=("md", "json"))
    d = json.loads(out["prisma.json"])
    assert (d["reports_sought"], d["reports_not_retrieved"], d["assessed_full_text"]) == (3, 1, 0)
    assert d["checks"] == []
    assert (
        "- Reports sought for retrieval: 3\n- Reports not retrieved: 1\n- Reports assessed for eligibility: 0"
        in out["appendix.md"]
    )
    assert "Reports sought for retrieval (n = 3)" in out["prisma.svg"]
    assert "Reports not retrieved (n = 1)" in out["prisma.svg"]


def test_without_the_file_nothing_changes_in_the_outputs(project: Path) -> None:
    _to_full_text(project)
    before = render_outputs(build_render_input(Project(project)))
    assert (
        "Reports sought" not in before["prisma.svg"]
        and "reports_sought" not in before["prisma.json"]
    )
    _write(project, "version: 1\nitems: []\n")
    with_file = render_outputs(build_render_input(Project(project)))
    assert "Reports sought for retrieval (n = 3)" in with_file["prisma.svg"]
    (project / "corpus" / "fulltext.yaml").unlink()
    assert render_outputs(build_render_input(Project(project))) == before


def test_a_not_retrieved_report_that_a_person_included_is_a_check_error(project: Path) -> None:
    run(
        project,
        "screen",
        "decide",
        "Harvey2014",
        "include",
        "--stage",
        "full-text",
        "--reviewer",
        "R1",
    )
    _write(
        project, "version: 1\nitems:\n- {key: Harvey2014, status: not-retrieved, reason: lost}\n"
    )
    code, out, err = run(project, "check")
    assert code == 1
    assert (
        "corpus/fulltext.yaml:3 [Harvey2014]: error: Harvey2014 is marked not retrieved but is included at "
        "full text"
    ) in out + err
    assert run(project, "fulltext", "status")[0] == 1


def test_a_not_retrieved_report_a_person_excluded_is_a_warning_and_counts_as_not_retrieved(
    project: Path,
) -> None:
    run(
        project,
        "screen",
        "decide",
        "Harvey2014",
        "exclude",
        "--stage",
        "full-text",
        "--reason",
        "off-topic",
        "--reviewer",
        "R1",
    )
    _write(
        project, "version: 1\nitems:\n- {key: Harvey2014, status: not-retrieved, reason: lost}\n"
    )
    state = load_state(Project(project))
    assert any(p.code == "fulltext-excluded" and not p.is_error for p in state.problems)
    ft = state.prisma.stages[-1]
    assert ft.excluded_total == 0 and ft.not_retrieved == 1 and state.prisma.balanced


def test_a_mark_on_a_record_that_never_reached_full_text_is_a_warning(project: Path) -> None:
    _write(
        project, "version: 1\nitems:\n- {key: Klopper2010, status: not-retrieved, reason: lost}\n"
    )
    state = load_state(Project(project))
    assert [p.code for p in state.problems if p.code.startswith("fulltext")] == [
        "fulltext-not-sought"
    ]
    assert state.prisma.not_retrieved == 0


def test_check_reports_file_errors_with_lines(project: Path) -> None:
    _write(project, "version: 1\nitems:\n- {key: Nobody2000, status: retrieved}\n")
    code, out, err = run(project, "check")
    assert (
        code == 1
        and "corpus/fulltext.yaml:3 [Nobody2000]: error: unknown record key 'Nobody2000'"
        in out + err
    )


# --- caches -----------------------------------------------------------------------------------


def test_the_derived_cache_and_runs_digest_see_the_file(project: Path) -> None:
    p = Project(project)
    _to_full_text(project)
    load_state(p)
    digest = _inputs_digest(p, ("md",))
    before = derived.COMPUTED["screening"]
    load_state(p)
    assert derived.COMPUTED["screening"] == before  # unchanged: a cache read
    _write(
        project, "version: 1\nitems:\n- {key: Osbourne2010, status: not-retrieved, reason: lost}\n"
    )
    state = load_state(p)
    assert derived.COMPUTED["screening"] == before + 1 and state.prisma.not_retrieved == 1
    assert _inputs_digest(p, ("md",)) != digest
    (project / "corpus" / "fulltext.yaml").unlink()
    assert _inputs_digest(p, ("md",)) == digest


def test_the_appendix_lists_reports_not_retrieved_with_their_reasons_escaped(project: Path) -> None:
    _to_full_text(project)
    _write(
        project,
        "version: 1\nitems:\n- {key: Osbourne2010, status: not-retrieved, "
        "reason: 'out of print <b>x</b> | *50%*', note: asked twice}\n",
    )
    out = render_outputs(build_render_input(Project(project)), formats=("md", "html"))
    md, html = out["appendix.md"], out["appendix.html"]
    assert "### Reports not retrieved" in md
    row = next(line for line in md.splitlines() if "out of print" in line)
    assert row.endswith("| out of print \\<b\\>x\\</b\\> \\| \\*50%\\* | asked twice |")
    assert "<td>out of print &lt;b&gt;x&lt;/b&gt; | *50%*</td>" in html and "<b>x</b>" not in html


def test_without_the_file_the_appendix_has_no_retrieval_section(project: Path) -> None:
    out = render_outputs(build_render_input(Project(project)), formats=("md", "html"))
    assert (
        "Reports not retrieved" not in out["appendix.md"]
        and "Reports not retrieved" not in out["appendix.html"]
    )


def test_set_records_an_absorbed_key_as_written_and_it_applies_to_the_survivor(
    tmp_path: Path,
) -> None:
    from litreview.screen.fulltext import Entry, set_entry

    path = tmp_path / "corpus" / "fulltext.yaml"
    path.parent.mkdir()
    saved = set_entry(
        path,
        "corpus/fulltext.yaml",
        KEYS,
        {"Harvey2014x": "Harvey2014"},
        Entry("Harvey2014x", "retrieved", path="h.pdf"),
    )
    assert (saved.key, saved.alias) == ("Harvey2014", "Harvey2014x")
    assert "- key: Harvey2014x\n  status: retrieved\n  path: h.pdf\n" in path.read_text()
    again = set_entry(
        path,
        "corpus/fulltext.yaml",
        KEYS,
        {"Harvey2014x": "Harvey2014"},
        Entry("Harvey2014", "not-retrieved", reason="lost"),
    )
    assert (
        again.alias == "" and path.read_text().count("- key:") == 1
    )  # the survivor's item replaced it


def test_set_refuses_to_write_over_a_file_with_errors(project: Path) -> None:
    path = _write(project, "version: 1\nitems:\n- {key: Harvey2014, status: gone}\n")
    code, _, err = run(project, "fulltext", "set", "Kuhlmann2013", "retrieved")
    assert (
        code == 2
        and "corpus/fulltext.yaml:3 [Harvey2014]: error: status of Harvey2014 must be" in err
    )
    assert path.read_text() == "version: 1\nitems:\n- {key: Harvey2014, status: gone}\n"


def test_status_lists_reports_without_a_full_text_once_the_review_keeps_the_file(
    project: Path,
) -> None:
    _to_full_text(project)

    def item() -> dict[str, object] | None:
        data = json.loads(run(project, "status", "--json")[1])
        return next(
            (t for t in data["todo"] if t["what"].startswith("reports awaiting assessment")), None
        )

    assert item() is None  # a review without corpus/fulltext.yaml is not nagged about it
    assert (
        run(project, "fulltext", "set", "Harvey2014", "retrieved", "--path", "pdf/harvey.pdf")[0]
        == 0
    )
    found = item()
    assert (
        found is not None
        and found["count"] == 2
        and found["keys"] == ["Kuhlmann2013", "Osbourne2010"]
    )
    assert found["waits"] is False  # the records themselves already wait for a person


def test_set_with_a_path_where_no_file_is_records_it_and_warns(project: Path) -> None:
    # a typo in the path was found only when someone went to open the file
    (project / "pdf").mkdir()
    (project / "pdf" / "harvey.pdf").write_bytes(b"%PDF-1.4\n")
    code, _, err = run(
        project, "fulltext", "set", "Harvey2014", "retrieved", "--path", "pdf/harvey.pdf"
    )
    assert code == 0 and "no file at" not in err
    code, _, err = run(
        project, "fulltext", "set", "Harvey2014", "retrieved", "--path", "pdf/harvy.pdf"
    )
    assert code == 0
    assert "--path: warning: no file at pdf/harvy.pdf" in err
    assert "path: pdf/harvy.pdf" in (project / "corpus" / "fulltext.yaml").read_text()


def test_set_not_retrieved_on_a_record_that_never_reached_full_text_warns_at_once(
    project: Path,
) -> None:
    # check said so later; the person setting the mark may have typed the wrong key
    _to_full_text(project)
    code, _, err = run(project, "fulltext", "set", "Klopper2010", "not-retrieved", "--reason", "x")
    assert code == 0
    assert "[Klopper2010]: warning: Klopper2010 is marked not retrieved but did not reach" in err
    assert "Klopper2010" in (project / "corpus" / "fulltext.yaml").read_text()  # kept as given
    code, _, err = run(project, "fulltext", "set", "Kuhlmann2013", "not-retrieved", "--reason", "x")
    assert code == 0 and "warning" not in err


def test_status_after_fulltext_set_on_an_absorbed_key_is_what_a_cold_cache_gives(
    tmp_path: Path,
) -> None:
    import shutil

    from .test_dedupe_screened import _review, _screen

    root = _review(tmp_path)
    assert run(root, "dedupe")[0] == 0  # Okafor2012a merged into Okafor2012
    _screen(root, "decide", "Okafor2012", "include", "--reviewer", "R1")
    code, _out, err = run(root, "fulltext", "set", "Okafor2012a", "not-retrieved", "--reason", "x")
    assert code == 0, err
    warm = run(root, "status", "--json")
    shutil.rmtree(root / ".litreview-cache")
    cold = run(root, "status", "--json")
    assert warm == cold
