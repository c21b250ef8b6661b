"""``litreview check``: every stored file validated on its own and against the others, for CI.

Each check is a small function returning problems; :func:`check_project` runs them all and
never stops at the first. Fixes (``--fix``) are limited to changes that cannot lose information.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from litreview.corpus import KEY_SHAPE, Corpus, load_corpus
from litreview.errors import LitreviewError
from litreview.model import Location, Problem, Severity, missing_fields
from litreview.normalize import doi_is_wellformed
from litreview.project import Project


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def errors(self, strict: bool = False) -> list[Problem]:
        return [p for p in self.problems if p.is_error or strict]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "checked": self.checked,
            "errors": sum(1 for p in self.problems if p.is_error),
            "warnings": sum(1 for p in self.problems if not p.is_error),
            "fixed": self.fixed,
            "problems": [p.as_dict() for p in self.problems],
        }


def _err(path: str, line: int | None, key: str | None, message: str, code: str, hint: str | None = None) -> Problem:
    return Problem(Location(path, line, key), message, Severity.ERROR, code, hint)


def _warn(path: str, line: int | None, key: str | None, message: str, code: str, hint: str | None = None) -> Problem:
    return Problem(Location(path, line, key), message, Severity.WARNING, code, hint)


def check_records(corpus: Corpus) -> list[Problem]:
    """Checks on the corpus alone: keys, required fields, identifiers, years."""
    out: list[Problem] = list(corpus.problems)
    path = corpus.path
    this_year = _dt.date.today().year
    seen_key: dict[str, int] = {}
    seen_doi: dict[str, str] = {}
    seen_pmid: dict[str, str] = {}
    for rec in corpus.records:
        line = corpus.lines.get(rec.key)
        if rec.key in seen_key:
            out.append(_err(path, line, rec.key, f"citation key {rec.key!r} is used twice (also line {seen_key[rec.key]})", "duplicate-key"))
        seen_key.setdefault(rec.key, line or 0)
        if not KEY_SHAPE.match(rec.key):
            out.append(_warn(path, line, rec.key, f"citation key {rec.key!r} is not of the form Surname2003a", "key-shape"))
        gaps = missing_fields(rec)
        if gaps:
            out.append(_err(path, line, rec.key, f"@{rec.entry_type} is missing {', '.join(gaps)}", "missing-field"))
        if rec.doi:
            if not doi_is_wellformed(rec.doi):
                out.append(_err(path, line, rec.key, f"DOI {rec.doi!r} is not of the form 10.NNNN/…", "doi-shape"))
            other = seen_doi.setdefault(rec.doi, rec.key)
            if other != rec.key:
                out.append(_err(path, line, rec.key, f"shares DOI {rec.doi} with {other}", "shared-doi",
                                "run `litreview dedupe` or mark the pair with `litreview dedupe decide`"))
        if rec.pmid:
            other = seen_pmid.setdefault(rec.pmid, rec.key)
            if other != rec.key:
                out.append(_err(path, line, rec.key, f"shares PMID {rec.pmid} with {other}", "shared-pmid"))
        if rec.year is not None and not (1800 <= rec.year <= this_year + 1):
            out.append(_err(path, line, rec.key, f"year {rec.year} is not plausible", "year"))
    return out


Checker = Callable[[Project, Corpus], list[Problem]]


def _guard(name: str, fn: Checker) -> Checker:
    """A checker whose input file cannot be read reports that as a problem, not a crash."""

    def run(project: Project, corpus: Corpus) -> list[Problem]:
        try:
            return fn(project, corpus)
        except LitreviewError as exc:
            return exc.problems
        except ImportError as exc:  # a step not built in this installation
            return [_warn(name, None, None, f"check skipped: {exc}", "unavailable")]

    return run


def extra_checkers() -> list[tuple[str, Checker]]:
    """Cross-file checks supplied by the step modules (protocol, screening, themes, …)."""
    from litreview import crosscheck

    return [(name, _guard(name, fn)) for name, fn in crosscheck.CHECKERS]


def check_project(project: Project, fix: bool = False) -> CheckReport:
    report = CheckReport()
    rel = project.rel(project.records)
    if not project.records.exists():
        report.problems.append(_err(rel, None, None, "corpus file not found", "missing-file",
                                    "import an export first: litreview import FILE --source NAME"))
        return report
    corpus = load_corpus(project.records, rel, use_cache=False)
    if fix:
        corpus = _apply_fixes(project, corpus, report)
    report.checked.append(rel)
    report.problems.extend(check_records(corpus))
    for name, checker in extra_checkers():
        report.checked.append(name)
        report.problems.extend(checker(project, corpus))
    report.problems.sort(key=lambda p: (p.location.path, p.location.line or 0, p.code, p.message))
    return report


def _apply_fixes(project: Project, corpus: Corpus, report: CheckReport) -> Corpus:
    """Safe fixes only: rewrite the corpus in canonical form.

    Reading already normalises what can be normalised without judgement (DOIs, pages, LaTeX to
    Unicode); writing puts fields in the stable order and entries in key order.
    """
    from litreview.corpus import CORPUS_HEADER, save_corpus
    from litreview.fsutil import corpus_lock
    from litreview.io.bibtex import format_corpus

    records = list(corpus.records)

    new_text = format_corpus(records, CORPUS_HEADER)
    old_text = project.records.read_text(encoding="utf-8")
    if new_text != old_text and not corpus.rejects:
        with corpus_lock(project.corpus_dir):
            save_corpus(project.records, records)
        report.fixed.append(f"{project.rel(project.records)}: rewritten in the canonical field order")
        return load_corpus(project.records, corpus.path, use_cache=False)
    return corpus
