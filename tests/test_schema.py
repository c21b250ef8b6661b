"""Every stored YAML file reports the same slip with the same code, located, never raised."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from litreview.corpus.corrections import parse_corrections
from litreview.extract.extraction import parse_extraction
from litreview.files.schema import FileSchema, check_header
from litreview.files.yamlio import load_yaml_text
from litreview.model import Problem
from litreview.protocol import load_protocol, parse_protocol
from litreview.report.narrative import parse_narrative
from litreview.screen.audit import parse_audits
from litreview.screen.decisions import parse_decisions
from litreview.screen.fulltext import load_fulltext
from litreview.tag.engine import parse_overrides
from litreview.tag.themes import load_themes, parse_themes
from tests.conftest import ROOT

PROTOCOL = load_protocol(ROOT / "review.yaml")
THEMES = load_themes(ROOT / "themes.yaml")


def _fulltext(data: Any, path: str) -> list[Problem]:
    import tempfile

    from litreview.files.yamlio import dump_yaml

    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "f.yaml"
        file.write_text(dump_yaml(data), encoding="utf-8")
        return list(load_fulltext(file, path, ()).problems)


def _duplicates(data: Any, path: str) -> list[Problem]:
    import tempfile

    from litreview.dedupe.store import load_duplicates
    from litreview.errors import ConfigError
    from litreview.files.yamlio import dump_yaml

    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "duplicates.yaml"
        file.write_text(dump_yaml(data), encoding="utf-8")
        try:
            load_duplicates(file, path)
        except ConfigError as exc:
            return list(exc.problems)
        return []


#: what each file says it reads when the version is wrong (the dedupe log still reads version 1)
READS = {"duplicates.yaml": "this litreview reads versions 1 and 2"}

#: (file, its list key, a function returning the problems found in parsed data)
LOADERS: list[tuple[str, str, Callable[[Any, str], list[Problem]]]] = [
    ("review.yaml", "sources", lambda d, p: parse_protocol(d, p)[1]),
    ("themes.yaml", "themes", lambda d, p: parse_themes(d, p)[1]),
    ("screening.yaml", "decisions", lambda d, p: parse_decisions(d, p, (), PROTOCOL)[1]),
    ("theme-overrides.yaml", "overrides", lambda d, p: parse_overrides(d, p, (), THEMES)[1]),
    ("extraction.yaml", "studies", lambda d, p: list(parse_extraction(d, p).problems)),
    ("fulltext.yaml", "items", _fulltext),
    ("rule-audit.yaml", "audits", lambda d, p: parse_audits(d, p, PROTOCOL)[1]),
    ("corrections.yaml", "corrections", lambda d, p: parse_corrections(d, p, ())[1]),
    ("narrative.yaml", "sections", lambda d, p: list(parse_narrative(d, p).problems)),
    ("duplicates.yaml", "merges", _duplicates),
]
IDS = [name for name, _, _ in LOADERS]


@pytest.mark.parametrize(("name", "key", "parse"), LOADERS, ids=IDS)
def test_an_unsupported_version_has_one_code_and_names_the_version_read(
    name: str, key: str, parse: Callable[[Any, str], list[Problem]]
) -> None:
    problems = [
        p
        for p in parse(load_yaml_text(f"version: 7\n{key}: []\n", name), name)
        if p.code == "version"
    ]
    [p] = problems
    assert (p.location.path, p.location.line, p.location.key) == (name, 1, "version")
    assert p.message.startswith("unsupported version 7 of the ")
    assert p.hint == READS.get(name, "this litreview reads version 1")


@pytest.mark.parametrize(("name", "key", "parse"), LOADERS, ids=IDS)
def test_a_misspelt_top_level_key_is_unknown_key_with_did_you_mean(
    name: str, key: str, parse: Callable[[Any, str], list[Problem]]
) -> None:
    typo = key[:-2] + key[-1] + key[-2]  # the last two letters swapped
    problems = [
        p
        for p in parse(load_yaml_text(f"version: 1\n{typo}: []\n", name), name)
        if p.code == "unknown-key"
    ]
    [p] = problems
    assert (p.location.line, p.location.key, p.hint) == (2, typo, f"did you mean {key!r}?")


@pytest.mark.parametrize(("name", "key", "parse"), LOADERS, ids=IDS)
def test_a_list_at_the_top_is_a_type_problem_not_an_exception(
    name: str, key: str, parse: Callable[[Any, str], list[Problem]]
) -> None:
    [p] = parse(load_yaml_text("- a\n- b\n", name), name)
    assert (p.code, p.location.path, p.location.line, p.is_error) == ("type", name, 1, True)


# review.yaml has no one list; themes.yaml's themes are required, a missing or bad list is themes-empty
LISTED = [x for x in LOADERS if x[0] not in ("review.yaml", "themes.yaml")]


@pytest.mark.parametrize(("name", "key", "parse"), LISTED, ids=[x[0] for x in LISTED])
def test_the_list_under_its_key_must_be_a_list(
    name: str, key: str, parse: Callable[[Any, str], list[Problem]]
) -> None:
    problems = [
        p
        for p in parse(load_yaml_text(f"version: 1\n{key}: oops\n", name), name)
        if p.code == "type"
    ]
    assert [(p.location.line, p.location.key) for p in problems] == [(2, key)]


def test_a_missing_version_means_the_current_one() -> None:
    schema = FileSchema("the test file", ("version", "items"), 3, "must be a mapping")
    top, problems = check_header(load_yaml_text("items: []\n", "t.yaml"), "t.yaml", schema)
    assert top == {"items": []} and problems == []
