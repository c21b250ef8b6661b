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

from .conftest import FIXTURES

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
    (root / "corpus" / "duplicates.yaml").write_text("version: 1\ndecisions:\n" + textwrap.dedent(body), encoding="utf-8")


@pytest.mark.parametrize(("value", "said"), [("null", "a is null"), ("2019", "a is 2019, not a key")])
def test_a_decision_naming_null_or_a_number_is_an_error_at_its_line(proj: Path, value: str, said: str) -> None:
    from litreview.dedupe.store import load_duplicates

    _decisions(proj, f"""\
        - a: Forbes2006
          b: Currie2006
          decision: different
        - a: {value}
          b: Forbes2006
          decision: same
        """)
    with pytest.raises(ConfigError) as caught:
        load_duplicates(proj / "corpus" / "duplicates.yaml", "corpus/duplicates.yaml")
    assert [str(p).split(" (")[0] for p in caught.value.problems] == \
        [f"corpus/duplicates.yaml:6: error: a decision needs two citation keys, a and b; {said}"]
    result = _run(proj, "check")
    assert result.exit_code == 1 and "corpus/duplicates.yaml:6: error:" in result.output


def test_contradictory_decisions_on_one_pair_fail_check_naming_both_lines(proj: Path) -> None:
    _decisions(proj, """\
        - a: Forbes2006
          b: Currie2006
          decision: same
        - a: Currie2006
          b: Forbes2006
          decision: different
        """)
    result = _run(proj, "check")
    assert result.exit_code == 1
    assert ("corpus/duplicates.yaml:8: error: decision 'different' on Currie2006 and Forbes2006 contradicts "
            "'same' on line 3") in result.output
    assert _run(proj, "dedupe").exit_code == 2  # and no command acts on either verdict


def test_a_decision_naming_a_key_not_in_the_corpus_fails_check_with_did_you_mean(proj: Path) -> None:
    _decisions(proj, """\
        - a: Currie2006
          b: Forbes2007
          decision: different
        """)
    result = _run(proj, "check")
    assert result.exit_code == 1
    assert ("corpus/duplicates.yaml:3: error: decision names 'Forbes2007', which is not in the corpus "
            "(did you mean 'Forbes2006'?)") in result.output
