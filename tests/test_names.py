"""Splitting author lists at top-level separators."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from litreview.text.names import _AND, split_top_level

_COMMA = re.compile(r",")


def _walk(text: str, sep: re.Pattern[str]) -> list[str]:
    """The plain character walk: the definition split_top_level must agree with."""
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = sep.match(text, i)
            if m and m.end() > i:
                parts.append(text[start:i])
                start = i = m.end()
                continue
        i += 1
    parts.append(text[start:])
    return parts


_pieces = st.sampled_from(
    [
        "Smith, J.",
        " and ",
        "  AND ",
        "{",
        "}",
        'Zo{\\"e}',
        "{Smith and Sons}",
        ",",
        " ",
        "and",
        "\tand\n",
        "Müller",
        "{{x}",
        "}}",
    ]
)


@given(st.lists(_pieces, max_size=12).map("".join), st.sampled_from([_AND, _COMMA]))
def test_split_top_level_agrees_with_a_plain_walk_over_the_characters(
    text: str, sep: re.Pattern[str]
) -> None:
    assert split_top_level(text, sep) == _walk(text, sep)


def test_a_braced_name_stays_one_name() -> None:
    assert split_top_level('{Smith and Sons} and Zo{\\"e}, A.', _AND) == [
        "{Smith and Sons}",
        'Zo{\\"e}, A.',
    ]
