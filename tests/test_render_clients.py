"""The outputs in the real programs that read them; each test is skipped, with the reason, when its
program is absent. ``sh scripts/install-clients.sh`` installs them (``--check`` reports what is there).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from litreview.report.render import RenderInput, render_all
from tests.render_helpers import load_case

INSTALL = "sh scripts/install-clients.sh installs it"
MAC_BROWSERS = (
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)


def need(*programs: str) -> str:
    for p in programs:
        found = shutil.which(p)
        if found:
            return found
    names = programs[0] if len(programs) == 1 else "none of " + ", ".join(programs)
    pytest.skip(f"{names} {'is not' if len(programs) == 1 else 'is'} on PATH ({INSTALL})")


def latex_engine() -> str:
    engine = need("pdflatex", "lualatex", "xelatex")
    kpsewhich = shutil.which("kpsewhich")
    for package in ("booktabs", "longtable"):
        if (
            kpsewhich
            and not subprocess.run(
                [kpsewhich, f"{package}.sty"], capture_output=True, text=True
            ).stdout.strip()
        ):
            pytest.skip(f"the LaTeX package {package} is not installed ({INSTALL})")
    return engine


def pandoc_with_citeproc() -> str:
    pandoc = need("pandoc")
    first = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split(
        "\n", 1
    )[0]
    version = re.search(r"(\d+)\.(\d+)", first)
    if version is None or (int(version.group(1)), int(version.group(2))) < (2, 11):
        pytest.skip(
            f"{first.strip() or 'pandoc'} has no --citeproc (2.11 or newer needed; {INSTALL})"
        )
    return pandoc


def browser() -> str:
    named = os.environ.get("LITREVIEW_CHROMIUM", "")
    if named and os.access(named, os.X_OK):
        return named
    for program in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(program)
        if found:
            return found
    for app in MAC_BROWSERS:
        if os.access(app, os.X_OK):
            return app
    pytest.skip(
        f"no Chromium or Google Chrome found: neither on PATH nor LITREVIEW_CHROMIUM ({INSTALL})"
    )


def compile_evidence_table(engine: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """The LaTeX engine run on ``folder/evidence-table.tex`` as a person would, stopping at the
    first error."""
    return subprocess.run(
        [
            engine,
            "-interaction=nonstopmode",
            "-halt-on-error",
            "-no-shell-escape",
            "evidence-table.tex",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("case", ["powell-davies", "hostile"])
def test_latex_evidence_table_compiles(case: str, tmp_path: Path) -> None:
    engine = latex_engine()
    render_all(load_case(case), tmp_path, formats=("tex",))
    run = compile_evidence_table(engine, tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "evidence-table.pdf").stat().st_size > 1000


@pytest.mark.parametrize("case", ["powell-davies", "hostile"])
def test_pandoc_citeproc_resolves_every_citation_of_the_narrative(
    case: str, tmp_path: Path
) -> None:
    pandoc = pandoc_with_citeproc()
    data = load_case(case)
    render_all(data, tmp_path, formats=("md",))
    # no --bibliography: narrative.md's YAML header names the references.bib written beside it
    run = subprocess.run(
        [pandoc, "--citeproc", "-t", "html", "narrative.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "not found" not in run.stderr  # pandoc warns "[WARNING] Citeproc: citation X not found"
    assert "<script" not in run.stdout and "<img" not in run.stdout
    for s in data.studies:
        if s.themes or case == "powell-davies":
            assert f'data-cites="{s.key}"' in run.stdout


def test_pandoc_makes_a_docx_of_the_shipped_narrative_with_no_other_argument(
    tmp_path: Path,
) -> None:
    import zipfile

    from click.testing import CliRunner

    from litreview.cli import cli
    from tests.conftest import ROOT

    pandoc = pandoc_with_citeproc()
    build = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["-C", str(ROOT), "render", "--format", "md", "--out", str(build)]
    )
    assert result.exit_code == 0, result.output
    run = subprocess.run(
        [pandoc, "--citeproc", "narrative.md", "-o", "narrative.docx"],
        cwd=build,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "not found" not in run.stderr, run.stderr
    with zipfile.ZipFile(build / "narrative.docx") as docx:
        text = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))
    # a corporate publisher with "and" in its name stays one name, and corporate authors print whole
    assert (
        "NHS Institute for Innovation and Improvement and Academy of Medical Royal Colleges" in text
    )
    assert "Innovation; Improvement" not in text
    assert "British Medical Association. 2005" in text


def test_html_pages_load_in_chromium_without_console_errors(tmp_path: Path) -> None:
    chromium = browser()
    render_all(load_case("hostile"), tmp_path, formats=("html",))
    render_all(load_case("powell-davies"), tmp_path / "pd", formats=("html",))
    for page in (
        tmp_path / "appendix.html",
        tmp_path / "evidence-table.html",
        tmp_path / "pd" / "appendix.html",
    ):
        run = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--enable-logging=stderr",
                "--v=0",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
        assert console == [], console
        assert "<tbody>" in run.stdout


#: a citation style that prints each work's title in sentence case, as APA and Vancouver do
SENTENCE_CASE_CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-GB">
  <info><title>Titles in sentence case</title><id>sentence-case-titles</id>
    <updated>2026-12-07T00:00:00+00:00</updated></info>
  <citation><layout><text variable="citation-number"/></layout></citation>
  <bibliography><layout suffix="|"><text variable="title" text-case="sentence"/></layout>
  </bibliography>
</style>
"""


def _titles_with_names() -> tuple[RenderInput, set[str]]:
    """The shipped case with three titles full of names ("in London", "the Francis inquiry"),
    and the capitalised words after each title's first, which a style that lowercases titles
    would lowercase unless told not to."""
    import dataclasses

    data = load_case("powell-davies")
    titles = iter(
        (
            "Clinical directors in London after the Francis inquiry",
            "Medical leadership in Mid Staffordshire: lessons for England",
            "Doctors and managers in Wales, Scotland and Northern Ireland",
        )
    )
    studies = tuple(
        dataclasses.replace(s, record=dataclasses.replace(s.record, title=next(titles, "")))
        if i < 3
        else s
        for i, s in enumerate(data.studies)
    )
    data = dataclasses.replace(data, studies=studies)
    names = {
        w.strip(".,:;?!()'\"")
        for s in data.studies
        for w in s.record.title.split()[1:]
        if w[:1].isupper() and w[1:].islower()
    }
    assert len(names) >= 8, names
    return data, names


def test_pandoc_in_a_sentence_case_style_keeps_the_capitals_of_names_in_titles(
    tmp_path: Path,
) -> None:
    # a sentence-case style lowercases every capitalised word it is not told to keep, and the
    # narrative's bibliography (references.json) tells it to keep them all
    pandoc = pandoc_with_citeproc()
    data, names = _titles_with_names()
    render_all(data, tmp_path, formats=("md",))
    (tmp_path / "sentence.csl").write_text(SENTENCE_CASE_CSL, encoding="utf-8")
    run = subprocess.run(
        [pandoc, "--citeproc", "--csl", "sentence.csl", "-t", "plain", "--wrap=none"],
        input="---\nbibliography: references.json\nnocite: '@*'\n---\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    printed = run.stdout.replace("\u2019", "'")  # citeproc's curly apostrophes
    lowered = sorted(w for w in names if w not in printed)
    assert not lowered, lowered


def test_bibtex_plain_style_keeps_the_capitals_of_names_in_titles_of_references_bib(
    tmp_path: Path,
) -> None:
    # BibTeX's plain style prints an article's title lowercased but for its first letter and
    # what braces protect
    engine = latex_engine()
    bibtex = need("bibtex")
    data, names = _titles_with_names()
    render_all(data, tmp_path, formats=("md",))
    (tmp_path / "refs.tex").write_text(
        "\\documentclass{article}\\begin{document}\\nocite{*}"
        "\\bibliographystyle{plain}\\bibliography{references}\\end{document}\n",
        encoding="utf-8",
    )
    latex = subprocess.run(
        [engine, "-interaction=nonstopmode", "refs.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (tmp_path / "refs.aux").exists(), latex.stdout[-2000:]
    run = subprocess.run(
        [bibtex, "refs"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout
    printed = (tmp_path / "refs.bbl").read_text(encoding="utf-8")
    lowered = sorted(w for w in names if w not in printed)
    assert not lowered, lowered
