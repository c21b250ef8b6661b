"""Large YAML files go through libyaml's parser; the result, the lines and the limits must not change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.errors import ConfigError
from litreview.files import yamlio

from .conftest import ROOT

pytestmark = pytest.mark.skipif(yamlio._CParser is None, reason="this PyYAML has no libyaml")


def _shape(obj: Any) -> Any:
    """Values with the line of every mapping, key and list, for comparing the two loaders."""
    if isinstance(obj, dict):
        return (
            "map",
            obj.line,
            sorted(obj.key_lines.items()),
            {k: _shape(v) for k, v in obj.items()},
        )
    if isinstance(obj, list):
        return ("list", obj.line, [_shape(v) for v in obj])
    return obj


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    monkeypatch.setattr(yamlio, "FAST_PARSE_CHARS", 10**12)
    pure = yamlio.load_yaml_text(text, "f.yaml")
    monkeypatch.setattr(yamlio, "FAST_PARSE_CHARS", 0)
    fast = yamlio.load_yaml_text(text, "f.yaml")
    return pure, fast


@pytest.mark.parametrize(
    "name",
    [
        "review.yaml",
        "themes.yaml",
        "corpus/duplicates.yaml",
        "corpus/screening.yaml",
        "corpus/extraction.yaml",
        "corpus/theme-overrides.yaml",
    ],
)
def test_fast_and_pure_loaders_agree_on_every_shipped_file(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pure, fast = _both((ROOT / name).read_text(encoding="utf-8"), monkeypatch)
    assert _shape(fast) == _shape(pure)


def test_a_big_duplicates_file_is_read_by_the_fast_parser_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (ROOT / "corpus" / "duplicates.yaml").read_text(encoding="utf-8")
    head, merges = text.split("merges:\n", 1)
    body = merges.split("unsure:", 1)[0]
    big = head + "merges:\n" + body * 200  # merges without their entries: about 2 KB each
    assert len(big) > yamlio.FAST_PARSE_CHARS
    fast = yamlio.load_yaml_text(big, "big.yaml")
    monkeypatch.setattr(yamlio, "FAST_PARSE_CHARS", 10**12)
    assert _shape(fast) == _shape(yamlio.load_yaml_text(big, "big.yaml"))


@pytest.mark.parametrize(
    "text, words",
    [
        ("a: !!python/object/apply:os.system ['true']\n", "not allowed"),
        ("a: &x [1, 2]\nb: *x\nc: !!binary aGVsbG8=\n", "not allowed"),
        ("a: 1\na: 2\n", "appears twice"),
        ("a: !!int abc\n", "cannot read"),
        ("[" * 500 + "]" * 500 + "\n", "nested more than"),
        ("x: [unclosed\n", "invalid YAML"),
    ],
)
def test_the_fast_parser_keeps_every_limit_and_refusal(
    text: str, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlio, "FAST_PARSE_CHARS", 0)
    with pytest.raises(ConfigError) as info:
        yamlio.load_yaml_text(text, "f.yaml")
    problem = info.value.problems[0]
    assert words in problem.message and problem.location.path == "f.yaml"


def test_the_fast_parser_refuses_an_alias_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    monkeypatch.setattr(yamlio, "FAST_PARSE_CHARS", 0)
    with pytest.raises(ConfigError, match="alias"):
        yamlio.load_yaml_text("\n".join(lines) + "\n", "bomb.yaml")


@given(st.text(alphabet=st.sampled_from(list("ab:- \n[]{}&*!'\"#x1")), max_size=80))
def test_arbitrary_text_never_crashes_the_fast_parser_and_agrees_where_both_read_it(
    text: str,
) -> None:
    # libyaml and PyYAML's own parser differ on a few odd corners (a lone ``!`` tag): either may
    # refuse what the other reads, but each answers with values or a located error, and values
    # read by both are the same
    answers = []
    default = yamlio.FAST_PARSE_CHARS
    for limit in (10**12, 0):
        yamlio.FAST_PARSE_CHARS = limit
        try:
            answers.append(("ok", _shape(yamlio.load_yaml_text(text, "f.yaml"))))
        except ConfigError as exc:
            answers.append(("error", exc.problems[0].location.path))
        finally:
            yamlio.FAST_PARSE_CHARS = default
    assert all(a[1] == "f.yaml" for a in answers if a[0] == "error")
    if answers[0][0] == answers[1][0] == "ok" and "!" not in text:  # ``!`` alone: None vs ""
        assert answers[0] == answers[1]


def test_load_yaml_reads_a_file_through_the_same_loaders(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("key:\n  - one\n  - two\n", encoding="utf-8")
    data = yamlio.load_yaml(path)
    assert data == {"key": ["one", "two"]} and data.key_lines == {"key": 1}


def test_a_yaml_file_that_is_not_utf8_is_reported_at_the_line_of_the_bad_byte(
    tmp_path: Path,
) -> None:
    # "not UTF-8 text (byte 616)" named no line: a person had to count bytes to find it
    from litreview.errors import ConfigError
    from litreview.files.yamlio import load_yaml

    path = tmp_path / "R2.yaml"
    path.write_bytes(b"version: 1\ndecisions:\n- key: Caf\xe9 2014\n  stage: full-text\n")
    with pytest.raises(ConfigError) as caught:
        load_yaml(path, "corpus/screening/R2.yaml")
    (problem,) = caught.value.problems
    assert str(problem.location) == "corpus/screening/R2.yaml:3"
    assert problem.message == "not UTF-8 text (byte 32, on line 3)"
    assert problem.hint is not None and "UTF-8" in problem.hint


@pytest.mark.parametrize("text", ["a: [1, 2\nb: 3\n", "a: 1\n  b: 2\n", "- x\ny: 1\n", "a: \x00\n"])
def test_fast_parsing_reports_a_broken_file_as_the_usual_parser_does(text: str) -> None:
    with pytest.raises(ConfigError) as usual:
        yamlio.load_yaml_text(text, "f.yaml")
    with pytest.raises(ConfigError) as fast:
        yamlio.load_yaml_text(text, "f.yaml", fast=True)
    assert [p.as_dict() for p in fast.value.problems] == [p.as_dict() for p in usual.value.problems]
    good = "a: [1, 2]\nb: {c: x}\n"
    assert yamlio.load_yaml_text(good, "f.yaml", fast=True) == yamlio.load_yaml_text(good, "f.yaml")


CONFLICTED_FULLTEXT = """version: 1
items:
<<<<<<< HEAD
- key: Ham2011
  status: retrieved
  path: ft/ham.pdf
=======
- key: Ham2011
  status: not-retrieved
  reason: no library had it
>>>>>>> theirs
"""


@pytest.mark.parametrize("fast", [False, True])
def test_a_yaml_file_left_with_git_conflict_markers_says_so_at_each_marker(fast: bool) -> None:
    """It used to read "a line that is not `key: value`" at the line after the first marker."""
    with pytest.raises(ConfigError) as err:
        yamlio.load_yaml_text(CONFLICTED_FULLTEXT, "corpus/fulltext.yaml", fast=fast)
    found = [(p.location.line, p.message, p.code) for p in err.value.problems]
    assert found == [
        (3, "git merge-conflict marker <<<<<<<", "merge-conflict"),
        (7, "git merge-conflict marker =======", "merge-conflict"),
        (11, "git merge-conflict marker >>>>>>>", "merge-conflict"),
    ]
