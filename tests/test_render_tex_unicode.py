"""The LaTeX evidence table with names and text beyond what pdflatex's T1 fonts carry: a
Vietnamese author, a Greek letter, a minus sign or ≥ from a pasted abstract must not stop the PDF."""

from __future__ import annotations

from pathlib import Path

from litreview.report._escaping import tex_escape
from litreview.report.render import input_from_dict, render_all
from tests.test_render_clients import compile_evidence_table, latex_engine


def test_characters_t1_has_stay_as_they_are() -> None:
    text = "Müller, Østergaard, Ó Súilleabháin, Łódź, Ångström – “x” … € ± × °"
    assert str(tex_escape(text)) == text


def test_math_symbols_and_greek_become_commands() -> None:
    assert str(tex_escape("≥ 5")) == r"\ensuremath{\geq} 5"
    assert str(tex_escape("≤ 5, −0.5")) == r"\ensuremath{\leq} 5, \textminus{}0.5"
    assert str(tex_escape("β-blockers")) == r"\ensuremath{\beta}-blockers"
    assert str(tex_escape("Ω and Α")) == r"\ensuremath{\Omega} and A"


def test_stacked_accents_become_accent_commands() -> None:
    assert str(tex_escape("Nguyễn Thị")) == r"Nguy\~{\^{e}}n Th\d{i}"
    assert str(tex_escape("Lê Thúy")) == "Lê Thúy"  # both in T1 as they are
    assert str(tex_escape("ḯ")) == r"\'{\"{\i}}"  # the dotless i under accents above it
    assert str(tex_escape("Thủy")) == "Thuy"  # T1 has no hook above: the letter stays
    assert str(tex_escape("Đà Nẵng")) == r"Đà N\~{\u{a}}ng"


def test_what_no_t1_font_has_is_shown_by_its_code_point() -> None:
    assert str(tex_escape("医生 Иван")) == (
        r"\textrm{[U+533B]}\textrm{[U+751F]} "
        r"\textrm{[U+0418]}\textrm{[U+0432]}\textrm{[U+0430]}\textrm{[U+043D]}"
    )


def test_the_evidence_table_with_such_text_compiles(tmp_path: Path) -> None:
    engine = latex_engine()
    data = input_from_dict(
        {
            "title": "Doctors and managers: ≥ 2 studies",
            "studies": [
                {
                    "key": "Nguyen2015",
                    "record": {
                        "key": "Nguyen2015",
                        "title": "β-blockers, doctors and 医生 managers",
                        "year": 2015,
                        "authors": [{"last": "Nguyễn", "first": "Thị Hoa"}],
                    },
                    "design": "survey (n ≥ 300)",
                    "key_findings": "Đà Nẵng hospitals; trust fell by −0.5 points (≤ 5%); Иван",
                }
            ],
        }
    )
    render_all(data, tmp_path, formats=("tex",))
    run = compile_evidence_table(engine, tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
