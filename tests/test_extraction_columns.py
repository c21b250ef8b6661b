"""Extraction fields the protocol declares beyond the table's own appear in every evidence table.

They used to be validated and then shown nowhere but the CSV. A declared quality appraisal is
the case that matters: a review without one must say so in the table, not leave it out.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from litreview.cli import cli

from .conftest import copy_of_shipped_review

LABEL = "Quality appraisal (MMAT)"
DEFAULT = "to appraise from full text"


def _render(root: Path) -> dict[str, str]:
    result = CliRunner().invoke(cli, ["-C", str(root), "render", "--format", "md,html,tex,csv"])
    assert result.exit_code == 0, result.output
    return {
        name: (root / "build" / name).read_text(encoding="utf-8")
        for name in (
            "evidence-table.md",
            "evidence-table.html",
            "evidence-table.tex",
            "evidence-table.csv",
        )
    }


def test_the_shipped_reviews_appraisal_column_says_what_is_still_to_do(tmp_path: Path) -> None:
    out = _render(copy_of_shipped_review(tmp_path / "r"))
    md = out["evidence-table.md"]
    header = next(line for line in md.splitlines() if line.startswith("| Study |"))
    assert header.endswith(f"| {LABEL} |")
    rows = [
        line
        for line in md.splitlines()
        if line.startswith("| ") and not line.startswith("| Study |")
    ]
    assert rows and all(line.endswith(f"| {DEFAULT} |") for line in rows)
    assert f'<button type="button" data-col="8">{LABEL}</button>' in out["evidence-table.html"]
    assert out["evidence-table.html"].count(f"<td>{DEFAULT}</td>") == len(rows)
    assert f"Key findings & {LABEL}" in out["evidence-table.tex"]
    assert out["evidence-table.csv"].splitlines()[0].endswith(f",{LABEL}")


def test_a_studys_own_value_replaces_the_default_and_a_new_field_adds_a_column(
    tmp_path: Path,
) -> None:
    root = copy_of_shipped_review(tmp_path / "r")
    protocol = root / "review.yaml"
    protocol.write_text(
        protocol.read_text(encoding="utf-8").replace(
            "    default: to appraise from full text",
            "    default: to appraise from full text\n  - name: sample_size\n    label: Sample size",
        ),
        encoding="utf-8",
    )
    extraction = root / "corpus" / "extraction.yaml"
    text = extraction.read_text(encoding="utf-8")
    start = text.index("- key: Brown2011")
    line_end = text.index("\n", start)
    extraction.write_text(
        text[: line_end + 1]
        + "  appraisal: 'MMAT 4.1-4.5: all yes'\n  sample_size: '42'\n"
        + text[line_end + 1 :],
        encoding="utf-8",
    )
    md = _render(root)["evidence-table.md"]
    header = next(line for line in md.splitlines() if line.startswith("| Study |"))
    assert header.endswith(f"| {LABEL} | Sample size |")
    brown = next(line for line in md.splitlines() if line.startswith("| Brown and others, 2011"))
    assert brown.endswith("| MMAT 4.1-4.5: all yes | 42 |")
    other = next(line for line in md.splitlines() if line.startswith("| Forbes and Hallier, 2006"))
    assert other.endswith(f"| {DEFAULT} |  |")  # no value, no default: an empty cell


def test_a_default_that_is_not_text_is_reported_at_its_line(tmp_path: Path) -> None:
    root = copy_of_shipped_review(tmp_path / "r")
    protocol = root / "review.yaml"
    text = protocol.read_text(encoding="utf-8").replace(
        "    default: to appraise from full text", "    default: [to appraise]"
    )
    protocol.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    default: [to appraise]") + 1
    result = CliRunner().invoke(cli, ["-C", str(root), "check"])
    assert result.exit_code in (1, 2)
    assert f"review.yaml:{line}" in result.output


def test_the_protocols_synthesis_and_limitations_appear_in_the_appendix(tmp_path: Path) -> None:
    root = copy_of_shipped_review(tmp_path / "r")
    protocol = root / "review.yaml"
    text = protocol.read_text(encoding="utf-8")
    assert "\nsynthesis: >-" in text and "\nlimitations: >-" in text
    result = CliRunner().invoke(cli, ["-C", str(root), "render", "--format", "md,html"])
    assert result.exit_code == 0, result.output
    md = (root / "build" / "appendix.md").read_text(encoding="utf-8")
    html = (root / "build" / "appendix.html").read_text(encoding="utf-8")
    assert "### Synthesis\n\nA rapid narrative review (line 123)." in md
    assert "### Limitations\n\nThe review focused on UK studies" in md
    assert "<h3>Synthesis</h3>" in html and "<h3>Limitations</h3>" in html
    # a misspelt key is reported, not silently dropped
    protocol.write_text(text.replace("\nsynthesis: >-", "\nx-synthesis: >-"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(root), "check"])
    assert "unknown key 'x-synthesis'" in result.output


def test_linked_reports_of_one_study_are_counted_as_one_study_in_prisma_and_listed_together(
    tmp_path: Path,
) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    result = CliRunner().invoke(
        cli, ["-C", str(root), "render", "--format", "md,html,tex,svg,json"]
    )
    assert result.exit_code == 0, result.output
    build = root / "build"
    import json

    prisma = json.loads((build / "prisma.json").read_text(encoding="utf-8"))
    # the shipped review marks four linked reports: Dickinson 2013b (of 2013a), Forbes and Hallier 2006
    # (of Hallier and Forbes 2005), Greener 2007 (of 2005) and Moore and Buchanan 2013 (of Moore 2011)
    assert (prisma["included"], prisma["included_studies"]) == (35, 31)
    assert (prisma["included_direct"], prisma["included_related"]) == (10, 21)
    assert prisma["included_direct"] + prisma["included_related"] == prisma["included_studies"]
    appendix = (build / "appendix.md").read_text(encoding="utf-8")
    assert f"- Studies included: {prisma['included_studies']} (" in appendix
    assert f"- Reports of included studies: {prisma['included']} (" in appendix
    svg_text = (build / "prisma.svg").read_text(encoding="utf-8")
    assert f"Studies included in review (n = {prisma['included_studies']})" in svg_text
    assert f"Reports of included studies (n = {prisma['included']})" in svg_text
    table = (build / "evidence-table.md").read_text(encoding="utf-8").splitlines()
    main = next(
        i for i, line in enumerate(table) if line.startswith("| Dickinson and others, 2013a |")
    )
    assert table[main + 1].startswith(
        "| Dickinson and others, 2013b (linked report of Dickinson and others, 2013a) |"
    )
    hallier = next(
        i for i, line in enumerate(table) if line.startswith("| Hallier and Forbes, 2005 |")
    )
    assert table[hallier + 1].startswith(
        "| Forbes and Hallier, 2006 (linked report of Hallier and Forbes, 2005) |"
    )
    for name in ("evidence-table.html", "evidence-table.tex"):
        assert "Dickinson and others, 2013b (linked report of Dickinson and others, 2013a)" in (
            build / name
        ).read_text(encoding="utf-8")
    assert "35 reports of 31 studies included, in reference-list order" in "\n".join(table)
    # a linked report sits in its study's part, after the main report (Greener 2007 is a related
    # paper of the directly relevant Greener 2005 study)
    assert "### Directly relevant studies (13 reports of 10 studies)" in table
    assert "### Related studies (22 reports of 21 studies)" in table
    greener = next(i for i, line in enumerate(table) if line.startswith("| Greener, 2005 |"))
    assert table[greener + 1].startswith("| Greener, 2007 (linked report of Greener, 2005) |")
    # the evidence map counts a study once, naming its second report with it
    bubbles = (build / "evidence-map.svg").read_text(encoding="utf-8")
    assert "Hallier and Forbes, 2005 (with Forbes and Hallier, 2006)" in bubbles
    assert "Forbes and Hallier, 2006;" not in bubbles
    # a theme's count in the narrative skeleton is of studies: "Better or worse?" has 15 reports, and
    # Dickinson 2013a/b and Hallier/Forbes are two reports each of one study
    narrative = (build / "narrative.md").read_text(encoding="utf-8")
    counts = [
        int(line.split()[0])
        for line in narrative.splitlines()
        if line.endswith("tagged with this theme.")
    ]
    assert counts and counts[0] == 13, counts
    status = CliRunner().invoke(cli, ["-C", str(root), "status"])
    assert "included 35 reports of 31 studies" in status.output
    # without the link, every report is a study: no second count anywhere
    ext = root / "corpus" / "extraction.yaml"
    import re

    unlinked = re.sub(r"^  report_of: .*\n", "", ext.read_text(encoding="utf-8"), flags=re.M)
    assert "report_of" not in unlinked
    ext.write_text(unlinked, encoding="utf-8")
    assert (
        CliRunner().invoke(cli, ["-C", str(root), "render", "--format", "md,json"]).exit_code == 0
    )
    assert "Reports of included studies" not in (build / "appendix.md").read_text(encoding="utf-8")
    assert "35 studies included, in reference-list order" in (
        build / "evidence-table.md"
    ).read_text(encoding="utf-8")
    assert "included_studies" not in json.loads((build / "prisma.json").read_text(encoding="utf-8"))


def test_fields_declared_for_the_characteristics_table_go_there_and_not_into_the_evidence_table(
    tmp_path: Path,
) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    out = _render(root)
    appendix = (root / "build" / "appendix.md").read_text(encoding="utf-8")
    head = (
        "| Study | Setting | Design | Whose perceptions (participants) | Level (board / directorate) | Sample "
        "| Data collected |"
    )
    assert "## Study characteristics" in appendix and head in appendix
    section = appendix.split("## Study characteristics", 1)[1].split("\n## ", 1)[0]
    rows = [
        line
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| Study")
    ]
    assert len(rows) == 35 and all(line.endswith("| not reported in the review |") for line in rows)
    for name, text in out.items():
        assert "Data collected" not in text and "Level (board" not in text, name
    assert "<h2>Study characteristics</h2>" in (root / "build" / "appendix.html").read_text(
        encoding="utf-8"
    )


def test_a_field_for_an_unknown_table_is_reported_at_its_line(tmp_path: Path) -> None:
    root = copy_of_shipped_review(tmp_path / "review")
    protocol = root / "review.yaml"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(
        text.replace("table: characteristics", "table: characteristic", 1), encoding="utf-8"
    )
    line = text.splitlines().index("    table: characteristics") + 1
    result = CliRunner().invoke(cli, ["-C", str(root), "check"])
    assert result.exit_code != 0
    assert (
        f"review.yaml:{line}" in result.output
        and "did you mean 'characteristics'?" in result.output
    )


def test_a_study_of_two_reports_is_one_study_in_the_maps_and_the_year_chart(
    tmp_path: Path,
) -> None:
    # Greener 2005 says UK and its linked report Greener 2007 says nothing of the country: the
    # country map counted the study in both columns, and the year chart counted reports
    import re

    root = copy_of_shipped_review(tmp_path / "review")
    ext = root / "corpus" / "extraction.yaml"
    ext.write_text(
        re.sub(
            r"(- key: Greener2007\n(?:  .*\n)*?  country: ).*",
            r"\1not reported in the review",
            ext.read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["-C", str(root), "render", "--format", "md,html,svg"])
    assert result.exit_code == 0, result.output
    build = root / "build"
    for name in ("evidence-map-country.svg", "evidence-map.svg"):
        text = (build / name).read_text(encoding="utf-8")
        # the columns' labels are centred over them; each study is in one column
        labels = re.findall(r'text-anchor="middle">(.*?)</text>', text)
        columns = [int(n[-1]) for label in labels if (n := re.findall(r"\((\d+)\)", label))]
        assert sum(columns) == 31, (name, labels)
        assert "Greener, 2005 (with Greener, 2007)" in text, name
    year = (build / "studies-by-year.svg").read_text(encoding="utf-8")
    assert "31 studies over" in year, re.findall(r"\d+ studies over \d+ years", year)
    html = (build / "evidence-table.html").read_text(encoding="utf-8")
    assert '">13 reports</p>' in html and '">22 reports</p>' in html
    assert " studies</p>" not in html
