"""The outcome and decision words are StrEnums that still write as the plain strings."""

from __future__ import annotations

import json

from litreview.files.yamlio import dump_yaml
from litreview.outcomes import Choice, Outcome, StageOutcome


def test_the_words_are_the_strings_every_output_has_always_used() -> None:
    assert [str(c) for c in Choice] == ["include", "exclude", "maybe"]
    assert [str(s) for s in StageOutcome] == ["include", "exclude", "needs-person"]
    assert [str(o) for o in Outcome] == ["included", "excluded", "needs-person", "duplicate"]


def test_a_member_is_written_as_its_string_in_yaml_json_and_text() -> None:
    assert dump_yaml({"decision": Choice.EXCLUDE, "outcome": Outcome.NEEDS_PERSON}) == (
        "decision: exclude\noutcome: needs-person\n"
    )
    assert json.dumps({"o": Outcome.INCLUDED}) == '{"o": "included"}'
    assert f"{Outcome.EXCLUDED} at {StageOutcome.NEEDS_PERSON}" == "excluded at needs-person"


def test_the_screening_and_export_names_are_the_members() -> None:
    from litreview.export import records as export
    from litreview.screen import engine as screen

    assert screen.INCLUDED is Outcome.INCLUDED and export.DUPLICATE is Outcome.DUPLICATE
    assert tuple(Choice) == screen.DECISION_VALUES and screen.EXCLUDE is StageOutcome.EXCLUDE
