"""Rendering: golden files for every output, determinism, templates and their sandbox."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from litreview.errors import ConfigError
from litreview.report.render import (
    FORMATS,
    TEMPLATES_DIR,
    PrismaCounts,
    RenderInput,
    prepare,
    prisma_dict,
    render_all,
    render_outputs,
)
from tests.render_helpers import GOLDEN_DIR, case_names, load_case

UPDATE = os.environ.get("LITREVIEW_UPDATE_GOLDEN") == "1"
ALL_OUTPUTS = {
    "appendix.html",
    "appendix.md",
    "evidence-map-country.svg",
    "evidence-map.svg",
    "evidence-table.csv",
    "evidence-table.html",
    "evidence-table.md",
    "evidence-table.tex",
    "narrative.md",
    "prisma-s.md",
    "prisma.json",
    "prisma.svg",
    "studies-by-year.svg",
    "references.bib",
    "references.json",
}


@pytest.mark.parametrize("case", case_names())
def test_every_output_matches_its_golden_file(case: str, tmp_path: Path) -> None:
    written = render_all(load_case(case), tmp_path / "build")
    assert {p.name for p in written} == ALL_OUTPUTS
    golden = GOLDEN_DIR / case
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        golden.mkdir(parents=True)
        for p in written:
            shutil.copyfile(p, golden / p.name)
    assert sorted(p.name for p in golden.iterdir()) == sorted(ALL_OUTPUTS), (
        "run with LITREVIEW_UPDATE_GOLDEN=1"
    )
    for p in written:
        assert p.read_bytes() == (golden / p.name).read_bytes(), (
            f"{case}/{p.name} differs from its golden file"
        )


def test_same_input_gives_same_bytes_twice(tmp_path: Path) -> None:
    data = load_case("powell-davies")
    first = {p.name: p.read_bytes() for p in render_all(data, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in render_all(data, tmp_path / "b")}
    assert first == second


def test_study_order_in_the_input_does_not_change_the_output() -> None:
    data = load_case("powell-davies")
    reversed_data = RenderInput(**{**data.__dict__, "studies": tuple(reversed(data.studies))})
    assert render_outputs(data) == render_outputs(reversed_data)


PICTURES = {"prisma.svg", "evidence-map.svg", "evidence-map-country.svg", "studies-by-year.svg"}


@pytest.mark.parametrize(
    ("formats", "expected"),
    [
        (("csv",), {"evidence-table.csv"}),
        (("html",), {"evidence-table.html", "appendix.html"}),
        (("tex", "json"), {"evidence-table.tex", "prisma.json"}),
        (("svg",), PICTURES),
        (
            ("md",),
            {
                "evidence-table.md",
                "appendix.md",
                "narrative.md",
                "prisma-s.md",
                "references.bib",
                "references.json",
                *PICTURES,
            },
        ),
    ],
)
def test_formats_write_what_was_asked_and_md_brings_the_pictures_it_shows(
    formats: tuple[str, ...], expected: set[str]
) -> None:
    assert set(render_outputs(load_case("powell-davies"), formats=formats)) == expected


def test_every_picture_the_markdown_appendix_shows_is_written_with_it() -> None:
    import re

    out = render_outputs(load_case("powell-davies"), formats=("md",))
    shown = set(re.findall(r"\]\(([^)]+\.svg)\)", out["appendix.md"]))
    assert shown and shown <= set(out)


def test_unknown_format_is_a_config_error_naming_the_choices() -> None:
    with pytest.raises(ConfigError) as info:
        render_outputs(load_case("empty"), formats=("docx",))
    assert "unknown format 'docx'" in str(info.value)
    assert "md, html, csv, tex" in str(info.value)


def test_evidence_table_uses_the_reviews_author_date_citations() -> None:
    md = render_outputs(load_case("powell-davies"), formats=("md",))["evidence-table.md"]
    for cite in (
        "Hallier and Forbes, 2005",
        "Harvey and others, 2014",
        "British Medical Association, 2012",
        "Davies and others, 2003a",
        "Davies and others, 2003b",
        "Snow, 2013",
    ):
        assert f"| {cite} |" in md


def test_appendix_reference_list_is_in_the_reviews_style() -> None:
    md = render_outputs(load_case("powell-davies"), formats=("md",))["appendix.md"]
    assert (
        "- Davies HTO, Hodges C-L and Rundall TG (2003b) Views of doctors and managers on the "
        "doctor–manager relationship in the NHS. *BMJ* 326: 626–628."
    ) in md


def test_narrative_cites_with_pandoc_keys_and_flags_gaps() -> None:
    md = render_outputs(load_case("powell-davies"), formats=("md",))["narrative.md"]
    assert "- [@Hallier2005]: Medical managers occupy an uncomfortable middle ground." in md
    section = md.split("## Medical engagement", 1)[1].split("##", 1)[0]
    assert "**Gap:** only 2 studies address this theme." in section
    empty = render_outputs(load_case("empty"), formats=("md",))["narrative.md"]
    assert empty.count("**Gap:** no included study addresses this theme.") == 2


def test_prisma_json_has_a_version_and_per_reason_counts() -> None:
    import json

    d = json.loads(render_outputs(load_case("powell-davies"), formats=("json",))["prisma.json"])
    assert d["version"] == 2
    assert d["identified"] == 15
    assert d["excluded_full_text"] == [
        {"label": "Not an empirical study", "n": 1, "reason": "not-empirical"},
        {"label": "Published before 2002", "n": 1, "reason": "too-early"},
    ]
    assert d["checks"] == []


def test_prisma_counts_that_do_not_add_up_are_reported() -> None:
    data = RenderInput(
        title="t",
        prisma=PrismaCounts(
            identified_by_source={"a": 10},
            duplicates_removed=1,
            screened=8,
            assessed_full_text=8,
            included=8,
        ),
    )
    assert prisma_dict(data)["checks"] == ["identified 10 − duplicates 1 ≠ screened 8"]


def test_html_appendix_embeds_the_pictures_inline_and_loads_nothing_from_the_network() -> None:
    html = render_outputs(load_case("powell-davies"), formats=("html",))["appendix.html"]
    assert html.count("<svg ") == 4
    assert "<?xml" not in html
    for remote in ("http://", "https://", "//cdn", 'src="http'):
        assert remote not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_html_page_allows_only_its_own_script_by_hash() -> None:
    import base64
    import hashlib
    import re

    html = render_outputs(load_case("powell-davies"), formats=("html",))["evidence-table.html"]
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html
    assert html.count("<script") == 1


# --- templates ------------------------------------------------------------------------------------


def test_user_template_overrides_one_file_and_the_rest_fall_back(tmp_path: Path) -> None:
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / "narrative.md.j2").write_text("# Mine: {{ data.title }}\n", encoding="utf-8")
    out = render_outputs(load_case("powell-davies"), formats=("md",), templates_dir=mine)
    assert out["narrative.md"] == "# Mine: Doctors and managers: a systematic review\n"
    assert (
        out["evidence-table.md"]
        == render_outputs(load_case("powell-davies"), formats=("md",))["evidence-table.md"]
    )


def test_a_user_template_edited_between_renders_is_read_again(tmp_path: Path) -> None:
    mine = tmp_path / "tpl"
    mine.mkdir()
    page = mine / "narrative.md.j2"
    page.write_text("first\n", encoding="utf-8")
    assert (
        render_outputs(load_case("empty"), formats=("md",), templates_dir=mine)["narrative.md"]
        == "first\n"
    )
    page.write_text("second\n", encoding="utf-8")
    later = page.stat().st_mtime + 10
    os.utime(page, (later, later))
    assert (
        render_outputs(load_case("empty"), formats=("md",), templates_dir=mine)["narrative.md"]
        == "second\n"
    )


def test_user_template_values_are_escaped_by_default(tmp_path: Path) -> None:
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / "narrative.md.j2").write_text("{{ data.title }}", encoding="utf-8")
    (mine / "evidence-table.tex.j2").write_text("{{ data.title }}", encoding="utf-8")
    out = render_outputs(load_case("hostile"), formats=("md", "tex"), templates_dir=mine)
    assert "<script>" not in out["narrative.md"]
    assert "\\input{" not in out["evidence-table.tex"]


def test_a_misspelt_variable_fails_loudly(tmp_path: Path) -> None:
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / "narrative.md.j2").write_text("{{ data.titel }}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        render_outputs(load_case("powell-davies"), formats=("md",), templates_dir=mine)
    assert "titel" in str(info.value)


def test_a_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / "narrative.md.j2").write_text(
        "{{ data.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        render_outputs(load_case("powell-davies"), formats=("md",), templates_dir=mine)
    assert "template" in str(info.value)


def test_a_template_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    mine = tmp_path / "tpl"
    mine.mkdir()
    (mine / "narrative.md.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        render_outputs(load_case("powell-davies"), formats=("md",), templates_dir=mine)
    assert ":2: error: template error" in str(info.value)


def test_shipped_templates_are_package_data_and_the_repository_folder_only_explains() -> None:
    assert Path(__file__).parents[1] / "litreview" / "report" / "templates" == TEMPLATES_DIR
    for name in (
        "appendix.md.j2",
        "appendix.html.j2",
        "narrative.md.j2",
        "evidence-table.md.j2",
        "evidence-table.html.j2",
        "evidence-table.tex.j2",
        "table.js",
    ):
        assert (TEMPLATES_DIR / name).is_file()
    repo_templates = Path(__file__).parents[1] / "templates"
    assert [p.name for p in repo_templates.iterdir()] == ["README.md"]


def test_every_format_has_outputs_and_together_they_make_every_file() -> None:
    data = load_case("powell-davies")
    for fmt in FORMATS:
        assert render_outputs(data, formats=(fmt,)), fmt
    assert set(render_outputs(data)) == ALL_OUTPUTS


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("qualitative study", "Qualitative study"),
        ("survey; questionnaire of 200 doctors", "Survey"),
        ("case study (two trusts)", "Case study"),
        ("not stated in the review", ""),
        ("Not reported (probably interviews)", ""),
        ("", ""),
    ],
)
def test_evidence_map_columns_come_from_the_head_of_free_text(text: str, column: str) -> None:
    from litreview.report.render import map_category

    assert map_category(text) == column


def _with_evidence(data: RenderInput, key_findings: tuple[tuple[int, str], ...]) -> RenderInput:
    import dataclasses

    first = dataclasses.replace(data.studies[0], evidence={"key_findings": key_findings})
    return dataclasses.replace(data, studies=(first, *data.studies[1:]))


def test_the_evidence_audit_lists_each_claim_with_its_lines_and_quotes() -> None:
    data = load_case("powell-davies")
    out = render_outputs(
        _with_evidence(data, ((172, "relations vary by specialty"), (173, "and by size"))),
        formats=("md",),
    )
    audit = out["evidence-audit.md"]
    study = data.studies[0]
    assert f"({study.key})" in audit
    assert "  - line 172: “relations vary by specialty”\n  - line 173: “and by size”" in audit
    # a claim that cites nothing is flagged as untraced
    assert "  - no line cited" in audit


def test_the_evidence_audit_is_written_only_when_some_study_carries_evidence() -> None:
    assert "evidence-audit.md" not in render_outputs(
        load_case("powell-davies"), formats=("md", "html")
    )
    with_ev = _with_evidence(load_case("powell-davies"), ((1, "x"),))
    assert "evidence-audit.md" in render_outputs(with_ev, formats=("md",))
    assert "evidence-audit.md" not in render_outputs(with_ev, formats=("html",))


def test_evidence_audit_quotes_are_markdown_escaped() -> None:
    out = render_outputs(
        _with_evidence(load_case("powell-davies"), ((5, "<script>*bold*</script>"),)),
        formats=("md",),
    )
    assert "line 5: “\\<script\\>\\*bold\\*\\</script\\>”" in out["evidence-audit.md"]


def test_theme_override_markers_stay_out_of_the_published_tables_but_in_the_audit() -> None:
    data = load_case("powell-davies")
    assert any("override" in s.theme_sources.values() for s in data.studies)  # the fixture has one
    out = render_outputs(_with_evidence(data, ((1, "x"),)))
    for name in (
        "evidence-table.md",
        "evidence-table.html",
        "evidence-table.csv",
        "evidence-table.tex",
        "appendix.md",
        "appendix.html",
        "narrative.md",
    ):
        assert "(override)" not in out[name], name
    assert "Hybrid identities (override)" in out["evidence-audit.md"]


def test_the_protocols_methods_note_heads_the_appendix_methods() -> None:
    import dataclasses

    note = "Counts reconstructed from the reference list."
    out = render_outputs(
        dataclasses.replace(load_case("powell-davies"), methods_note=note), formats=("md", "html")
    )
    assert f"## Methods\n\n**Where these methods come from.** {note}\n" in out["appendix.md"]
    assert (
        f"<h2>Methods</h2>\n<p><strong>Where these methods come from.</strong> {note}</p>"
        in out["appendix.html"]
    )
    assert (
        "Where these methods come from"
        not in render_outputs(load_case("powell-davies"), formats=("md",))["appendix.md"]
    )


def test_references_bib_braces_organisation_names_and_leaves_out_corpus_bookkeeping() -> None:
    import dataclasses

    data = load_case("powell-davies")
    rec = dataclasses.replace(
        data.studies[0].record,
        entry_type="techreport",
        abstract="An abstract.",
        extra=(
            ("country", "UK"),
            ("design_evidence", "a quote"),
            ("institution", "NHS Institute for Innovation and Improvement"),
        ),
    )
    first = dataclasses.replace(data.studies[0], record=rec)
    bib = render_outputs(
        dataclasses.replace(data, studies=(first, *data.studies[1:])), formats=("md",)
    )["references.bib"]
    assert "  institution = {{NHS Institute for Innovation and Improvement}},\n" in bib
    assert "country" not in bib and "design_evidence" not in bib and "abstract" not in bib
    assert bib.count("@") == len(data.studies)


def test_references_bib_braces_each_capitalised_word_of_a_title_after_the_first() -> None:
    import dataclasses

    from litreview.io import read_text

    data = load_case("powell-davies")
    title = "Ward rounds in London: 50% of R&D trusts in Mid-Staffordshire and Zürich"
    rec = dataclasses.replace(data.studies[0].record, title=title)
    first = dataclasses.replace(data.studies[0], record=rec)
    bib = render_outputs(
        dataclasses.replace(data, studies=(first, *data.studies[1:])), formats=("md",)
    )["references.bib"]
    assert (
        "  title = {Ward rounds in {London:} 50\\% of {R\\&D} trusts in {Mid-Staffordshire} and "
        "{Zürich}},\n" in bib
    ), bib
    # and it reads back as the title it was
    read = read_text(bib, "references.bib", "test")
    assert title in {r.title for r in read.records}


def test_the_narrative_names_its_bibliography_in_a_yaml_header() -> None:
    narrative = render_outputs(load_case("powell-davies"), formats=("md",))["narrative.md"]
    assert narrative.startswith("---\nbibliography: references.json\n---\n\n# ")


def _part(text: str, start: str, end: str | None) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin)] if end else text[begin:]


def test_markdown_and_html_evidence_tables_show_directly_relevant_and_related_studies_apart() -> (
    None
):
    data = load_case("powell-davies")
    direct = [s for s in data.studies if s.relevance == "direct"]
    related = [s for s in data.studies if s.relevance == "related"]
    assert direct and related  # the fixture has both
    out = render_outputs(data, formats=("md", "html"))
    by_key = {r.key: r for r in prepare(data).rows}
    for name in ("evidence-table.md", "appendix.md"):
        text = out[name]
        first = _part(
            text,
            f"### Directly relevant studies ({len(direct)})\n",
            f"### Related studies ({len(related)})\n",
        )
        second = _part(
            text,
            f"### Related studies ({len(related)})\n",
            "\n\n#" if name == "appendix.md" else None,
        )
        assert all(f"| {by_key[s.key].citation} |" in first for s in direct), name
        assert not any(f"| {by_key[s.key].citation} |" in first for s in related), name
        assert all(f"| {by_key[s.key].citation} |" in second for s in related), name
        assert not any(f"| {by_key[s.key].citation} |" in second for s in direct), name
    for name in ("evidence-table.html", "appendix.html"):
        text = out[name]
        first = _part(text, '<table class="evidence sortable" id="evidence-direct"', "</table>")
        second = _part(text, '<table class="evidence sortable" id="evidence-related"', "</table>")
        assert (
            f"Directly relevant studies ({len(direct)})</h3>" in text
            and f"Related studies ({len(related)})</h3>" in text
        )
        assert {s.key for s in direct} == {k for k in by_key if f'id="study-{k}"' in first}, name
        assert {s.key for s in related} == {k for k in by_key if f'id="study-{k}"' in second}, name
    assert (
        render_outputs(data, formats=("csv",))["evidence-table.csv"].splitlines()[0].split(",")[11]
        == "relevance"
    )  # as before


def test_an_evidence_table_without_any_relevance_stays_one_table_without_headings() -> None:
    import dataclasses

    data = load_case("powell-davies")
    data = dataclasses.replace(
        data, studies=tuple(dataclasses.replace(s, relevance="") for s in data.studies)
    )
    out = render_outputs(data, formats=("md", "html"))
    assert "###" not in out["evidence-table.md"] and "by relevance" not in out["evidence-table.md"]
    assert (
        out["evidence-table.html"].count("<table") == 1
        and 'id="evidence"' in out["evidence-table.html"]
    )


def test_studies_without_a_relevance_get_their_own_part_when_others_have_one() -> None:
    groups = prepare(load_case("hostile")).row_groups
    assert [(part, heading, len(rows)) for part, heading, rows in groups] == [
        ("direct", "Directly relevant studies", 1),
        ("unrecorded", "Relevance not recorded", 1),
    ]
