"""Shared fixtures: every test runs in its own folder with a clean environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolate(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    # the corpus cache's key lives in the user's cache folder: never the real one in tests
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or a skip saying why when the folder is absent."""
    path = SHARED.joinpath("data", *parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (only developers with ../shared have it)")
    return path


def copy_of_shipped_review(root: Path) -> Path:
    """A copy of the shipped review repository (protocol, themes, corpus) at ``root``, so a test
    never writes into the project."""
    import shutil

    root.mkdir(parents=True)
    for name in ("review.yaml", "themes.yaml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "corpus", root / "corpus")
    return root


def imported_review(tmp_path: Path, entries: str) -> Path:
    """A new review (``litreview init``) at ``tmp_path/review`` with ``entries`` (BibTeX text)
    imported as one export of source ``scopus``."""
    root = tmp_path / "review"
    code, _out, err = invoke(tmp_path, "init", str(root))
    assert code == 0, err
    export = tmp_path / "search.bib"
    export.write_text(entries, encoding="utf-8")
    code, _out, err = invoke(root, "import", str(export), "--source", "scopus")
    assert code == 0, err
    return root


def import_one_export(tmp_path: Path, name: str, text: str) -> tuple[str, str]:
    """``text`` saved as the export ``name`` and imported (source ``database-search``) into a
    new review at ``tmp_path`` with the shipped protocol: the command's output and the corpus
    file it wrote."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "review.yaml").write_text((ROOT / "review.yaml").read_text())
    export = tmp_path / name
    export.write_text(text, encoding="utf-8")
    _code, out, err = invoke(tmp_path, "import", str(export), "--source", "database-search")
    return out + err, (tmp_path / "corpus" / "records.bib").read_text(encoding="utf-8")


def invoke(root: Path, *args: str) -> tuple[int, str, str]:
    """``litreview -C ROOT ARGS...`` in this process: exit code, stdout, stderr. A traceback is
    never an answer a user should see, so it fails the test whatever the exit code."""
    from click.testing import CliRunner

    from litreview.cli import cli

    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    assert "Traceback" not in result.output, result.output
    # an exception the command let through is exit 1 in CliRunner, which a test expecting
    # "findings" would take for an answer; it is a traceback for a user
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr
