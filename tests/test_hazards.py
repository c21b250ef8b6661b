"""Issue 17, items 7–11: hand-edited decisions, environment failures, hostile templates and
macros, terminal control characters and unclear answers. Each test pins one defect the hostile
review found: a located message and the right exit code instead of silence or a traceback.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.errors import ConfigError

from .conftest import FIXTURES, ROOT

IMPORT = FIXTURES / "import"


def _run(root: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["-C", str(root), *args])


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    """A fresh review with five records: Currie2006, Eeckloo2007, Forbes2006, Greener2005, Hallier2004."""
    root = tmp_path / "proj"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    for name, source in (("scopus.bib", "scopus"), ("wos.ciw", "wos")):
        assert _run(root, "import", str(IMPORT / name), "--source", source).exit_code in (0, 1)
    return root


# --- 7: hand-edited duplicates.yaml decisions ----------------------------------------------------


def _decisions(root: Path, body: str) -> None:
    (root / "corpus" / "duplicates.yaml").write_text(
        "version: 1\ndecisions:\n" + textwrap.dedent(body), encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("value", "said"), [("null", "a is null"), ("2019", "a is 2019, not a key")]
)
def test_a_decision_naming_null_or_a_number_is_an_error_at_its_line(
    proj: Path, value: str, said: str
) -> None:
    from litreview.dedupe.store import load_duplicates

    _decisions(
        proj,
        f"""\
        - a: Forbes2006
          b: Currie2006
          decision: different
        - a: {value}
          b: Forbes2006
          decision: same
        """,
    )
    with pytest.raises(ConfigError) as caught:
        load_duplicates(proj / "corpus" / "duplicates.yaml", "corpus/duplicates.yaml")
    assert [str(p).split(" (")[0] for p in caught.value.problems] == [
        f"corpus/duplicates.yaml:6: error: a decision needs two citation keys, a and b; {said}"
    ]
    result = _run(proj, "check")
    assert result.exit_code == 1 and "corpus/duplicates.yaml:6: error:" in result.output


def test_contradictory_decisions_on_one_pair_fail_check_naming_both_lines(proj: Path) -> None:
    _decisions(
        proj,
        """\
        - a: Forbes2006
          b: Currie2006
          decision: same
        - a: Currie2006
          b: Forbes2006
          decision: different
        """,
    )
    result = _run(proj, "check")
    assert result.exit_code == 1
    assert (
        "corpus/duplicates.yaml:8: error: decision 'different' on Currie2006 and Forbes2006 contradicts "
        "'same' on line 3"
    ) in result.output
    assert _run(proj, "dedupe").exit_code == 2  # and no command acts on either verdict


def test_a_decision_naming_a_key_not_in_the_corpus_fails_check_with_did_you_mean(
    proj: Path,
) -> None:
    _decisions(
        proj,
        """\
        - a: Currie2006
          b: Forbes2007
          decision: different
        """,
    )
    result = _run(proj, "check")
    assert result.exit_code == 1
    assert (
        "corpus/duplicates.yaml:3: error: decision names 'Forbes2007', which is not in the corpus "
        "(did you mean 'Forbes2006'?)"
    ) in result.output
    result = _run(proj, "dedupe")
    assert (
        result.exit_code == 2
        and "corpus/duplicates.yaml:3: error: decision names 'Forbes2007'" in result.stderr
    )


# --- 8: environment failures and hostile templates give file:line: error and exit 2 -------------


def _fail_with(code: int) -> Any:
    import os

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(code, os.strerror(code))

    return fail


def test_a_full_disk_while_writing_the_corpus_names_the_file_and_exits_2(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import litreview.files.fsutil

    before = (proj / "corpus" / "records.bib").read_bytes()
    monkeypatch.setattr(litreview.files.fsutil.os, "fsync", _fail_with(errno.ENOSPC))
    result = _run(proj, "import", str(IMPORT / "pubmed.nbib"), "--source", "scopus")
    assert result.exit_code == 2, result.output
    # the corpus change goes through the journal, which says that nothing was changed
    assert (
        "corpus/records.bib: error: cannot write: No space left on device; nothing was changed "
        "(free some disk space or make the folder writable, then run the command again)"
    ) in result.stderr
    assert "Traceback" not in result.output
    assert (proj / "corpus" / "records.bib").read_bytes() == before
    assert not [p for p in (proj / "corpus").iterdir() if p.name.endswith(".tmp")]


def test_a_read_only_build_folder_names_the_file_and_exits_2(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    import litreview.files.fsutil

    def refuse(*args: Any, dir: Any = None, prefix: str = "", **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir) / f"{prefix}x.tmp"))

    monkeypatch.setattr(litreview.files.fsutil.tempfile, "mkstemp", refuse)
    result = _run(proj, "render")
    assert tempfile.mkstemp is refuse and result.exit_code == 2, result.output
    assert (
        "error: cannot use this file: Permission denied (permission denied: check who owns"
        in result.stderr
    )
    assert "proj/build/" in result.stderr and "x.tmp" not in result.stderr


def test_an_unreadable_corpus_names_it_and_exits_2(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    # as root a chmod does not stop reading: every way the corpus is read is made to fail
    real_read, real_open = Path.read_bytes, Path.open

    def refused(self: Path) -> None:
        if self.name == "records.bib":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))

    def read_bytes(self: Path) -> bytes:
        refused(self)
        return real_read(self)

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        refused(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "open", open_)
    result = _run(proj, "stats")
    assert result.exit_code == 2
    assert (
        "proj/corpus/records.bib: error: cannot use this file: Permission denied" in result.stderr
    )


def test_a_folder_where_the_corpus_file_belongs_says_so_and_exits_2(proj: Path) -> None:
    records = proj / "corpus" / "records.bib"
    records.unlink()
    records.mkdir()
    result = _run(proj, "stats")
    assert result.exit_code == 2
    assert (
        "proj/corpus/records.bib: error: cannot use this file: Is a directory (a folder stands where "
        "litreview expects a file"
    ) in result.stderr


def test_titles_a_latin_1_terminal_cannot_show_are_escaped_not_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    bib = tmp_path / "greek.bib"
    bib.write_text(
        "@article{Alpha2020, author = {Alpha, A.}, title = {Ελληνικά δεδομένα}, journal = {J}, "
        "year = {2020}}\n",
        encoding="utf-8",
    )
    env = {
        "PYTHONPATH": str(ROOT),
        "PYTHONIOENCODING": "latin-1",
        "NO_COLOR": "1",
        "PATH": "/usr/bin:/bin",
    }

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "litreview", "-C", "r", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=60,
        )

    assert run("init", "r").returncode == 0
    assert run("import", str(bib), "--source", "scopus").returncode == 0
    out = run("screen", "next", "--reviewer", "ana")
    assert out.returncode == 0, out.stderr
    assert b"\\u0395\\u03bb" in out.stdout and b"Traceback" not in out.stderr


def test_a_500_word_theme_term_is_refused_at_its_line_not_a_recursion_error(proj: Path) -> None:
    themes = proj / "themes.yaml"
    themes.write_text(
        themes.read_text(encoding="utf-8").replace(
            "  - example term", "  - " + " ".join(f"w{i}" for i in range(500))
        ),
        encoding="utf-8",
    )
    result = _run(proj, "tag")
    assert result.exit_code == 2
    assert "themes.yaml:11 [example]: error: term 'w0 w1" in result.stderr
    assert "has 500 words; a term has at most 32" in result.stderr


def test_a_500_word_screening_term_is_refused_not_a_recursion_error() -> None:
    from litreview.text.termmatch import term_problem

    assert (
        term_problem(" ".join(f"w{i}" for i in range(500)))
        == "has 500 words; a term has at most 32 (split it into shorter phrases)"
    )


@pytest.mark.parametrize(
    ("template", "line", "said"),
    [
        ('{% extends "narrative.md.j2" %}\n', 1, "template calls itself without end"),
        ('{% include "narrative.md.j2" %}\n', 1, "template calls itself without end"),
        (
            "text\n{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}\n",
            2,
            "template calls itself without end",
        ),
        (
            "\n\n{% for i in range(10**8) %}{% endfor %}\n",
            3,
            "template exceeds a limit: range() of 100,000,000 numbers; a template may loop over at most 10,000",
        ),
        (
            "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}\n",
            1,
            "template exceeds a limit: the template's range() loops count more than 1,000,000 numbers in all",
        ),
        ('{{ "x" * 10**9 }}\n', 1, "template exceeds a limit: repeating a value 1000000000 times"),
        ("\n{{ 1 / 0 }}\n", 2, "template error: ZeroDivisionError: division by zero"),
    ],
)
def test_a_hostile_template_is_a_located_error_with_exit_2(
    proj: Path, template: str, line: int, said: str
) -> None:
    (proj / "templates" / "narrative.md.j2").write_text(template, encoding="utf-8")
    result = _run(proj, "render")
    assert result.exit_code == 2, result.output
    assert f"templates/narrative.md.j2:{line}: error: {said}" in result.stderr
    assert "Traceback" not in result.output


# --- 9: @string macro expansion is capped ---------------------------------------------------------


def _doubling_chain(steps: int) -> str:
    """A 1 KB @string doubled ``steps`` times (2**steps KB if expanded), then an entry using the last."""
    text = '@string{m0 = "' + "x" * 1000 + '"}\n'
    text += "".join(f"@string{{m{i + 1} = m{i} # m{i}}}\n" for i in range(steps))
    return (
        text
        + f"@article{{Alpha2020, title = m{steps}, author = {{Alpha, A.}}, journal = {{J}}, year = 2020}}\n"
    )


def test_a_doubling_string_chain_is_rejected_at_its_line_in_bounded_memory() -> None:
    import time
    import tracemalloc

    from litreview.io.bibtex import read_bibtex

    text = _doubling_chain(30)  # a terabyte if expanded
    assert len(text) < 2048
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = read_bibtex(text, "chain.bib", source="s")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 32 * 2**20, f"peak {peak / 2**20:.0f} MB"
    first = str(result.problems[0])
    assert first.startswith(
        "chain.bib:11: error: malformed BibTeX entry: @string macros make this value longer "
        "than 1,000,000 characters"
    )
    assert result.rejects[0].text == "@string{m10 = m9 # m9}"


def test_a_short_string_chain_still_expands() -> None:
    from litreview.io.bibtex import read_bibtex

    result = read_bibtex(_doubling_chain(3), "chain.bib", source="s")
    assert not result.rejects and result.records[0].title == "x" * 8000


# --- 10: control characters from the data never reach the terminal raw ---------------------------

EVIL = "Evil \x1b[2J\x1b]0;pwned\x07 title \x9b31m [/x]"


def test_screen_next_shows_control_characters_escaped_and_keeps_them_stored(tmp_path: Path) -> None:
    root = tmp_path / "r"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    bib = tmp_path / "evil.bib"
    bib.write_text(
        f"@article{{Beta2021, author = {{Beta, B.}}, title = {{{EVIL}}}, journal = {{J}}, year = 2021}}\n",
        encoding="utf-8",
    )
    assert _run(root, "import", str(bib), "--source", "scopus").exit_code == 0
    result = _run(root, "screen", "next", "--reviewer", "ana")
    assert result.exit_code == 0, result.output
    assert "Evil \\x1b[2J\\x1b]0;pwned\\x07 title \\x9b31m [/x]" in result.output
    assert not any(c in result.output for c in "\x1b\x07\r\x9b")
    assert EVIL in (root / "corpus" / "records.bib").read_text(encoding="utf-8")


def test_located_messages_plain_lines_and_rich_tables_escape_control_characters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rich.table import Table

    from litreview.cli._common import echo, for_terminal, report, stdout_console
    from litreview.model import Location, Problem, Severity

    assert for_terminal("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    report([Problem(Location("corpus/records.bib", 3, "K"), f"bad {EVIL}", Severity.ERROR, "x")])
    echo(EVIL + "\r")
    table = Table()
    table.add_column("title")
    table.add_row(EVIL.replace("[/x]", ""))
    stdout_console().print(table)
    out, err = capsys.readouterr()
    assert err.startswith("corpus/records.bib:3 [K]: error: bad Evil \\x1b[2J")
    assert out.count("\\x1b[2J") == 2
    assert not any(c in out + err for c in "\x1b\x07\r\x9b")


# --- 11: answers that say what is wrong -----------------------------------------------------------


def test_stats_of_a_file_that_does_not_exist_is_exit_2_no_such_file(proj: Path) -> None:
    result = _run(proj, "stats", "nonexist.bib")
    assert result.exit_code == 2
    assert result.stderr.startswith("nonexist.bib: error: no such file")


def test_screen_next_with_an_unknown_stage_names_the_stages_with_did_you_mean(proj: Path) -> None:
    result = _run(proj, "screen", "next", "--stage", "ful-text", "--reviewer", "ana")
    assert result.exit_code == 2
    assert (
        "--stage: error: unknown stage 'ful-text'; the protocol's stages are title-abstract, full-text "
        "(did you mean 'full-text'?)"
    ) in result.stderr
    assert "nothing left" not in result.output


def test_importing_a_folder_says_it_is_a_folder_and_names_its_files(
    proj: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "scopus.ris").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(proj), "import", "exports", "--source", "scopus"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "exports: error: is a folder, not an export file (it holds scopus.ris; "
        "name the files, e.g. exports/*)"
    )


def test_a_nul_in_a_yaml_file_is_reported_at_its_line(tmp_path: Path) -> None:
    from litreview.files.yamlio import load_yaml_text

    with pytest.raises(ConfigError) as caught:
        load_yaml_text("version: 1\nthemes:\n- id: a\x00b\n", "themes.yaml")
    assert str(caught.value.problems[0]).startswith(
        "themes.yaml:3: error: invalid YAML: character U+0000 is not allowed in YAML text"
    )


@pytest.mark.parametrize(
    "command", [["status"], ["render"], ["export", "--format", "ris"], ["tag"]]
)
def test_an_unclosed_brace_in_the_corpus_is_reported_instead_of_decisions_losing_their_record(
    proj: Path, command: list[str]
) -> None:
    assert (
        _run(
            proj,
            "screen",
            "decide",
            "Forbes2006",
            "include",
            "--stage",
            "title-abstract",
            "--reviewer",
            "ana",
        ).exit_code
        == 0
    )
    records = proj / "corpus" / "records.bib"
    text = records.read_text(encoding="utf-8")
    records.write_text(
        text.replace("title = {Social identity", "title = {{Social identity"), encoding="utf-8"
    )
    line = text[: text.index("@article{Forbes2006")].count("\n") + 1
    result = _run(proj, *command)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"corpus/records.bib:{line} [Forbes2006]: error: malformed BibTeX entry"
    )
    assert "not in the corpus" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [["status"], ["screen"], ["screen", "prisma"], ["render"], ["export", "--format", "csv"]],
)
def test_an_entry_copied_under_its_own_key_stops_the_counts_instead_of_counting_it_twice(
    proj: Path, command: list[str]
) -> None:
    # a git merge that kept both sides of a conflict in records.bib: one work, two entries, one key
    records = proj / "corpus" / "records.bib"
    text = records.read_text(encoding="utf-8")
    start = text.index("@article{Forbes2006,")
    entry = text[start : text.index("\n}\n", start) + 3]
    records.write_text(text + "\n" + entry.replace("Social identity", "Social identities"))
    line = text[:start].count("\n") + 1
    result = _run(proj, *command)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        f"corpus/records.bib:{line} [Forbes2006]: error: citation key 'Forbes2006' is used by "
        "2 entries"
    )
    assert result.stdout == ""  # no counts, no table, no export with one of the two


def test_an_extraction_value_of_the_wrong_type_is_called_that_not_missing(tmp_path: Path) -> None:
    from litreview.extract.extraction import FieldSpec, load_extraction

    path = tmp_path / "extraction.yaml"
    path.write_text(
        "version: 1\nstudies:\n- key: A2020\n  design: [case study, survey]\n  relevance: [direct]\n",
        encoding="utf-8",
    )
    result = load_extraction(
        path, (FieldSpec("design", "Design", required=True),), ["A2020"], "extraction.yaml"
    )
    assert [str(p).split(" (")[0] for p in result.problems] == [
        "extraction.yaml:4 [A2020]: error: field 'design' has the wrong type: expected text, found a list",
        "extraction.yaml:5 [A2020]: error: relevance has the wrong type: expected one of direct, related, found a list",
    ]


def test_a_misspelt_field_in_screening_criteria_is_rejected_with_did_you_mean(proj: Path) -> None:
    protocol = proj / "review.yaml"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(
        text.replace("fields: [title, abstract, keywords]", "fields: [title, abstarct, keywords]"),
        encoding="utf-8",
    )
    result = _run(proj, "check")
    assert result.exit_code == 1
    line = (
        text.splitlines().index(
            next(x for x in text.splitlines() if "fields: [title, abstract, keywords]" in x)
        )
        + 1
    )
    assert (
        f"review.yaml:{line} [fields]: error: unknown field 'abstarct' in 'fields' of criterion 'topic' "
        "(did you mean 'abstract'?)" in result.output
    )
    assert _run(proj, "screen").exit_code == 2


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("threshold: .nan", "threshold must be a number above 0"),
        ("threshold: .inf", "threshold must be a number above 0"),
        (
            "threshold: 1\n  fields: [titel, abstract, funding_details]",
            "unknown field 'titel' (did you mean 'title'?)",
        ),
    ],
)
def test_theme_settings_reject_nan_inf_and_misspelt_fields(setting: str, said: str) -> None:
    from litreview.files.yamlio import load_yaml_text
    from litreview.tag.themes import parse_themes

    text = f"version: 1\nsettings:\n  {setting}\nthemes:\n- id: a\n  label: A\n  terms: [alpha]\n"
    themes, problems = parse_themes(load_yaml_text(text, "themes.yaml"), "themes.yaml")
    assert [p.message + (f" ({p.hint})" if p.hint else "") for p in problems if p.is_error] == [
        said
    ]
    assert themes is None or any(p.is_error for p in problems)


def test_a_field_name_no_known_field_is_close_to_is_still_allowed() -> None:
    from litreview.model import misspelt_field

    assert misspelt_field("funding_details") is None and misspelt_field("abstract") is None
    assert misspelt_field("Abstarct") == "abstract"


def test_a_folder_where_themes_yaml_belongs_gets_the_same_advice(proj: Path) -> None:
    themes = proj / "themes.yaml"
    themes.unlink()
    themes.mkdir()
    result = _run(proj, "tag")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "themes.yaml: error: cannot use this file: Is a directory (a folder stands where "
        "litreview expects a file: rename or remove that folder)"
    )


def test_check_at_a_terminal_prints_markup_and_control_characters_in_data_as_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from litreview.cli import check
    from litreview.model import Location, Problem, Severity

    monkeypatch.setattr(check, "fancy", lambda: True)
    check._print_human(
        [
            Problem(
                Location("corpus/screening.yaml", 3, "smith[/x]"),
                "decision for '[/x]\x1b[2J'",
                Severity.ERROR,
                "unknown-key",
                "hint [/y]",
            )
        ]
    )
    out = capsys.readouterr().out
    assert "3  error [smith[/x]] decision for '[/x]\\x1b[2J' (hint [/y])" in out


def test_a_misspelt_single_field_of_a_country_criterion_is_rejected() -> None:
    from litreview.files.yamlio import load_yaml_text
    from litreview.protocol import parse_protocol

    text = (ROOT / "review.yaml").read_text(encoding="utf-8")
    assert "kind: country" in text
    broken = text.replace("kind: country", "kind: country\n  field: contry", 1)
    _, problems = parse_protocol(load_yaml_text(broken, "review.yaml"), "review.yaml")
    assert [p.message + f" ({p.hint})" for p in problems if p.code == "unknown-field"] == [
        "unknown field 'contry' in 'field' of criterion 'uk' (did you mean 'country'?)"
    ]


@pytest.mark.parametrize("inside", ["corpus", "corpus/searches"])
def test_minus_c_naming_a_folder_inside_a_review_names_the_review_not_init(
    proj: Path, inside: str
) -> None:
    # without this, every command missed review.yaml there and advised `litreview init DIR`
    result = _run(proj / inside, "status")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"{(proj / inside).as_posix()}: error: is a folder inside the review at "
        f"{proj.resolve().as_posix()}, not the review (-C names the review's own folder: "
        f"-C {proj.resolve().as_posix()})"
    )
    assert "litreview init" not in result.stderr
