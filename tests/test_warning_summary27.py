"""`screen` on a screened review can have tens of thousands of warnings of one kind (a decision
that does not count yet): the human output shows the first few and counts the rest, saying how
to list them; --json and --all-warnings list every one. Nothing is hidden without a count."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import copy_of_shipped_review, invoke


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "reference")


def _unreached_decisions(root: Path, how_many: int) -> list[str]:
    """Add a full-text decision on ``how_many`` records a person excluded at title and abstract:
    each one a "does not count" warning of one code. Their keys."""
    import re

    screening = root / "corpus" / "screening.yaml"
    text = screening.read_text(encoding="utf-8")
    keys = re.findall(r"- key: (\S+)\n  stage: title-abstract\n  decision: exclude\n", text)
    keys = [k for k in dict.fromkeys(keys) if f"- key: {k}\n  stage: full-text" not in text]
    chosen = keys[:how_many]
    assert len(chosen) == how_many
    added = "".join(
        f"- key: {k}\n  stage: full-text\n  decision: include\n  reviewer: R9\n"
        "  date: '2026-12-01'\n"
        for k in chosen
    )
    screening.write_text(text + added, encoding="utf-8")
    return chosen


def test_screen_shows_the_first_few_warnings_of_one_kind_and_counts_the_rest(root: Path) -> None:
    from litreview.cli._common import SHOWN_OF_A_KIND

    keys = _unreached_decisions(root, SHOWN_OF_A_KIND + 4)
    code, out, err = invoke(root, "screen")
    assert code == 0, out + err
    listed = [line for line in err.splitlines() if "does not count" in line]
    assert len(listed) == SHOWN_OF_A_KIND
    assert (
        "… and 4 more warnings of this kind (decision-unreached); "
        "`litreview screen --all-warnings` (or `--json`) lists every one"
    ) in err
    code, out, err = invoke(root, "screen", "--all-warnings")
    assert code == 0, out + err
    assert sorted(k for k in keys if f"decision on {k} does not count" in err) == sorted(keys)
    assert "more warnings of this kind" not in err


def test_screen_json_lists_every_warning_of_a_kind(root: Path) -> None:
    import json

    keys = _unreached_decisions(root, 9)
    code, out, err = invoke(root, "screen", "--json")
    assert code == 0, out + err
    unreached = [p for p in json.loads(out)["problems"] if p["code"] == "decision-unreached"]
    assert len(unreached) == len(keys)


def test_a_few_warnings_of_one_kind_are_all_shown(root: Path) -> None:
    from litreview.cli._common import SHOWN_OF_A_KIND

    _unreached_decisions(root, SHOWN_OF_A_KIND + 1)  # one more than the few: not worth a count
    code, _out, err = invoke(root, "screen")
    assert code == 0, err
    listed = [line for line in err.splitlines() if "does not count" in line]
    assert len(listed) == SHOWN_OF_A_KIND + 1
    assert "more warning" not in err
