"""Cross-file checks: each stored file validated against the corpus and the protocol.

Kept apart from :mod:`litreview.check` so that each step's own loader does the validating
(one set of rules, used by the step and by CI alike); this module only calls them.
"""

from __future__ import annotations

from collections.abc import Callable

from litreview.corpus import Corpus
from litreview.model import Location, Problem, Severity
from litreview.project import Project


def _protocol(project: Project) -> object:
    from litreview.protocol import load_protocol

    return load_protocol(project.protocol, project.rel(project.protocol))


def check_protocol(project: Project, corpus: Corpus) -> list[Problem]:
    from litreview.protocol import check_protocol_files

    if not project.protocol.exists():
        return [Problem(Location(project.rel(project.protocol)), "protocol file not found", Severity.WARNING,
                        "missing-file", "litreview init writes a starting protocol")]
    protocol = _protocol(project)
    return check_protocol_files(protocol, project.root)  # type: ignore[arg-type]


def check_screening(project: Project, corpus: Corpus) -> list[Problem]:
    from litreview.screen import load_decisions

    if not project.screening.exists() or not project.protocol.exists():
        return []
    _, problems = load_decisions(project.screening, [r.key for r in corpus.records], _protocol(project),  # type: ignore[arg-type]
                                 project.rel(project.screening))
    return problems


def check_themes(project: Project, corpus: Corpus) -> list[Problem]:
    from litreview.tag import load_overrides, unmatched_terms
    from litreview.themes import load_themes

    if not project.themes.exists():
        return []
    themes = load_themes(project.themes, project.rel(project.themes))
    problems = list(unmatched_terms(themes, corpus.records))
    if project.theme_overrides.exists():
        _, more = load_overrides(project.theme_overrides, [r.key for r in corpus.records], themes,
                                 project.rel(project.theme_overrides))
        problems.extend(more)
    return problems


def check_extraction(project: Project, corpus: Corpus) -> list[Problem]:
    from litreview.extraction import FieldSpec, load_extraction

    if not project.extraction.exists():
        return []
    fields = []
    if project.protocol.exists():
        protocol = _protocol(project)
        fields = [FieldSpec(f.name, f.label, f.required) for f in protocol.extraction_fields  # type: ignore[attr-defined]
                  if f.name != "relevance"]
    kwargs = {"fields": fields} if fields else {}
    result = load_extraction(project.extraction, known_keys=[r.key for r in corpus.records],
                             display=project.rel(project.extraction), **kwargs)
    return list(result.problems)


def check_duplicates(project: Project, corpus: Corpus) -> list[Problem]:
    from litreview.dedupe import find_duplicates, load_duplicates

    stored = load_duplicates(project.duplicates, project.rel(project.duplicates))
    problems = list(getattr(stored, "problems", ()))
    result = find_duplicates(corpus.records, decisions=stored.decisions)
    path = project.rel(project.records)
    for merge in result.merges:
        problems.append(Problem(Location(path, None, merge.survivor),
                                f"sure duplicates not merged: {', '.join(r.key for r in merge.absorbed)}",
                                Severity.ERROR, "unmerged-duplicate", "run `litreview dedupe`"))
    for pair in result.unsure:
        problems.append(Problem(Location(path, None, pair.a), f"possible duplicate of {pair.b} waits for a person",
                                Severity.WARNING, "unsure-duplicate", "litreview dedupe review"))
    return problems


def check_templates(project: Project, corpus: Corpus) -> list[Problem]:
    """Every template renders the shipped view model with no undefined variable."""
    from litreview.pipeline import build_render_input
    from litreview.render import render_outputs

    if not project.protocol.exists():
        return []
    templates = project.templates if project.templates.is_dir() else None
    try:
        render_outputs(build_render_input(project), templates_dir=templates)
    except Exception as exc:  # jinja2's UndefinedError, TemplateSyntaxError, SecurityError
        line = getattr(exc, "lineno", None)
        name = getattr(exc, "filename", None) or getattr(exc, "name", None) or project.rel(project.templates)
        return [Problem(Location(str(name), line), f"template does not render: {exc}", Severity.ERROR, "template")]
    return []


CHECKERS: list[tuple[str, Callable[[Project, Corpus], list[Problem]]]] = [
    ("review.yaml", check_protocol),
    ("corpus/screening.yaml", check_screening),
    ("themes.yaml", check_themes),
    ("corpus/extraction.yaml", check_extraction),
    ("corpus/duplicates.yaml", check_duplicates),
    ("templates/", check_templates),
]
