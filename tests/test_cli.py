"""The command line: help for every command, exit codes, stdout for results, stderr for the rest."""

from __future__ import annotations

import json
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


@pytest.mark.parametrize(("name", "command"), _all_commands(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help and "Example:" in command.help, f"`litreview {name}` needs an Example: block"


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
    out = subprocess.run([sys.executable, "-m", "litreview", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "Usage:" in out.stdout


def test_import_clean_file_exits_0_and_prints_reconciliation(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "wos.ciw"), "--source", "wos"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "read 2 = added 2 + already in corpus 0 + rejected 0"
    assert (tmp_path / "corpus" / "records.bib").exists()


def test_import_with_rejects_exits_1_and_names_file_and_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "scopus.bib"), "-s", "scopus"])
    assert result.exit_code == 1
    assert "scopus.bib:26: error: malformed BibTeX entry" in result.stderr
    assert "rejected 1" in result.stdout
    assert (tmp_path / "corpus" / "rejects" / "scopus.txt").exists()


def test_import_missing_file_exits_2_without_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "import", "nope.ris", "-s", "x"])
    assert result.exit_code == 2
    assert "nope.ris: error: no such file" in result.stderr
    assert "Traceback" not in result.output


def test_import_without_source_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "wos.ciw")])
    assert result.exit_code == 2 and "--source" in result.stderr


def test_import_json_reconciles(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "ovid.ris"), "-s", "ovid", "--json"])
    data = json.loads(result.stdout)
    assert data["read"] == data["added"] + data["already_in_corpus"] + data["rejected"] == 4
    assert data["version"] == 1


def test_stats_json_counts_sources_and_types(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "pubmed.nbib"), "-s", "pubmed"])
    runner.invoke(cli, ["-C", str(tmp_path), "import", str(IMPORT / "wos.ciw"), "-s", "wos"])
    result = runner.invoke(cli, ["-C", str(tmp_path), "stats", "--json"])
    data = json.loads(result.stdout)
    assert data["records"] == 4
    assert data["by_source"] == {"pubmed": 2, "wos": 2}
    assert data["missing"]["abstract"] == 3


def test_docs_command_reference_matches_help() -> None:
    from .conftest import ROOT

    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_reference.py")],
                         capture_output=True, text=True, check=True)
    assert (ROOT / "docs" / "cli.md").read_text() == out.stdout, "run `make docs` to regenerate docs/cli.md"
