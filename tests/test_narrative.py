"""The narrative skeleton follows where the review cites each work (corpus/narrative.yaml).

Before the map, the skeleton pasted every tagged study's one summary under every theme it was
tagged with (one study six times) and listed none of the other sources the review draws on.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from litreview.cli import cli
from litreview.files.yamlio import load_yaml
from litreview.report.narrative import parse_narrative

from .conftest import ROOT, copy_of_shipped_review

THEME_LABEL = next(
    t["label"]
    for t in yaml.safe_load((ROOT / "themes.yaml").read_text(encoding="utf-8"))["themes"]
    if t["id"] == "improving-worsening"
)

MAP = """\
version: 1
sections:
- id: improving-worsening
  theme: improving-worsening
  lines: [144, 179]
  subsections:
  - title: Continuing concerns
    lines: [150, 165]
    cites:
    - {key: Hoque2004, role: direct, lines: [160, 170]}
    - {key: Crilly2004, role: related, lines: [162]}
    - {key: Francis2013, role: background, lines: [152]}
    - {ref: "Somebody and others 2009", role: background, lines: [153]}
  - title: Working well together
    lines: [166, 179]
    cites:
    - {key: Hoque2004, role: direct, lines: [170]}
    - {key: Kirkpatrick2009, role: international, lines: [171]}
- id: clinical-leadership
  title: The push for clinical leadership
  lines: [352, 381]
  subsections:
  - title: Overview
    cites:
    - {key: Hoque2004, role: direct, lines: [360]}
"""


def _review(tmp_path: Path, text: str = MAP) -> Path:
    root = copy_of_shipped_review(tmp_path / "review")
    (root / "corpus" / "narrative.yaml").write_text(text, encoding="utf-8")
    return root


def test_the_skeleton_follows_the_map_and_summarises_each_study_once(tmp_path: Path) -> None:
    root = _review(tmp_path)
    result = CliRunner().invoke(cli, ["-C", str(root), "render", "--format", "md"])
    assert result.exit_code == 0, result.output
    text = (root / "build" / "narrative.md").read_text(encoding="utf-8")
    assert "### Continuing concerns" in text and "## The push for clinical leadership" in text
    assert "*In the review:* lines 150–165." in text
    hoque = [line for line in text.splitlines() if line.startswith("- [@Hoque2004]")]
    assert len(hoque) == 3
    # the first listing carries the summary, the later ones point back to it
    assert (
        hoque[0].startswith("- [@Hoque2004] (lines 160, 170): ")
        and "summarised under" not in hoque[0]
    )
    first = f"*{THEME_LABEL}: Continuing concerns*"
    assert hoque[1] == f"- [@Hoque2004] (line 170): summarised under {first}"
    assert hoque[2] == f"- [@Hoque2004] (line 360): summarised under {first}"
    # works by role, including those with no record and those from other countries
    assert (
        "Studies from other countries, in whole or in part:" in text
        and "- [@Kirkpatrick2009] (line 171)" in text
    )
    assert (
        "Background sources:" in text
        and "- Somebody and others 2009 (line 153; no record in the corpus)" in text
    )
    # tagged studies the review does not cite in this theme, and included studies it never cites
    assert "Tagged with this theme but not cited in this section of the review:" in text
    assert "## Included studies the review does not cite in these sections" in text
    # the works cited but not included resolve: references.bib carries them
    bib = (root / "build" / "references.bib").read_text(encoding="utf-8")
    assert "{Kirkpatrick2009," in bib and "{Francis2013," in bib and "{Hoque2004," in bib


def test_without_a_map_the_skeleton_keeps_one_section_per_theme(tmp_path: Path) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    (root / "corpus" / "narrative.yaml").unlink()
    result = CliRunner().invoke(cli, ["-C", str(root), "render", "--format", "md"])
    assert result.exit_code == 0, result.output
    text = (root / "build" / "narrative.md").read_text(encoding="utf-8")
    assert "one section per theme" in text and "###" not in text


def _problems(text: str, **kw: object) -> list[tuple[int | None, str]]:
    path = Path("narrative.yaml")
    path.write_text(text, encoding="utf-8")
    result = parse_narrative(
        load_yaml(path, "corpus/narrative.yaml"), "corpus/narrative.yaml", **kw
    )  # type: ignore[arg-type]
    return [(p.location.line, p.code) for p in result.problems]


def test_each_mistake_in_the_map_is_reported_at_its_line() -> None:
    text = (
        MAP.replace("role: international", "role: internatinal")
        .replace("Crilly2004", "Crily2004")
        .replace("theme: improving-worsening", "theme: improving")
    )
    found = _problems(
        text,
        known_keys={"Hoque2004", "Crilly2004", "Francis2013", "Kirkpatrick2009"},
        relevance={"Hoque2004": "direct", "Crilly2004": "related"},
        theme_ids=["improving-worsening"],
    )
    assert (4, "unknown-theme") in found
    assert (11, "unknown-key-ref") in found
    assert (18, "narrative-role") in found


def test_a_role_that_disagrees_with_the_extraction_is_an_error() -> None:
    text = MAP.replace("{key: Crilly2004, role: related", "{key: Crilly2004, role: direct")
    found = _problems(text, relevance={"Hoque2004": "direct", "Crilly2004": "related"})
    assert (11, "narrative-role") in found
    # an excluded record cited as an included study
    text = MAP.replace("{key: Francis2013, role: background", "{key: Francis2013, role: direct")
    assert (12, "narrative-role") in _problems(
        text, relevance={"Hoque2004": "direct", "Crilly2004": "related"}
    )


def test_check_fails_a_map_that_cites_a_record_not_in_the_corpus(tmp_path: Path) -> None:
    root = _review(tmp_path, MAP.replace("Kirkpatrick2009", "Kirkpatrick2099"))
    result = CliRunner().invoke(cli, ["-C", str(root), "check"])
    assert result.exit_code == 1, result.output
    assert "corpus/narrative.yaml:18" in result.output and "Kirkpatrick2099" in result.output


def test_a_change_to_the_map_renders_again(tmp_path: Path) -> None:
    root = _review(tmp_path)
    CliRunner().invoke(cli, ["-C", str(root), "run"])
    assert "Continuing concerns" in (root / "build" / "narrative.md").read_text(encoding="utf-8")
    (root / "corpus" / "narrative.yaml").write_text(
        MAP.replace("Continuing concerns", "Lasting worries"), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["-C", str(root), "run"])
    assert "Lasting worries" in (root / "build" / "narrative.md").read_text(encoding="utf-8"), (
        result.output
    )


def test_the_appendix_lists_the_studies_from_other_countries_apart_from_the_included_ones(
    tmp_path: Path,
) -> None:
    root = _review(tmp_path)
    result = CliRunner().invoke(cli, ["-C", str(root), "render", "--format", "md,html"])
    assert result.exit_code == 0, result.output
    md = (root / "build" / "appendix.md").read_text(encoding="utf-8")
    section = md.split(
        "## Studies from other countries, in whole or in part, that the review draws on", 1
    )[1].split("\n## ", 1)[0]
    entries = [line for line in section.splitlines() if line.startswith("- ")]
    assert (
        len(entries) == 1
        and "Kirkpatrick" in entries[0]
        and entries[0].endswith(f"Used in: {THEME_LABEL}.")
    )
    # it is not counted or listed among the included studies' references
    assert "Kirkpatrick" not in md.split("## References", 1)[1]
    html = (root / "build" / "appendix.html").read_text(encoding="utf-8")
    assert (
        "<h2>Studies from other countries, in whole or in part, that the review draws on</h2>"
        in html
        and 'id="ref-Kirkpatrick2009"' in html
    )
    # without a map there is no such section
    plain = copy_of_shipped_review(tmp_path / "plain")
    (plain / "corpus" / "narrative.yaml").unlink()
    assert CliRunner().invoke(cli, ["-C", str(plain), "render", "--format", "md"]).exit_code == 0
    assert "other countries" not in (plain / "build" / "appendix.md").read_text(encoding="utf-8")


def test_the_shipped_reviews_skeleton_follows_its_map_and_cites_every_included_study(
    tmp_path: Path,
) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    result = CliRunner().invoke(cli, ["-C", str(root), "render", "--format", "md"])
    assert result.exit_code == 0, result.output
    text = (root / "build" / "narrative.md").read_text(encoding="utf-8")
    # every section of the review's sections 2-4, each study summarised once
    assert text.count("\n## ") >= 8 and "## Included studies the review does not cite" not in text
    summaries = [
        line.split("]", 1)[0]
        for line in text.splitlines()
        if line.startswith("- [@")
        and ": " in line
        and "summarised under" not in line
        and not line.rstrip().endswith(")")
    ]
    assert len(summaries) == len(set(summaries))
    bib = (root / "build" / "references.bib").read_text(encoding="utf-8")
    cited = {line.split("]", 1)[0][4:] for line in text.splitlines() if line.startswith("- [@")}
    assert all(f"{{{key}," in bib for key in cited), "every cited work resolves in references.bib"
