"""The pictures: valid XML, escaped text, wrapped labels, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from litreview.report._svg import (
    esc,
    evidence_map_svg,
    prisma_svg,
    text_width,
    wrap,
    year_chart_svg,
)

NS = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_prisma_shows_every_count_and_reason() -> None:
    svg = prisma_svg(
        [("Scopus", 10), ("MEDLINE", 5)],
        3,
        12,
        [("Wrong design", 4)],
        8,
        [("No full text", 2)],
        6,
        needs_person=0,
    )
    shown = texts(svg)
    for line in (
        "Records identified (n = 15):",
        "Scopus (n = 10)",
        "Duplicate records removed (n = 3)",
        "Records screened (n = 12)",
        "Wrong design (n = 4)",
        "Reports assessed for eligibility (n = 8)",
        "No full text (n = 2)",
        "Studies included in review (n = 6)",
    ):
        assert line in shown


def test_prisma_adds_a_box_for_records_awaiting_a_person_only_when_there_are_some() -> None:
    def flow(needs_person: int = 0) -> str:
        return prisma_svg([("A", 1)], 0, 1, [], 1, [], 1, needs_person=needs_person)

    assert "Records awaiting a reviewer's decision (n = 2)" in " ".join(texts(flow(needs_person=2)))
    assert not any("awaiting" in t for t in texts(flow()))


def test_hostile_labels_are_escaped_and_the_svg_still_parses() -> None:
    svg = prisma_svg([("<script>alert(1)</script>", 1)], 0, 1, [('" onload="x', 1)], 0, [], 0)
    assert "<script>" not in svg
    assert "<script>alert(1)</script> (n = 1)" in texts(svg)
    assert esc('a"b<c>&') == "a&quot;b&lt;c&gt;&amp;"


def test_evidence_map_titles_each_bubble_with_its_citations_and_marks_empty_cells() -> None:
    svg = evidence_map_svg(
        ["T1", "T2"],
        ["Survey", "Trial"],
        {("T1", "Survey"): ["Snow, 2013", "Lee, 2019"]},
        "Map",
        "Design",
    )
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter(f"{NS}title")]
    assert "T1 × Survey: 2 studies\nSnow, 2013; Lee, 2019" in titles
    assert texts(svg).count("–") == 3


def test_long_labels_wrap_within_their_width() -> None:
    lines = wrap("A theme with a rather long label that has to wrap onto more lines", 150)
    assert len(lines) > 1 and all(text_width(line) <= 150 for line in lines)
    assert wrap("x" * 200, 100, max_lines=2)[-1].endswith("…")


def test_year_chart_counts_each_study_once_in_a_labelled_row_under_the_years() -> None:
    svg = year_chart_svg(["2001", "2002"], [("A", [2, 0]), ("B", [1, 0])], [2, 0])
    root = ET.fromstring(svg)
    small = [t for t in root.iter(f"{NS}text") if t.get("font-size") == "10"]
    assert [t.text for t in small] == [
        "2",
        "0",
        "Studies",
    ]  # three tags stacked in 2001, two studies
    bar_tops = [
        float(r.get("y", 0)) for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None
    ]
    assert all(
        float(t.get("y", 0)) > max(bar_tops) for t in small
    )  # under the bars, not on top of them
    assert "2001" in texts(svg) and "2002" in texts(svg)


def test_year_chart_without_studies_says_so() -> None:
    assert "No included studies to chart." in texts(year_chart_svg([], [], []))


def test_wrap_breaks_after_a_hyphen_before_cutting_a_word() -> None:
    assert wrap("Multi-perspective study", 90, 12) == ["Multi-", "perspective", "study"]
    assert wrap("clinician–manager dialogue", 80, 12)[0] == "clinician–"


def test_prisma_keeps_each_count_whole_and_hangs_wrapped_reasons() -> None:
    reason = "No primary data (commentary, editorial, opinion, review, theory or policy report)"
    svg = prisma_svg(
        [("Reference lists of retrieved papers and reports", 12)], 0, 12, [(reason, 59)], 0, [], 0
    )
    root = ET.fromstring(svg)
    lines = [(float(t.get("x", 0)), "".join(t.itertext())) for t in root.iter(f"{NS}text")]
    assert any(text.endswith("(n = 59)") for _, text in lines)
    assert not any(text.endswith("(n =") or text.startswith("= ") for _, text in lines)
    first = next(x for x, text in lines if text.startswith("No primary data"))
    rest = [
        x for x, text in lines if text.endswith("(n = 59)") and not text.startswith("No primary")
    ]
    assert rest and all(x > first for x in rest)  # a continuation line, indented under its reason


def test_evidence_map_column_keeps_its_count_when_the_label_is_long() -> None:
    col = "Analysis of clinician–manager dialogue in a very long column label (1)"
    svg = evidence_map_svg(["T (1)"], [col], {("T (1)", col): ["Snow, 2013"]}, "Map", "Design")
    header = next(
        t for t in ET.fromstring(svg).iter(f"{NS}text") if "Analysis" in "".join(t.itertext())
    )
    lines = [span.text or "" for span in header.iter(f"{NS}tspan")]
    assert 1 < len(lines) <= 4 and lines[-1].endswith("(1)")


def test_evidence_map_is_as_wide_as_its_title() -> None:
    title = "Evidence map: themes by a heading that is rather long"
    svg = evidence_map_svg([], [], {}, title, "Design")
    width = float(ET.fromstring(svg).get("width", 0))
    assert width >= text_width(title, 16)


def test_pictures_are_deterministic() -> None:
    a = year_chart_svg(["2001"], [("A", [1])], [1])
    assert a == year_chart_svg(["2001"], [("A", [1])], [1])


def test_a_capped_evidence_map_has_one_other_column_counting_every_study_it_holds() -> None:
    from dataclasses import replace

    from litreview.report.render import MAX_MAP_COLUMNS, render_outputs
    from tests.render_helpers import load_case

    case = load_case("powell-davies")
    base = case.studies[0]
    designs = [f"Design {i:02d}" for i in range(MAX_MAP_COLUMNS + 2)] + ["Other", "Other"]
    studies = tuple(replace(base, key=f"S{i}", design=d) for i, d in enumerate(designs))
    svg_text = render_outputs(replace(case, studies=studies), formats=("svg",))["evidence-map.svg"]
    # the 10 largest named columns stay; the other 5 designs (3 named, 2 literally "Other") share one column
    assert svg_text.count(">Other (") == 1
    assert ">Other (5)<" in svg_text
