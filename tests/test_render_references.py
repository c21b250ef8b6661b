"""Reference-list entries written directly give what pybtex's backends give from the rich text;
evidence-map columns and evidence-table cells read as one thing once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.backends.html import Backend as HtmlBackend
from pybtex.backends.markdown import Backend as MarkdownBackend
from pybtex.backends.plaintext import Backend as TextBackend

from litreview.model import Name, Record
from litreview.report.citations import format_reference, reference_text
from litreview.report.render import category_key, md_escape, prepare
from tests.render_helpers import load_case


class _OurMarkdown(MarkdownBackend):  # type: ignore[misc]
    """pybtex's Markdown backend with litreview's escaping, as the appendix used to be made."""

    def format_str(self, str_: str) -> str:
        return str(md_escape(str_))


BACKENDS = {"md": _OurMarkdown, "html": HtmlBackend, "text": TextBackend}
# characters that need escaping somewhere, spaces of several kinds, and ordinary letters
CHARS = st.sampled_from(list("ab Z1.?!-–*_[]<>&@$#{}\\|~^`\t\n'\"é"))
TEXT = st.text(CHARS, max_size=12)


@st.composite
def records(draw: st.DrawFn) -> Record:
    extra = {
        k: draw(TEXT)
        for k in draw(st.sets(st.sampled_from(["publisher", "institution", "address"])))
    }
    return Record(
        key="k",
        entry_type=draw(st.sampled_from(["article", "incollection", "book", "techreport", "misc"])),
        title=draw(TEXT),
        authors=tuple(
            Name(last=draw(TEXT) or "X", first=draw(st.sampled_from(["", "A. B."])))
            for _ in range(draw(st.integers(0, 3)))
        ),
        year=draw(st.one_of(st.none(), st.integers(1990, 2030))),
        container=draw(TEXT),
        volume=draw(TEXT),
        issue=draw(TEXT),
        pages=draw(st.sampled_from(["", "1-2", "12--19", "e5"])),
        doi=draw(TEXT),
        extra=tuple(sorted(extra.items())),
    )


@settings(max_examples=300, deadline=None)
@given(records(), st.sampled_from(["", "a", "b"]), st.sampled_from(["md", "html", "text"]))
def test_reference_entries_are_what_pybtex_renders_from_the_rich_text(
    record: Record, suffix: str, fmt: str
) -> None:
    expected = str(reference_text(record, suffix).render(BACKENDS[fmt]()))
    assert format_reference(record, suffix, fmt) == expected


def test_singular_and_plural_spellings_make_one_map_column() -> None:
    assert category_key("Case studies") == category_key("case study")
    assert category_key("Surveys") == category_key("Survey")
    assert category_key("Case study") != category_key("Comparative case study")


def test_design_and_methods_saying_the_same_are_shown_once() -> None:
    data = load_case("powell-davies")
    first = data.studies[0]
    same = type(first)(
        **{
            **first.__dict__,
            "design": "not stated in the review",
            "methods": "not stated in the review",
        }
    )
    rows = {
        r.key: r
        for r in prepare(type(data)(**{**data.__dict__, "studies": (same, *data.studies[1:])})).rows
    }
    assert rows[first.key].design_methods == "not stated in the review"
    assert rows[data.studies[1].key].design_methods == "; ".join(
        p for p in (data.studies[1].design, data.studies[1].methods) if p
    )


def test_a_reports_institution_and_series_are_in_its_reference() -> None:
    # BibTeX's `institution` is read into the container: the reference dropped it, and the
    # series (`type` and `number`)
    report = Record(
        key="Moore2011",
        entry_type="techreport",
        title="Knowing me, knowing you",
        authors=(Name("Moore", "Clare"),),
        year=2011,
        container="Invented School of Management",
        issue="11",
        extra=(("address", "Cranfield"), ("type", "Research Briefing")),
    )
    assert format_reference(report) == (
        "Moore C (2011) Knowing me, knowing you. Research Briefing 11."
        " Invented School of Management, Cranfield."
    )
    book = Record(
        key="Ham2009",
        entry_type="book",
        title="Health policy in Britain",
        authors=(Name("Ham", "Chris"),),
        year=2009,
        extra=(("publisher", "Invented Press"), ("address", "London")),
    )
    assert (
        format_reference(book) == "Ham C (2009) Health policy in Britain. Invented Press, London."
    )
