"""The command line: help for every command, exit codes, stdout for results, stderr for the rest."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from litreview.cli import cli

from .conftest import FIXTURES

IMPORT = FIXTURES / "import"


def _all_commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    out: list[tuple[str, click.Command]] = []
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None
        out.append((name, cmd))
        if isinstance(cmd, click.Group):
            for sub in cmd.list_commands(ctx):
                subcmd = cmd.get_command(ctx, sub)
                assert subcmd is not None
                out.append((f"{name} {sub}", subcmd))
    return out


@pytest.mark.parametrize(
    ("name", "command"), _all_commands(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help and "Example:" in command.help, (
        f"`litreview {name}` needs an Example: block"
    )


#: commands a person works through at a terminal (each also runs without one, and stops)
INTERACTIVE = {"dedupe review", "screen next", "screen serve"}


@pytest.mark.parametrize(
    ("name", "command"), _all_commands(), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_command_that_does_work_offers_json_or_format(
    name: str, command: click.Command
) -> None:
    # the README promises it; a group that only names its subcommands has no output of its own
    if name in INTERACTIVE or (
        isinstance(command, click.Group) and not command.invoke_without_command
    ):
        return
    options = {o for p in command.params for o in getattr(p, "opts", [])}
    assert options & {"--json", "--format"}, f"`litreview {name}` needs --json or --format"


def test_init_json_lists_the_files_it_wrote(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "new"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["directory"] == str(tmp_path / "new")
    assert any(p.endswith("review.yaml") for p in data["written"])
    assert all(Path(p).exists() for p in data["written"])


def test_help_lists_the_available_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "import" in result.output and "stats" in result.output


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from litreview.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('rapidfuzz', 'jinja2', 'pybtex', 'rich', 'yaml') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "litreview, version" in result.output


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "litreview", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "Usage:" in out.stdout


def test_the_program_keeps_exit_codes_and_all_output_when_it_skips_teardown(
    tmp_path: Path,
) -> None:
    """``entry`` ends the process without freeing objects: codes and output must survive it."""
    shutil.copy(Path(__file__).resolve().parent.parent / "review.yaml", tmp_path)
    run = [sys.executable, "-m", "litreview", "-C", str(tmp_path)]
    usage = subprocess.run([*run, "no-such-command"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such command" in usage.stderr
    imported = subprocess.run(
        [*run, "import", str(IMPORT / "wos.ciw"), "--source", "wos"], capture_output=True, text=True
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "read 2 = added 2 + already in corpus 0 + rejected 0"
    # a long answer on a pipe arrives whole: the streams are flushed before the process ends
    listed = subprocess.run([*run, "screen", "--json"], capture_output=True, text=True)
    assert listed.returncode in (0, 1), listed.stderr
    assert len(json.loads(listed.stdout)["results"]) == 2


def test_import_clean_file_exits_0_and_prints_reconciliation(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "import", str(IMPORT / "wos.ciw"), "--source", "wos"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "read 2 = added 2 + already in corpus 0 + rejected 0"
    assert (tmp_path / "corpus" / "records.bib").exists()


def test_import_with_rejects_exits_1_and_names_file_and_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "import", str(IMPORT / "scopus.bib"), "-s", "scopus"]
    )
    assert result.exit_code == 1
    assert "scopus.bib:26 [broken]: error: malformed BibTeX entry" in result.stderr
    assert "rejected 1" in result.stdout
    assert (tmp_path / "corpus" / "rejects" / "scopus" / "scopus.bib.txt").exists()


def test_import_missing_file_exits_2_without_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "import", "nope.ris", "-s", "x"])
    assert result.exit_code == 2
    assert "nope.ris: error: no such file" in result.stderr
    assert "Traceback" not in result.output


def test_import_without_source_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "wos.ciw")])
    assert result.exit_code == 2 and "--source" in result.stderr


def test_import_json_reconciles(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "import", str(IMPORT / "ovid.ris"), "-s", "ovid", "--json"]
    )
    data = json.loads(result.stdout)
    assert data["read"] == data["added"] + data["already_in_corpus"] + data["rejected"] == 4
    assert data["version"] == 1


@pytest.mark.parametrize("content", [b"", b"\r\n\n  \n"], ids=["0-byte", "blank-lines"])
def test_importing_an_empty_export_warns_that_it_held_no_records(
    tmp_path: Path, content: bytes
) -> None:
    export = tmp_path / "scopus.ris"
    export.write_bytes(content)  # a failed download, or an export cut short
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "import", str(export), "-s", "scopus"])
    assert result.exit_code == 0  # nothing wrong was read: nothing was there
    assert "read 0 = added 0 + already in corpus 0 + rejected 0" in result.stdout
    assert (
        "scopus.ris: warning: the file is empty: no records read "
        "(export the search again if it found records)"
    ) in result.stderr


def test_a_format_given_for_content_that_is_another_format_is_a_finding(tmp_path: Path) -> None:
    # two MEDLINE records read as RIS run together into one record of every author
    export = tmp_path / "pubmed-export.txt"
    export.write_text(
        "PMID- 1001\nTI  - Ward rounds and budgets\nAU  - Ames B\nDP  - 2010\n\n"
        "PMID- 1002\nTI  - Rotas in acute trusts\nAU  - Bell C\nDP  - 2011\n",
        encoding="utf-8",
    )
    forced = CliRunner().invoke(
        cli, ["-C", str(tmp_path), "import", str(export), "-s", "pubmed", "--format", "ris"]
    )
    assert forced.exit_code == 1, forced.output  # a person must look at what it read
    assert (
        "pubmed-export.txt: warning: read as ris (--format), but its content looks like medline: "
        "its records may be read wrongly"
    ) in forced.stderr
    plain = CliRunner().invoke(
        cli, ["-C", str(tmp_path / "other"), "import", str(export), "-s", "pubmed"]
    )
    assert plain.exit_code == 0 and "read 2 = added 2" in plain.stdout
    same = CliRunner().invoke(
        cli,
        [
            "-C",
            str(tmp_path / "third"),
            "import",
            str(export),
            "-s",
            "pubmed",
            "--format",
            "medline",
        ],
    )
    assert same.exit_code == 0 and "format-mismatch" not in same.stderr
    assert "looks like" not in same.stderr


def test_stats_json_counts_sources_and_types(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "pubmed.nbib"), "-s", "pubmed"])
    runner.invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "wos.ciw"), "-s", "wos"])
    result = runner.invoke(cli, ["-C", str(tmp_path), "stats", "--json"])
    data = json.loads(result.stdout)
    assert data["records"] == 4
    assert data["by_source"] == {"pubmed": 2, "wos": 2}
    assert data["missing"]["abstract"] == 3


def test_stats_on_a_corpus_with_an_unreadable_entry_says_so_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    # the second entry's title brace is never closed: the reader cannot take it
    (tmp_path / "corpus" / "records.bib").write_text(
        "@article{Ames2010,\n  title = {Ward rounds},\n  year = {2010},\n}\n\n"
        "@article{Bell2011,\n  title = {Clinic budgets,\n  year = {2011},\n}\n\n"
        "@article{Cole2012,\n  title = {Rotas},\n  year = {2012},\n}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    text = runner.invoke(cli, ["-C", str(tmp_path), "stats"])
    assert text.exit_code == 2
    assert "corpus/records.bib:6 [Bell2011]: error:" in text.stderr
    first = text.stdout.splitlines()[0]
    assert "(1 entry unreadable, not counted)" in first
    as_json = runner.invoke(cli, ["-C", str(tmp_path), "stats", "--json"])
    assert as_json.exit_code == 2
    data = json.loads(as_json.stdout)
    assert data["unreadable"] == 1 and data["records"] + data["unreadable"] == 3


def test_docs_command_reference_matches_help() -> None:
    from .conftest import ROOT

    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_reference.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (ROOT / "docs" / "cli.md").read_text() == out.stdout, (
        "run `make docs` to regenerate docs/cli.md"
    )


def _new_review_with_examples(root: Path) -> None:
    from .conftest import ROOT

    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    protocol = root / "review.yaml"
    protocol.write_text(
        protocol.read_text().replace(
            "  files: []         # e.g. [corpus/searches/scopus.ris]; `litreview run` imports them",
            "  files: [corpus/searches/scopus.ris]",
        )
    )
    shutil.copy(ROOT / "examples" / "scopus.ris", root / "corpus" / "searches" / "scopus.ris")


def test_output_that_is_not_a_terminal_has_no_progress_bars(tmp_path: Path) -> None:
    _new_review_with_examples(tmp_path)
    runner = CliRunner()
    for args in (
        ["run"],
        ["status"],
        ["import", str(IMPORT / "wos.ciw"), "-s", "wos"],
        ["dedupe"],
        ["screen"],
        ["tag", "--all"],
        ["render"],
    ):
        result = runner.invoke(cli, ["-C", str(tmp_path), *args])
        assert result.exit_code in (0, 1), (args, result.output)
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream and "\r" not in stream, args
            assert "━" not in stream, args  # rich's bar


def test_run_names_each_step_on_stderr_unless_quiet(tmp_path: Path) -> None:
    _new_review_with_examples(tmp_path)
    loud = CliRunner().invoke(cli, ["-C", str(tmp_path), "run"])
    assert [line for line in loud.stderr.splitlines() if line.startswith("… ")] == [
        "… import scopus",
        "… read corpus/searches/scopus.ris",
        "… dedupe",
        "… screen",
        "… tag",
        "… render",
    ]
    quiet = CliRunner().invoke(cli, ["-C", str(tmp_path), "-q", "run", "--force"])
    assert quiet.exit_code == 1 and quiet.stderr == ""  # 1: the example's records wait for a person


def test_progress_bar_draws_only_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from litreview.cli import _common

    ctx = click.Context(cli, obj={"quiet": False})
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert _common.progress_for(ctx) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert _common.progress_for(ctx) is not None
    monkeypatch.setenv("TERM", "dumb")
    assert _common.progress_for(ctx) is None
    monkeypatch.delenv("TERM")
    assert _common.progress_for(click.Context(cli, obj={"quiet": True})) is None


def test_shell_completion_script_is_printed() -> None:
    result = CliRunner().invoke(
        cli, [], prog_name="litreview", env={"_LITREVIEW_COMPLETE": "bash_source"}
    )
    assert result.exit_code == 0
    assert "_litreview_completion" in result.output and "complete " in result.output


def _complete(words: str, cword: int) -> list[str]:
    env = {"_LITREVIEW_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = CliRunner().invoke(cli, [], prog_name="litreview", env=env)
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_shell_completion_lists_the_lazy_commands() -> None:
    ctx = click.Context(cli)
    assert _complete("litreview ", 1) == cli.list_commands(ctx)
    assert {"init", "run", "status", "screen"} <= set(_complete("litreview ", 1))
    assert _complete("litreview sta", 1) == ["stats", "status"]


def test_shell_completion_reaches_subcommands_and_options() -> None:
    assert "decide" in _complete("litreview screen ", 2)
    assert "--source" in _complete("litreview import --", 2)


# --- errors read as advice: what went wrong, where, and what to do --------------------------------


def test_outside_a_review_says_how_to_get_into_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status"])  # the test's folder is empty and not a review
    assert result.exit_code == 2
    assert "error: not inside a review repository" in result.stderr
    assert "litreview init DIR" in result.stderr and "-C DIR" in result.stderr
    assert not (tmp_path / "corpus").exists(), (
        "a command in the wrong folder must not create corpus/"
    )


def test_dedupe_in_a_folder_that_is_no_review_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["dedupe"])
    assert result.exit_code == 2 and not (tmp_path / "corpus").exists()


def test_a_missing_protocol_names_the_command_that_writes_one(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "run"])
    assert result.exit_code == 2
    assert (
        "review.yaml: error: file not found" in result.stderr and "litreview init" in result.stderr
    )


def test_a_tab_in_the_protocol_is_explained(tmp_path: Path) -> None:
    (tmp_path / "review.yaml").write_text("version: 1\n\ttitle: x\n")
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "status"])
    assert result.exit_code == 2
    assert "review.yaml:2: error: invalid YAML: a tab character" in result.stderr
    assert "replace the tab with spaces" in result.stderr


def test_a_misspelt_criterion_kind_gets_did_you_mean(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "r")]).exit_code == 0
    protocol = tmp_path / "r" / "review.yaml"
    protocol.write_text(protocol.read_text().replace("  kind: year-range\n", "  knd: year-range\n"))
    result = CliRunner().invoke(cli, ["-C", str(tmp_path / "r"), "status"])
    assert result.exit_code == 2
    assert "unknown key 'knd' in criterion 'period' (did you mean 'kind'?)" in result.stderr


def test_run_refuses_an_unknown_format_before_doing_any_work(tmp_path: Path) -> None:
    _new_review_with_examples(tmp_path)
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "run", "--format", "md,pdf"])
    assert result.exit_code == 2
    assert "unknown format 'pdf'; choose from md, html, csv, tex" in result.stderr
    assert not (tmp_path / "corpus" / "records.bib").exists()


@pytest.mark.parametrize(
    "target",
    [
        "review.yaml",
        "corpus/screening.yaml",
        "corpus/duplicates.yaml",
        "corpus/absorbed.bib",
        "notes.txt",
    ],
)
def test_import_into_a_stored_file_that_is_not_the_corpus_is_refused_and_leaves_it(
    tmp_path: Path, target: str
) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "review.yaml").write_text("version: 1\n")
    path = tmp_path / target
    if not path.exists():
        path.write_text("kept: as it was\n")
    before = path.read_bytes()
    result = CliRunner().invoke(
        cli,
        [
            "-C",
            str(tmp_path),
            "import",
            str(IMPORT / "scopus.bib"),
            "--source",
            "scopus",
            "--into",
            str(path),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "is not a corpus file: an import would overwrite it with BibTeX" in result.stderr
    assert path.read_bytes() == before


def test_import_under_a_source_the_protocol_does_not_list_warns_with_a_suggestion(
    tmp_path: Path,
) -> None:
    import shutil

    shutil.copy(Path(__file__).resolve().parent.parent / "review.yaml", tmp_path / "review.yaml")
    (tmp_path / "corpus").mkdir()
    result = CliRunner().invoke(
        cli,
        ["-C", str(tmp_path), "import", str(IMPORT / "pubmed.nbib"), "--source", "databse-search"],
    )
    assert result.exit_code == 0, result.output
    assert (
        "review.yaml: warning: source 'databse-search' is not among review.yaml's sources "
        "(database-search, citation-tracing, policy-websites) (did you mean 'database-search'?)"
    ) in result.stderr


def test_output_cut_short_by_a_closed_pipe_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # `litreview screen prisma | head -1`: the reader stops early and the next write fails with
    # BrokenPipeError; that is no failure of the review's files ("cannot use this file" was printed)
    from litreview.cli import _common

    monkeypatch.setattr(
        _common, "_quiet_stdout", lambda: None, raising=False
    )  # CliRunner's stdout has no descriptor

    @click.command()
    @_common.handle_errors
    def talk() -> None:
        raise BrokenPipeError(32, "Broken pipe")

    result = CliRunner().invoke(talk, [])
    assert result.exit_code == 0
    assert "Broken pipe" not in result.output and "error" not in result.output


def test_the_public_api_resolves_every_name_and_importing_it_loads_no_heavy_module() -> None:
    code = (
        "import sys, litreview; heavy = [m for m in ('rapidfuzz', 'jinja2', 'rich', 'pybtex', 'yaml') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    import litreview

    for name in litreview.__all__:
        assert getattr(litreview, name) is not None, name
    with pytest.raises(AttributeError):
        litreview.no_such_thing  # noqa: B018


@pytest.mark.skipif(sys.platform == "win32", reason="starts the program with its stdout closed")
def test_the_program_runs_with_its_standard_output_closed() -> None:
    """A cron job or service may start it with no stdout: there is nothing to flush then."""
    import os

    out = subprocess.run(
        [sys.executable, "-m", "litreview", "--version"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("inside", ["corpus/sub", "notes"])
def test_init_inside_a_review_is_refused_and_writes_nothing(tmp_path: Path, inside: str) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "outer")]).exit_code == 0
    inner = tmp_path / "outer" / inside
    result = CliRunner().invoke(cli, ["init", str(inner)])
    assert result.exit_code == 2
    assert "is inside the review at" in result.stderr and str(tmp_path / "outer") in result.stderr
    assert not (inner / "review.yaml").exists()
