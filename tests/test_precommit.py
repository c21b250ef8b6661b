"""The pre-commit hook (`.pre-commit-hooks.yaml`) guards a review repository's commits.

Three levels, each runnable without the one after it:

1. the hook definition itself: its ``entry`` run the way pre-commit would run it (only when a
   changed file matches ``files``; with or without file names as ``pass_filenames`` says), on a
   clean and on a broken review;
2. pre-commit itself in a scratch git repository (skipped when pre-commit is not installed): a
   clean commit goes through, a broken one is refused with litreview's message, and the fixed
   one goes through again. The hook is declared as a ``repo: local`` copy of our definition, run
   with the litreview of this environment, so no network is needed;
3. pre-commit installing the hook from a repository as a review repository would (``repo:`` a
   git snapshot of this working tree, ``rev:`` its commit), which builds a fresh virtualenv from
   PyPI: only with ``LITREVIEW_TEST_PRECOMMIT_INSTALL=1`` (it needs the network and ~30 s).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent  # the environment litreview is installed in


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    (only,) = [h for h in hooks if h["id"] == "litreview-check"]
    assert isinstance(only, dict)
    return only


def env(tmp_path: Path) -> dict[str, str]:
    out = dict(os.environ)
    out["PATH"] = f"{BIN}{os.pathsep}{out.get('PATH', '')}"
    out["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    out["NO_COLOR"] = "1"
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        out.pop(var, None)
    return out


def git(repo: Path, *args: str, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env=environ,
        check=False,
        timeout=300,
    )


def make_review(folder: Path) -> Path:
    """A copy of the shipped review: protocol, themes and corpus (158 records)."""
    folder.mkdir()
    for name in ("review.yaml", "themes.yaml"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    (folder / "README.md").write_text("A review.\n", encoding="utf-8")
    (folder / ".gitignore").write_text(
        "build/\n.litreview-cache/\n", encoding="utf-8"
    )  # as `litreview init` writes
    return folder


def break_corpus(review: Path) -> None:
    """Give a second entry the key of the first: an error `litreview check` must refuse."""
    path = review / "corpus" / "records.bib"
    text = path.read_text(encoding="utf-8")
    assert "@article{Brown2011," in text
    path.write_text(
        text.replace("@article{Brown2011,", "@article{Davies2003a,", 1), encoding="utf-8"
    )


def mend_corpus(review: Path) -> None:
    shutil.copy(ROOT / "corpus" / "records.bib", review / "corpus" / "records.bib")


DUPLICATE_KEY = re.compile(
    r"corpus/records\.bib:\d+ \[Davies2003a\]: error: citation key 'Davies2003a' is used twice"
)


# --- 1. the hook definition, without pre-commit ------------------------------------------------


def test_hook_definition_is_complete_and_runs_litreview_check() -> None:
    h = hook()
    assert h["name"] and h["description"]
    assert shlex.split(h["entry"]) == ["litreview", "check"]
    assert h["language"] == "python"  # pre-commit installs this repository into a virtualenv
    assert h["pass_filenames"] is False  # the check reads the whole review, not single files
    re.compile(h["files"])


@pytest.mark.parametrize(
    ("changed", "runs"),
    [
        (["corpus/records.bib"], True),
        (["corpus/screening.yaml"], True),
        (["corpus/screening/R2.yaml"], True),
        (["review.yaml"], True),
        (["themes.yaml"], True),
        (["templates/appendix.md.j2"], True),
        (["README.md"], False),
        (["notes/review.yaml.bak", "docs/themes.yaml"], False),
    ],
)
def test_hook_runs_only_when_a_review_file_changes(changed: list[str], runs: bool) -> None:
    files = re.compile(hook()["files"])
    assert any(files.search(name) for name in changed) is runs


def run_hook_as_precommit_would(
    review: Path, changed: list[str], tmp_path: Path
) -> subprocess.CompletedProcess[str] | None:
    """None when pre-commit would skip the hook (no changed file matches ``files``)."""
    h = hook()
    matching = [name for name in changed if re.search(h["files"], name)]
    if not matching:
        return None
    argv = shlex.split(h["entry"]) + ([] if h.get("pass_filenames") is False else matching)
    exe = shutil.which(argv[0], path=str(BIN))
    if exe is None:
        pytest.skip(f"{argv[0]} is not installed in {BIN}")
    return subprocess.run(
        [exe, *argv[1:]],
        cwd=review,
        capture_output=True,
        text=True,
        env=env(tmp_path),
        check=False,
        timeout=300,
    )


def test_hook_entry_passes_a_clean_review_and_fails_a_broken_one(tmp_path: Path) -> None:
    review = make_review(tmp_path / "review")
    clean = run_hook_as_precommit_would(review, ["corpus/records.bib"], tmp_path)
    assert clean is not None
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "0 errors" in clean.stdout

    break_corpus(review)
    assert run_hook_as_precommit_would(review, ["README.md"], tmp_path) is None
    broken = run_hook_as_precommit_would(review, ["corpus/records.bib"], tmp_path)
    assert broken is not None
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert DUPLICATE_KEY.search(broken.stdout), broken.stdout


# --- 2. pre-commit in a scratch git repository --------------------------------------------------


def precommit() -> list[str]:
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip(
            "pre-commit is not installed (pip install pre-commit); the hook definition is "
            "still tested without it above"
        )
    return [sys.executable, "-m", "pre_commit"]


def scratch_repo(tmp_path: Path, config: str) -> tuple[Path, dict[str, str]]:
    environ = env(tmp_path)
    review = make_review(tmp_path / "review")
    for args in (
        ("init", "-q"),
        ("config", "user.name", "Test Reviewer"),
        ("config", "user.email", "reviewer@example.org"),
        ("config", "commit.gpgsign", "false"),
    ):
        result = git(review, *args, environ=environ)
        assert result.returncode == 0, result.stderr
    (review / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    installed = subprocess.run(
        [*precommit(), "install"],
        cwd=review,
        capture_output=True,
        text=True,
        env=environ,
        check=False,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return review, environ


def local_config() -> str:
    """Our hook as a ``repo: local`` hook run with this environment's litreview (no install)."""
    h = hook()
    local = {k: h[k] for k in ("id", "name", "entry", "pass_filenames", "files")}
    local["language"] = "system"
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, sort_keys=False)


def commit(review: Path, message: str, environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert git(review, "add", "-A", environ=environ).returncode == 0
    return git(review, "commit", "-q", "-m", message, environ=environ)


def assert_hook_guards_commits(review: Path, environ: dict[str, str]) -> None:
    first = commit(review, "the review", environ)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (
        "litreview check" in first.stdout + first.stderr and "Passed" in first.stdout + first.stderr
    )

    break_corpus(review)
    refused = commit(review, "a broken corpus", environ)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "Failed" in out and DUPLICATE_KEY.search(out), out
    log = git(review, "log", "--format=%s", environ=environ).stdout.split("\n")
    assert log[0] == "the review"  # nothing was committed

    mend_corpus(review)
    (review / "README.md").write_text("A review, mended.\n", encoding="utf-8")
    mended = commit(review, "mended", environ)
    assert mended.returncode == 0, mended.stdout + mended.stderr
    assert git(review, "log", "--format=%s", environ=environ).stdout.split("\n")[:2] == [
        "mended",
        "the review",
    ]


def test_precommit_hook_refuses_a_broken_commit_and_passes_a_clean_one(tmp_path: Path) -> None:
    if shutil.which("litreview", path=str(BIN)) is None:
        pytest.skip(f"litreview is not installed in {BIN}")
    review, environ = scratch_repo(tmp_path, local_config())
    assert_hook_guards_commits(review, environ)


# --- 3. pre-commit installing the hook from a repository ----------------------------------------


def snapshot_of_working_tree(dest: Path, environ: dict[str, str]) -> str:
    """This working tree (tracked and new files, uncommitted changes included) as a one-commit repo."""
    listed = git(
        ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard", environ=environ
    )
    if listed.returncode != 0:
        pytest.skip(f"{ROOT} is not a git working tree")
    dest.mkdir()
    for name in filter(None, listed.stdout.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    for args in (
        ("init", "-q"),
        ("config", "user.name", "Snapshot"),
        ("config", "user.email", "snapshot@example.org"),
        ("add", "-A"),
        ("commit", "-q", "--no-verify", "-m", "snapshot"),
    ):
        result = git(dest, *args, environ=environ)
        assert result.returncode == 0, result.stderr
    return git(dest, "rev-parse", "HEAD", environ=environ).stdout.strip()


@pytest.mark.skipif(
    os.environ.get("LITREVIEW_TEST_PRECOMMIT_INSTALL") != "1",
    reason="installs litreview from PyPI into a new virtualenv (network, ~30 s); "
    "set LITREVIEW_TEST_PRECOMMIT_INSTALL=1 to run",
)
def test_precommit_installs_the_hook_from_the_repository(tmp_path: Path) -> None:
    environ = env(tmp_path)
    environ["PATH"] = os.pathsep.join(
        p for p in environ["PATH"].split(os.pathsep) if Path(p) != BIN
    )
    snapshot = tmp_path / "litreview-repo"
    rev = snapshot_of_working_tree(snapshot, environ)
    config = yaml.safe_dump(
        {"repos": [{"repo": str(snapshot), "rev": rev, "hooks": [{"id": "litreview-check"}]}]},
        sort_keys=False,
    )
    review, _ = scratch_repo(tmp_path, config)
    assert_hook_guards_commits(review, environ)
