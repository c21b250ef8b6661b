"""The review's themes (``themes.yaml``): a validated model, with every problem located.

A themes file names the themes the review discusses, the question each asks, and the terms that
signal it in a record's fields. Loading checks the whole file and reports every problem at once,
each with ``file:line``: unknown keys (with "did you mean"), duplicate ids, themes without terms,
bad weights and thresholds, unknown field names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litreview.errors import ConfigError
from litreview.files.schema import FileSchema, check_header, unknown_keys
from litreview.files.yamlio import LineDict, line_of, load_yaml, load_yaml_text
from litreview.model import Location, Problem, Severity, misspelt_field
from litreview.text.normalize import clean_text
from litreview.text.termmatch import term_problem, term_words

THEMES_VERSION = 1

#: Fields read when the file does not say, with the weight of a match in each.
DEFAULT_FIELDS: tuple[tuple[str, float], ...] = (
    ("title", 2.0),
    ("abstract", 1.0),
    ("keywords", 1.5),
    ("design", 1.0),
    ("note", 1.0),
)
DEFAULT_THRESHOLD = 2.0
#: a theme carried by fewer included studies than ``settings.min_studies`` (3 unless themes.yaml
#: says otherwise) is a gap in the evidence: the narrative flags it, ``litreview status`` advises
#: on it and ``litreview themes`` lists it. One threshold, set by the review.
DEFAULT_MIN_STUDIES = 3


def few_studies(count: int, min_studies: int = DEFAULT_MIN_STUDIES) -> bool:
    """Whether a theme with ``count`` included studies is a gap in the evidence."""
    return count < min_studies


DEFAULT_SNIPPET = 80

_TOP_KEYS = ("version", "settings", "themes")
_SCHEMA = FileSchema(
    "the themes file",
    _TOP_KEYS,
    THEMES_VERSION,
    "a themes file is a mapping with 'themes' (and optionally 'settings')",
)
_SETTINGS_KEYS = ("threshold", "fields", "min_studies", "snippet")
_THEME_KEYS = ("id", "label", "question", "description", "terms", "negative", "threshold")
_TERM_KEYS = ("term", "weight", "variants")
_ID_SHAPE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_FIELD_SHAPE = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Term:
    """A phrase that signals a theme. ``variants`` are other spellings counted as the same term.

    A phrase is matched word by word, case- and accent-insensitively, at word boundaries; words
    may be separated by spaces or any dash, regular plurals and -ise/-ize spellings match, and a
    trailing ``*`` matches any ending (``manag*``).
    """

    text: str
    weight: float = 1.0
    variants: tuple[str, ...] = ()
    line: int | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.text, *self.variants)


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    question: str = ""
    description: str = ""
    terms: tuple[Term, ...] = ()
    negative: tuple[Term, ...] = ()
    threshold: float | None = None
    line: int | None = None


@dataclass(frozen=True)
class Settings:
    threshold: float = DEFAULT_THRESHOLD
    fields: tuple[tuple[str, float], ...] = DEFAULT_FIELDS
    min_studies: int = DEFAULT_MIN_STUDIES
    snippet: int = DEFAULT_SNIPPET


@dataclass(frozen=True)
class Themes:
    path: str
    themes: tuple[Theme, ...]
    settings: Settings = Settings()
    version: int = THEMES_VERSION

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    def threshold_of(self, theme: Theme) -> float:
        return self.settings.threshold if theme.threshold is None else theme.threshold


def load_themes(path: Path, display: str | None = None) -> Themes:
    """Read and validate a themes file; every error in it is raised together as a ConfigError."""
    shown = display or path.as_posix()
    return themes_or_raise(parse_themes(load_yaml(path, shown), shown), shown)


def load_themes_text(text: str, display: str = "themes.yaml") -> Themes:
    """:func:`load_themes` on text, for tests and for callers that hold the file already."""
    return themes_or_raise(parse_themes(load_yaml_text(text, display), display), display)


def themes_or_raise(parsed: tuple[Themes | None, list[Problem]], shown: str) -> Themes:
    """The themes of a parse, or every error in it raised together as a ConfigError."""
    themes, problems = parsed
    errors = [p for p in problems if p.is_error]
    if errors or themes is None:
        raise ConfigError(errors or [Problem(Location(shown), "no themes", code="themes-empty")])
    return themes


def parse_themes(data: Any, path: str) -> tuple[Themes | None, list[Problem]]:
    """Validate parsed YAML; returns the model (None when unusable) and every problem found."""
    problems: list[Problem] = []

    def err(
        node: Any,
        key: str | None,
        message: str,
        code: str,
        hint: str | None = None,
        where: str | None = None,
    ) -> None:
        problems.append(
            Problem(Location(path, line_of(node, key), where), message, Severity.ERROR, code, hint)
        )

    top, problems = check_header(data, path, _SCHEMA)
    if top is None:
        return None, problems
    settings = _parse_settings(data.get("settings"), data, path, problems)

    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        err(
            data,
            "themes" if "themes" in data else None,
            "'themes' must be a non-empty list of themes",
            "themes-empty",
        )
        return None, problems
    themes: list[Theme] = []
    seen: dict[str, int | None] = {}
    for i, raw in enumerate(raw_themes, 1):
        theme = _parse_theme(raw, i, raw_themes, path, problems, settings)
        if theme is None:
            continue
        if theme.id in seen:
            err(
                raw,
                "id",
                f"duplicate theme id {theme.id!r}",
                "theme-duplicate",
                f"first defined on line {seen[theme.id]}",
                where=theme.id,
            )
            continue
        seen[theme.id] = theme.line
        themes.append(theme)
    if not themes:
        return None, problems
    return Themes(
        path=path, themes=tuple(themes), settings=settings, version=THEMES_VERSION
    ), problems


def _unknown_keys(
    node: dict[str, Any], known: tuple[str, ...], path: str, problems: list[Problem], where: str
) -> None:
    problems.extend(unknown_keys(node, known, path, None, at=where))


def _number(value: Any) -> float | None:
    """A finite number, else None: ``.nan`` compares false with everything (a threshold of
    .nan passed ``<= 0`` and then tagged nothing) and ``.inf`` can never be reached."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return number if math.isfinite(number) else None


def _parse_settings(raw: Any, parent: Any, path: str, problems: list[Problem]) -> Settings:
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                Location(path, line_of(parent, "settings")),
                "'settings' must be a mapping",
                Severity.ERROR,
                "type",
            )
        )
        return Settings()
    _unknown_keys(raw, _SETTINGS_KEYS, path, problems, where="settings")
    settings = Settings()
    threshold = settings.threshold
    if "threshold" in raw:
        value = _number(raw["threshold"])
        if value is None or value <= 0:
            problems.append(
                Problem(
                    Location(path, line_of(raw, "threshold"), "settings"),
                    "threshold must be a number above 0",
                    Severity.ERROR,
                    "bad-threshold",
                )
            )
        else:
            threshold = value
    fields = settings.fields
    if "fields" in raw:
        fields = _parse_fields(raw["fields"], raw, path, problems) or fields
    min_studies = settings.min_studies
    if "min_studies" in raw:
        v = raw["min_studies"]
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            problems.append(
                Problem(
                    Location(path, line_of(raw, "min_studies"), "settings"),
                    "min_studies must be a whole number, 0 or more",
                    Severity.ERROR,
                    "bad-setting",
                )
            )
        else:
            min_studies = v
    snippet = settings.snippet
    if "snippet" in raw:
        v = raw["snippet"]
        if isinstance(v, bool) or not isinstance(v, int) or v < 10:
            problems.append(
                Problem(
                    Location(path, line_of(raw, "snippet"), "settings"),
                    "snippet must be a whole number of characters, 10 or more",
                    Severity.ERROR,
                    "bad-setting",
                )
            )
        else:
            snippet = v
    return Settings(threshold=threshold, fields=fields, min_studies=min_studies, snippet=snippet)


def _parse_fields(
    raw: Any, parent: Any, path: str, problems: list[Problem]
) -> tuple[tuple[str, float], ...]:
    """``fields`` is a list of names (weight 1 each) or a mapping of name to weight."""
    out: dict[str, float] = {}
    loc_line = line_of(parent, "fields")
    if isinstance(raw, list):
        items: Iterable[tuple[Any, Any]] = ((name, 1.0) for name in raw)
    elif isinstance(raw, dict):
        items = raw.items()
    else:
        problems.append(
            Problem(
                Location(path, loc_line, "settings"),
                "'fields' must be a list of field names or a mapping of field name to weight",
                Severity.ERROR,
                "bad-fields",
            )
        )
        return ()
    for name, weight in items:
        line = line_of(raw, str(name)) if isinstance(raw, LineDict) else loc_line
        if not isinstance(name, str) or not _FIELD_SHAPE.match(name.lower()):
            problems.append(
                Problem(
                    Location(path, line, "settings"),
                    f"bad field name {name!r}",
                    Severity.ERROR,
                    "bad-fields",
                )
            )
            continue
        near = misspelt_field(name)
        if near:
            problems.append(
                Problem(
                    Location(path, line, "settings"),
                    f"unknown field {name!r}",
                    Severity.ERROR,
                    "bad-fields",
                    f"did you mean {near!r}?",
                )
            )
            continue
        w = _number(weight)
        if w is None or w <= 0:
            problems.append(
                Problem(
                    Location(path, line, "settings"),
                    f"weight of field {name!r} must be a number above 0",
                    Severity.ERROR,
                    "bad-weight",
                )
            )
            continue
        out[name.lower()] = w
    if not out:
        problems.append(
            Problem(
                Location(path, loc_line, "settings"),
                "'fields' names no field to read",
                Severity.ERROR,
                "bad-fields",
            )
        )
    return tuple(out.items())


def _parse_theme(
    raw: Any, index: int, parent: list[Any], path: str, problems: list[Problem], settings: Settings
) -> Theme | None:
    line = line_of(raw) or line_of(parent)
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                Location(path, line),
                f"theme {index} must be a mapping with id, label and terms",
                Severity.ERROR,
                "type",
            )
        )
        return None
    tid = raw.get("id")
    where = tid if isinstance(tid, str) else f"theme {index}"
    _unknown_keys(raw, _THEME_KEYS, path, problems, where=where)
    ok = True
    if not isinstance(tid, str) or not _ID_SHAPE.match(tid):
        problems.append(
            Problem(
                Location(path, line_of(raw, "id") if "id" in raw else line, where),
                "theme id must be lower-case words joined by hyphens, e.g. 'policy-context'"
                if tid is not None
                else "theme has no id",
                Severity.ERROR,
                "theme-id",
            )
        )
        ok = False
    texts: dict[str, str] = {}
    for key in ("label", "question", "description"):
        value = raw.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.append(
                Problem(
                    Location(path, line_of(raw, key), where),
                    f"{key} must be text",
                    Severity.ERROR,
                    "type",
                )
            )
            ok = False
            value = ""
        texts[key] = clean_text(value)
    if not texts["label"]:
        problems.append(
            Problem(
                Location(path, line_of(raw, "label") if "label" in raw else line, where),
                "theme has no label",
                Severity.ERROR,
                "theme-label",
            )
        )
        ok = False
    threshold: float | None = None
    if "threshold" in raw:
        threshold = _number(raw["threshold"])
        if threshold is None or threshold <= 0:
            problems.append(
                Problem(
                    Location(path, line_of(raw, "threshold"), where),
                    "threshold must be a number above 0",
                    Severity.ERROR,
                    "bad-threshold",
                )
            )
            ok = False
    terms = _parse_terms(raw, "terms", path, problems, where, required=True)
    negative = _parse_terms(raw, "negative", path, problems, where, required=False)
    if terms is None or negative is None:
        ok = False
    if not ok or terms is None or negative is None:
        return None
    return Theme(
        id=str(tid),
        label=texts["label"],
        question=texts["question"],
        description=texts["description"],
        terms=terms,
        negative=negative,
        threshold=threshold,
        line=line,
    )


def _parse_terms(
    raw: dict[str, Any], key: str, path: str, problems: list[Problem], where: str, required: bool
) -> tuple[Term, ...] | None:
    value = raw.get(key)
    line = line_of(raw, key) if key in raw else line_of(raw)
    if value is None:
        if required:
            problems.append(
                Problem(
                    Location(path, line, where),
                    "theme has no terms",
                    Severity.ERROR,
                    "theme-no-terms",
                    "list the phrases that signal this theme under 'terms'",
                )
            )
            return None
        return ()
    if not isinstance(value, list):
        problems.append(
            Problem(
                Location(path, line, where),
                f"'{key}' must be a list of phrases",
                Severity.ERROR,
                "type",
            )
        )
        return None
    if not value and required:
        problems.append(
            Problem(
                Location(path, line, where),
                "theme has an empty term list",
                Severity.ERROR,
                "theme-no-terms",
                "list the phrases that signal this theme under 'terms'",
            )
        )
        return None
    out: list[Term] = []
    ok = True
    seen: dict[str, int | None] = {}
    for item in value:
        term = _parse_term(item, value, path, problems, where, key)
        if term is None:
            ok = False
            continue
        for form in term.forms:
            norm = " ".join(
                term_words(form)
            )  # the engine's words: "doctor/manager" = "doctor manager"
            if norm in seen:
                problems.append(
                    Problem(
                        Location(path, term.line, where),
                        f"term {form!r} is listed twice in '{key}'",
                        Severity.WARNING,
                        "term-duplicate",
                        f"first on line {seen[norm]}",
                    )
                )
            seen.setdefault(norm, term.line)
        out.append(term)
    return tuple(out) if ok else None


def _parse_term(
    item: Any, parent: Any, path: str, problems: list[Problem], where: str, key: str
) -> Term | None:
    line = line_of(item) or line_of(parent)
    text: Any
    variants: tuple[str, ...]
    if isinstance(item, str):
        text, weight, variants = item, 1.0, ()
    elif isinstance(item, dict):
        _unknown_keys(item, _TERM_KEYS, path, problems, where=where)
        text = item.get("term")
        weight_raw = item.get("weight", 1.0)
        w = _number(weight_raw)
        if w is None or w <= 0:
            problems.append(
                Problem(
                    Location(path, line_of(item, "weight"), where),
                    "term weight must be a number above 0",
                    Severity.ERROR,
                    "bad-weight",
                    "a term that counts against a theme goes under 'negative'",
                )
            )
            return None
        weight = w
        raw_variants = item.get("variants", [])
        if not isinstance(raw_variants, list) or not all(isinstance(v, str) for v in raw_variants):
            problems.append(
                Problem(
                    Location(path, line_of(item, "variants"), where),
                    "variants must be a list of phrases",
                    Severity.ERROR,
                    "type",
                )
            )
            return None
        variants = tuple(raw_variants)
        if any(k not in _TERM_KEYS for k in item):
            return None
    else:
        problems.append(
            Problem(
                Location(path, line, where),
                f"a {key} entry is a phrase or a mapping with 'term'",
                Severity.ERROR,
                "type",
            )
        )
        return None
    if not isinstance(text, str):
        problems.append(
            Problem(
                Location(path, line, where),
                "term mapping has no 'term' phrase",
                Severity.ERROR,
                "type",
            )
        )
        return None
    for form in (text, *variants):
        bad = term_problem(form)
        if bad:
            problems.append(
                Problem(
                    Location(path, line, where), f"term {form!r}: {bad}", Severity.ERROR, "bad-term"
                )
            )
            return None
    return Term(
        text=clean_text(text),
        weight=weight,
        variants=tuple(clean_text(v) for v in variants),
        line=line,
    )
