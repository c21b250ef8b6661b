"""The pictures: valid XML, escaped text, wrapped labels, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from litreview.svg import esc, evidence_map_svg, prisma_svg, text_width, wrap, year_chart_svg

NS = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_prisma_shows_every_count_and_reason() -> None:
    svg = prisma_svg([("Scopus", 10), ("MEDLINE", 5)], 3, 12, [("Wrong design", 4)], 8, [("No full text", 2)], 6,
                     needs_person=0)
    shown = texts(svg)
    for line in ("Records identified (n = 15):", "Scopus (n = 10)", "Duplicate records removed (n = 3)",
                 "Records screened (n = 12)", "Wrong design (n = 4)", "Reports assessed for eligibility (n = 8)",
                 "No full text (n = 2)", "Studies included in review (n = 6)"):
        assert line in shown


def test_prisma_adds_a_box_for_records_awaiting_a_person_only_when_there_are_some() -> None:
    args = ([("A", 1)], 0, 1, [], 1, [], 1)
    assert "Records awaiting a reviewer's decision (n = 2)" in " ".join(texts(prisma_svg(*args, needs_person=2)))
    assert not any("awaiting" in t for t in texts(prisma_svg(*args)))


def test_hostile_labels_are_escaped_and_the_svg_still_parses() -> None:
    svg = prisma_svg([("<script>alert(1)</script>", 1)], 0, 1, [('" onload="x', 1)], 0, [], 0)
    assert "<script>" not in svg
    assert "<script>alert(1)</script> (n = 1)" in texts(svg)
    assert esc('a"b<c>&') == "a&quot;b&lt;c&gt;&amp;"


def test_evidence_map_titles_each_bubble_with_its_citations_and_marks_empty_cells() -> None:
    svg = evidence_map_svg(["T1", "T2"], ["Survey", "Trial"], {("T1", "Survey"): ["Snow, 2013", "Lee, 2019"]},
                           "Map", "Design")
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter(f"{NS}title")]
    assert "T1 × Survey: 2 studies\nSnow, 2013; Lee, 2019" in titles
    assert texts(svg).count("–") == 3


def test_long_labels_wrap_within_their_width() -> None:
    lines = wrap("A theme with a rather long label that has to wrap onto more lines", 150)
    assert len(lines) > 1 and all(text_width(line) <= 150 for line in lines)
    assert wrap("x" * 200, 100, max_lines=2)[-1].endswith("…")


def test_year_chart_writes_totals_once_per_study() -> None:
    svg = year_chart_svg(["2001", "2002"], [("A", [2, 0]), ("B", [1, 0])], [2, 0])
    shown = texts(svg)
    totals = [t for t in ET.fromstring(svg).iter(f"{NS}text") if t.get("font-size") == "10"]
    assert [t.text for t in totals] == ["2"]  # three tags stacked, two studies
    assert "2001" in shown and "2002" in shown


def test_pictures_are_deterministic() -> None:
    a = year_chart_svg(["2001"], [("A", [1])], [1])
    assert a == year_chart_svg(["2001"], [("A", [1])], [1])
