"""The outputs in the real programs that read them; each test is skipped when its program is absent.

``apt-get install pandoc chromium texlive-latex-recommended`` provides all three.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from litreview.io.bibtex import format_corpus
from litreview.render import render_all
from tests.render_helpers import load_case


def need(*programs: str) -> str:
    for p in programs:
        found = shutil.which(p)
        if found:
            return found
    pytest.skip(f"none of {', '.join(programs)} is installed")


@pytest.mark.parametrize("case", ["powell-davies", "hostile"])
def test_latex_evidence_table_compiles(case: str, tmp_path: Path) -> None:
    engine = need("pdflatex", "lualatex", "xelatex")
    render_all(load_case(case), tmp_path, formats=("tex",))
    run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                          "evidence-table.tex"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "evidence-table.pdf").stat().st_size > 1000


@pytest.mark.parametrize("case", ["powell-davies", "hostile"])
def test_pandoc_citeproc_resolves_every_citation_of_the_narrative(case: str, tmp_path: Path) -> None:
    pandoc = need("pandoc")
    data = load_case(case)
    render_all(data, tmp_path, formats=("md",))
    (tmp_path / "records.bib").write_text(format_corpus(s.record for s in data.studies), encoding="utf-8")
    run = subprocess.run([pandoc, "--citeproc", "--bibliography", "records.bib", "-t", "html", "narrative.md"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "not found" not in run.stderr  # pandoc warns "[WARNING] Citeproc: citation X not found"
    assert "<script" not in run.stdout and "<img" not in run.stdout
    for s in data.studies:
        if s.themes or case == "powell-davies":
            assert f'data-cites="{s.key}"' in run.stdout


def test_html_pages_load_in_chromium_without_console_errors(tmp_path: Path) -> None:
    chromium = need("chromium", "chromium-browser", "google-chrome")
    render_all(load_case("hostile"), tmp_path, formats=("html",))
    render_all(load_case("powell-davies"), tmp_path / "pd", formats=("html",))
    for page in (tmp_path / "appendix.html", tmp_path / "evidence-table.html", tmp_path / "pd" / "appendix.html"):
        run = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr", "--v=0",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]
        console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
        assert console == [], console
        assert "<tbody>" in run.stdout
