"""The CI workflow `litreview init` writes installs a litreview that exists, and its steps pass.

A scaffolded workflow that runs `pip install litreview` fails on its first push while litreview
is not on PyPI. `init` records how the running litreview was installed instead; this runs the
workflow's own steps, as a runner would, on a fresh review.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from litreview.cli import cli
from litreview.workflow.scaffold import install_spec


def _workflow(root: Path) -> dict:  # type: ignore[type-arg]
    data = yaml.safe_load((root / ".github" / "workflows" / "litreview.yml").read_text())
    assert isinstance(data, dict)
    return data


def test_init_records_how_this_litreview_was_installed(tmp_path: Path) -> None:
    from importlib import metadata

    assert CliRunner().invoke(cli, ["init", str(tmp_path / "r")]).exit_code == 0
    steps = _workflow(tmp_path / "r")["jobs"]["check"]["steps"]
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    spec = install["env"]["LITREVIEW"]
    assert spec == install_spec()
    raws = [d.read_text("direct_url.json") for d in metadata.distributions(name="litreview")]
    raw = next((r for r in raws if r), None)
    if raw:  # installed from a folder or a URL: that place, never a bare name pip cannot find
        url = json.loads(raw)["url"]
        assert spec.startswith("litreview @ ") and (url in spec or "git+" in spec)
    else:
        assert spec == f"litreview=={metadata.version('litreview')}"


def test_init_install_option_names_another_requirement(tmp_path: Path) -> None:
    spec = "litreview @ git+https://example.org/team/litreview@v1.2"
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "r"), "--install", spec]).exit_code == 0
    steps = _workflow(tmp_path / "r")["jobs"]["check"]["steps"]
    assert any(s.get("env", {}).get("LITREVIEW") == spec for s in steps)


def _reachable(spec: str) -> bool:
    """Whether git can read the repository a ``litreview @ git+URL@COMMIT`` spec names."""
    url = spec.split("git+", 1)[1].rsplit("@", 1)[0]
    done = subprocess.run(
        ["git", "ls-remote", url, "HEAD"], capture_output=True, text=True, timeout=60, check=False
    )
    return done.returncode == 0


def test_the_scaffolded_workflow_steps_pass_on_a_fresh_review(tmp_path: Path) -> None:
    """Every `run:` step in order, in a new virtual environment (network: pip fetches litreview's
    dependencies from PyPI, as the runner would)."""
    if os.environ.get("LITREVIEW_OFFLINE") == "1":
        pytest.skip("LITREVIEW_OFFLINE=1: this test installs from PyPI")
    review = tmp_path / "review"
    spec = install_spec()
    args = ["init", str(review)]
    if spec.startswith("litreview @ git+") and not _reachable(spec):
        # a checkout whose origin this machine cannot reach (a clone of a clone that moved):
        # the steps are tested with the checkout itself, as a user would fix the line
        from .conftest import ROOT

        args += ["--install", f"litreview @ {ROOT.as_uri()}"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    environ["PATH"] = f"{bin_dir}{os.pathsep}{environ.get('PATH', '')}"
    for step in _workflow(review)["jobs"]["check"]["steps"]:
        if "run" not in step:
            continue  # actions/checkout and setup-python: the folder and the interpreter are here already
        command = step["run"].replace(
            "pip install", "pip install --quiet --disable-pip-version-check"
        )
        done = subprocess.run(
            ["bash", "-e", "-c", command],
            cwd=review,
            env={**environ, **step.get("env", {})},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, (step, done.stdout, done.stderr)
    assert (bin_dir / "litreview").exists()


def test_git_remotes_become_urls_pip_takes(tmp_path: Path) -> None:
    from litreview.workflow.scaffold import _git_url

    assert (
        _git_url("https://github.com/o/litreview.git", tmp_path)
        == "https://github.com/o/litreview.git"
    )
    assert (
        _git_url("git@github.com:o/litreview.git", tmp_path)
        == "ssh://git@github.com/o/litreview.git"
    )
    assert _git_url("/srv/litreview", tmp_path) == "file://localhost/srv/litreview"
    assert _git_url("../up", tmp_path / "here") == "file://localhost" + str(
        (tmp_path / "up").resolve()
    )


def test_the_scaffolds_searches_example_validates_once_uncommented(tmp_path: Path) -> None:
    root = tmp_path / "r"
    assert (
        CliRunner().invoke(cli, ["init", str(root), "--install", "litreview==0.1.0"]).exit_code == 0
    )
    protocol = root / "review.yaml"
    text = protocol.read_text(encoding="utf-8")
    assert "  # searches:\n  # - {" in text
    protocol.write_text(
        text.replace("  # searches:\n  # - {", "  searches:\n  - {").replace(
            "  #    query:", "     query:"
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["-C", str(root), "check", "--format", "json"])
    assert json.loads(result.stdout)["errors"] == 0, result.stdout


def test_init_keeps_litreviews_own_files_lf_in_every_checkout_and_exports_as_written(
    tmp_path: Path,
) -> None:
    # Git for Windows turns LF into CRLF on checkout; litreview writes LF, so every write of a
    # decisions file showed as a change of every line
    import shutil

    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    review = tmp_path / "r"
    assert CliRunner().invoke(cli, ["init", str(review)]).exit_code == 0
    subprocess.run([git, "init", "-q", str(review)], check=True)
    paths = [
        "review.yaml",
        "corpus/records.bib",
        "corpus/screening/R1.yaml",
        "corpus/duplicates.yaml",
        "corpus/searches/pubmed.nbib",
    ]
    shown = subprocess.run(
        [git, "check-attr", "text", "eol", "--", *paths],
        cwd=review,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for path in paths[:-1]:
        assert f"{path}: text: set\n{path}: eol: lf\n" in shown, shown
    assert "corpus/searches/pubmed.nbib: text: unset\n" in shown, shown
