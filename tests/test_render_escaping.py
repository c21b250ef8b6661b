"""Hostile record text reaches no output as markup: HTML, Markdown, LaTeX, CSV and SVG."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from litreview.report.render import md_escape, render_outputs, tex_escape
from tests.render_helpers import load_case


@pytest.fixture(scope="module")
def out() -> dict[str, str]:
    return render_outputs(load_case("hostile"))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


@pytest.mark.parametrize("name", ["appendix.html", "evidence-table.html"])
def test_html_has_no_markup_from_data(out: dict[str, str], name: str) -> None:
    parser = _Tags()
    parser.feed(out[name])
    tags = {t for t, _ in parser.tags}
    assert "img" not in tags and "a" not in tags and "b" not in tags and "i" not in tags
    assert [t for t, _ in parser.tags].count("script") == 1
    attrs = [k for _, a in parser.tags for k, _ in a]
    assert not [k for k in attrs if k.startswith("on")], "an inline event handler reached the page"
    assert "href" not in attrs and "src" not in attrs  # links are never built from data


def test_every_svg_parses_and_keeps_hostile_text_as_text(out: dict[str, str]) -> None:
    for name, text in out.items():
        if name.endswith(".svg"):
            root = ET.fromstring(text)
            assert not [e for e in root.iter() if e.tag.endswith("script")]
            assert not any(k.startswith("on") for e in root.iter() for k in e.attrib)


@pytest.mark.parametrize("name", ["evidence-table.md", "appendix.md", "narrative.md"])
def test_markdown_escapes_html_and_pandoc_markup(out: dict[str, str], name: str) -> None:
    md = out[name]
    assert not re.search(r"(?<!\\)<(script|img|svg|a |b>|i>)", md)
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert not re.search(r"(?<!\\)@fake", md)


def test_markdown_table_rows_keep_their_column_count(out: dict[str, str]) -> None:
    rows = [line for line in out["evidence-table.md"].splitlines() if line.startswith("| ")]
    assert {len(re.findall(r"(?<!\\)\|", r)) for r in rows} == {8}


def test_latex_escapes_every_special_character() -> None:
    assert tex_escape(r"\input{/etc/passwd} {} % & # _ $ ^ ~") == (
        r"\textbackslash{}input\{/etc/passwd\} \{\} \% \& \# \_ \$ \textasciicircum{} \textasciitilde{}"
    )


def test_latex_output_contains_no_unescaped_specials_from_data(out: dict[str, str]) -> None:
    tex = out["evidence-table.tex"]
    body = tex.split("\\endfoot", 1)[1].split("\\end{longtable}", 1)[0]
    # the parts' headings are ours (Directly relevant studies, ...), not data
    body = re.sub(
        r"\\multicolumn\{\d+\}\{@\{\}l\}\{\\textbf\{[A-Za-z ]+\} \(\d+\)\} \\\\\*", "", body
    )
    assert "\\input" not in body and "\\end{longtable}" not in body.replace(
        "\\textbackslash{}end", ""
    )
    stripped = re.sub(
        r"\\(textbackslash|textasciicircum|textasciitilde|textless|textgreater|textbar)\{\}",
        "",
        body,
    )
    stripped = re.sub(r"\\[{}%&#_$]", "", stripped)
    assert not re.search(r"[{}%#_$^~]", stripped)


def test_markdown_escape_blocks_lists_headings_and_citations() -> None:
    assert md_escape("- item") == "\\- item"
    assert md_escape("1. item") == "1\\. item"
    assert (
        md_escape("# h [x](y) @k $m$ ~s~ ^u^ <b>")
        == "\\# h \\[x\\](y) \\@k \\$m\\$ \\~s\\~ \\^u\\^ \\<b\\>"
    )


def test_csv_guards_spreadsheet_formulas_and_round_trips(out: dict[str, str]) -> None:
    rows = list(csv.DictReader(io.StringIO(out["evidence-table.csv"])))
    assert rows[0]["country"] == '\'=HYPERLINK("http://x")'
    assert rows[1]["country"] == "'+1" and rows[1]["setting"] == "'@SUM(A1)"
    assert rows[0]["title"].startswith(
        "<script>"
    )  # csv keeps text verbatim; it is not markup there
