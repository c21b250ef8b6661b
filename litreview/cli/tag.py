"""``litreview tag``, ``litreview themes`` and ``litreview themes check``."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    USAGE,
    echo,
    emit_json,
    fancy,
    get_project,
    handle_errors,
    info,
    is_quiet,
    json_option,
    progress_for,
    report,
    stdout_console,
)
from litreview.errors import ConfigError
from litreview.model import Record
from litreview.project import Project
from litreview.review import Review

if TYPE_CHECKING:
    from litreview.corpus.store import Corpus


@dataclass
class _Loaded:
    project: Project
    corpus: Corpus
    themes: Any
    overrides: tuple[Any, ...]
    keys: list[str] | None
    scope: str

    @property
    def records(self) -> tuple[Record, ...]:
        return self.corpus.records


def _included_keys(
    project: Project, corpus: Corpus, aliases: Callable[[], Mapping[str, str]]
) -> tuple[list[str] | None, str]:
    """The keys screening includes, or None (every record) with the reason when it cannot say."""
    if not project.protocol.is_file():
        return None, f"no {project.rel(project.protocol)}: tagging every record"
    from litreview.files.derived import screened_summary

    protocol = Review.of(project).protocol
    # the screening's summary: its included keys and problems, not 100k records' stages
    done, _ = screened_summary(project, corpus, protocol, aliases)
    if any(p.is_error for p in done.problems) or done.log_problems:
        # a dedupe log that does not load: decisions on the records it absorbed went unread
        raise ConfigError([*done.log_problems, *(p for p in done.problems if p.is_error)])
    return list(done.included), "included studies"


def _load(ctx: click.Context, tag_all: bool) -> _Loaded:
    from litreview.tag.engine import load_overrides

    project = get_project(ctx)
    themes = Review.of(project).themes
    corpus = Review.of(project).sound_corpus()
    known = list(corpus.keys)
    read: list[Mapping[str, str]] = []

    def aliases() -> Mapping[str, str]:
        # read once for the overrides and the decisions, and only when one of them needs it
        if not read:
            read.append(Review.of(project).aliases)
        return read[0]

    from litreview.cli._common import corrected

    corpus = corrected(project, corpus)
    overrides: tuple[Any, ...] = ()
    problems: list[Any] = []
    if project.theme_overrides.exists():
        overrides, problems = load_overrides(
            project.theme_overrides, known, themes, project.rel(project.theme_overrides), aliases()
        )
    if any(p.is_error for p in problems):
        raise ConfigError(problems)
    report(problems)
    for o in overrides:
        if o.alias:
            info(
                ctx,
                f"{o.path}:{o.line}: info: the override for {o.alias} applies to {o.key}, "
                f"which absorbed it in a dedupe merge",
            )
    if tag_all:
        keys, scope = None, "every record"
    else:
        keys, scope = _included_keys(project, corpus, aliases)
        if keys is None:
            info(ctx, f"{scope} (pass --all to say so)")
            scope = "every record"
    return _Loaded(project, corpus, themes, overrides, keys, scope)


@click.command("tag")
@click.option(
    "--all", "tag_all", is_flag=True, help="Tag every record, not only the included studies."
)
@click.option("--key", "only", multiple=True, help="Show only this record (repeatable).")
@click.option(
    "--explain",
    metavar="KEY",
    default=None,
    help="Show every theme's score, threshold, evidence and override for one record (a key a "
    "dedupe merge absorbed: its survivor).",
)
@json_option
@click.pass_context
@handle_errors
def tag_cmd(
    ctx: click.Context, tag_all: bool, only: tuple[str, ...], explain: str | None, as_json: bool
) -> None:
    """Tag the included studies with the themes of themes.yaml, with the evidence.

    Each study gets the themes whose terms score at or above the threshold, with the
    matched phrases, the field and a snippet; people's overrides from
    corpus/theme-overrides.yaml go on top and are marked as overrides.

    \b
    Example:
      litreview tag
      litreview tag --all --json
      litreview tag --key Harvey2014
      litreview tag --explain Harvey2014
    """
    from litreview.files.derived import tagged as cached_tags
    from litreview.tag.engine import tag_records

    loaded = _load(ctx, tag_all)
    if explain is not None:
        _explain(ctx, loaded, explain, as_json)
    keys: Any = loaded.keys
    if only:
        known = {r.key for r in loaded.records}
        missing = [k for k in only if k not in known]
        if missing:
            from litreview.files.yamlio import suggest

            for key in missing:
                hint = suggest(key, tuple(known))
                echo(f"no record {key!r} in the corpus" + (f" ({hint})" if hint else ""), err=True)
            ctx.exit(USAGE)
        if keys is not None:
            # a record outside the scope would be left out without a word ("0 of 0 records")
            in_scope = set(keys)
            for key in (k for k in only if k not in in_scope):
                info(
                    ctx,
                    f"{key} is not among the {loaded.scope}, so it is not tagged "
                    f"(`litreview tag --all --key {key}` tags it)",
                )
        keys = set(only) if keys is None else set(only) & set(keys)
    overrides = [o for o in loaded.overrides if not only or o.key in only]
    if only:
        result = tag_records(
            loaded.records, loaded.themes, overrides, keys=keys, progress=progress_for(ctx)
        )
    else:
        result = cached_tags(
            loaded.project,
            loaded.corpus,
            loaded.themes,
            overrides,
            keys,
            progress=progress_for(ctx),
        )
    report(result.problems if not is_quiet(ctx) else ())
    if as_json:
        data = result.as_dict()
        data["scope"] = loaded.scope
        emit_json(data)
        ctx.exit(OK)
    labels = {t.id: t.label for t in loaded.themes.themes}
    for rec in result.records.values():
        echo(
            f"{rec.key}: "
            + (
                ", ".join(
                    t.theme + (" (override)" if t.source == "override" else "") for t in rec.themes
                )
                or "no theme"
            )
        )
        for t in rec.themes:
            by = f" by {t.reviewer}" if t.reviewer else ""
            head = f"  {t.theme} [{labels[t.theme]}] score {t.score:g}"
            if t.source == "override":
                head += f" — added{by} (override)"
            elif t.reviewer or t.note:
                head += f" — confirmed{by}"
            echo(head + (f": {t.note}" if t.note else ""))
            for e in t.evidence:
                sign = "against, " if e.negative else ""
                echo(f'    {e.field}: "{e.phrase}" ({sign}{e.weight:+g}) {e.snippet}')
        for r in rec.removed:
            by = f" by {r.reviewer}" if r.reviewer else ""
            was = f"rule score {r.score:g}" if r.by_rule else "not assigned by the terms"
            echo(f"  {r.theme} removed{by} (override; {was})" + (f": {r.note}" if r.note else ""))
    tagged = sum(1 for r in result.records.values() if r.themes)
    info(ctx, f"{tagged} of {len(result.records)} records ({loaded.scope}) have a theme")
    ctx.exit(OK)


def _explain(ctx: click.Context, loaded: _Loaded, key: str, as_json: bool) -> None:
    from litreview.tag.engine import explain

    asked = key
    record = next((r for r in loaded.records if r.key == key), None)
    if record is None:
        # a key a dedupe merge absorbed (overrides and decisions may name one): its survivor
        from litreview.corpus.mergemap import MergeMap
        from litreview.review import Review

        survivor = MergeMap(Review.of(loaded.project).aliases).survivor(
            key, frozenset(loaded.corpus.keys)
        )
        record = next((r for r in loaded.records if r.key == survivor), None)
        if record is not None:
            info(ctx, f"{key} was merged into {record.key} by dedupe: explaining {record.key}")
            key = record.key
    if record is None:
        from litreview.files.yamlio import suggest

        hint = suggest(key, tuple(r.key for r in loaded.records))
        echo(f"no record {key!r} in the corpus" + (f" ({hint})" if hint else ""), err=True)
        ctx.exit(USAGE)
        return
    rows = explain(record, loaded.themes, loaded.overrides)
    scope = "" if loaded.keys is None or key in loaded.keys else f" (not among the {loaded.scope})"
    if as_json:
        merged = {"merged_from": asked} if asked != key else {}
        emit_json(
            {
                "version": 1,
                "key": key,
                **merged,
                "in_scope": not scope,
                "themes": [r.as_dict() for r in rows],
            }
        )
        ctx.exit(OK)
    echo(f"{key}{scope}: " + (", ".join(r.theme for r in rows if r.assigned) or "no theme"))
    for r in rows:
        verdict = "assigned by the terms" if r.by_rule else "below the threshold"
        line = f"  {r.theme} [{r.label}] score {r.score:g} / threshold {r.threshold:g}: {verdict}"
        if r.override is not None:
            by = f" by {r.reviewer}" if r.reviewer else ""
            line += f"; {r.override}{by}" + (" (override)" if r.override != "confirmed" else "")
            line += f": {r.note}" if r.note else ""
        echo(line)
        for e in r.evidence:
            sign = "against, " if e.negative else ""
            echo(f'    {e.field}: "{e.phrase}" ({sign}{e.weight:+g}) {e.snippet}')
    ctx.exit(OK)


@click.group("themes", invoke_without_command=True)
@click.option("--all", "tag_all", is_flag=True, help="Every record, not only the included studies.")
@json_option
@click.option(
    "--csv", "as_csv", is_flag=True, help="Print the matrix (studies × themes) as CSV on stdout."
)
@click.pass_context
@handle_errors
def themes_group(ctx: click.Context, tag_all: bool, as_json: bool, as_csv: bool) -> None:
    """Show the coverage matrix: which study carries which theme, and the gaps.

    Cells say how a theme was assigned: R by the terms, O added by a person's override,
    x removed by a person's override. Counts per theme follow, then the studies with no
    theme and the themes with fewer studies than settings.min_studies.

    \b
    Example:
      litreview themes
      litreview themes --csv > build/themes.csv
      litreview themes check
    """
    if ctx.invoked_subcommand is not None:
        return
    from litreview.files.derived import tagged
    from litreview.tag.engine import coverage

    loaded = _load(ctx, tag_all)
    result = tagged(loaded.project, loaded.corpus, loaded.themes, loaded.overrides, loaded.keys)
    cov = coverage(result)
    if as_json:
        data = cov.as_dict()
        data["scope"] = loaded.scope
        emit_json(data)
        ctx.exit(OK)
    if as_csv:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(cov.rows())
        click.echo(buf.getvalue(), nl=False)  # CSV data, as read
        ctx.exit(OK)
    mark = {"rule": "R", "override": "O", "removed": "x"}
    if fancy():
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=f"Themes × studies ({loaded.scope})")
        table.add_column("Study")
        for t in cov.themes:
            table.add_column(t, justify="center")
        for k in cov.keys:
            table.add_row(
                escape(k), *(mark.get(cov.cell(k, t), "") for t in cov.themes)
            )  # a key is not markup
        table.add_row("[bold]studies[/bold]", *(f"[bold]{cov.count(t)}[/bold]" for t in cov.themes))
        stdout_console().print(table)
    else:
        width = max([len("study"), *(len(k) for k in cov.keys)])
        echo("study".ljust(width) + "  " + "  ".join(cov.themes))
        for k in cov.keys:
            echo(
                k.ljust(width)
                + "  "
                + "  ".join(mark.get(cov.cell(k, t), ".").center(len(t)) for t in cov.themes)
            )
    echo("")
    for t, label in zip(cov.themes, cov.labels, strict=True):
        removed = cov.count_removed(t)
        echo(
            f"{t}: {cov.count(t)} studies ({cov.count_by(t, 'rule')} by terms, "
            f"{cov.count_by(t, 'override')} by override"
            + (f"; removed from {removed} by override" if removed else "")
            + f") — {label}"
        )
    echo(f"studies with no theme ({len(cov.untagged)}): " + (", ".join(cov.untagged) or "none"))
    if cov.sparse:
        echo(f"themes with fewer than {cov.min_studies} studies: " + ", ".join(cov.sparse))
    ctx.exit(OK)


@themes_group.command("check")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (terms that match nothing).")
@json_option
@click.pass_context
@handle_errors
def themes_check(ctx: click.Context, strict: bool, as_json: bool) -> None:
    """Validate themes.yaml (and corpus/theme-overrides.yaml) and report every problem.

    Errors — unknown keys (with "did you mean"), duplicate theme ids, themes without
    terms, bad weights — exit 1, each with file:line. Terms that match nothing in the
    corpus are warnings. An unreadable file (YAML syntax, missing) exits 2.

    \b
    Example:
      litreview themes check
      litreview themes check --strict --json
    """
    from litreview.tag.engine import load_overrides, unmatched_terms

    project = get_project(ctx)
    review = Review.of(project)
    if not project.themes.exists():
        _ = review.themes  # raises the located "no themes.yaml" error
    themes, found = review.parsed("themes", unreadable_raises=True)
    problems = list(found)
    from litreview.cli._common import corrected

    corpus = corrected(project, review.corpus())
    if themes is not None and not any(p.is_error for p in problems):
        problems.extend(unmatched_terms(themes, corpus.records))
        _, oproblems = load_overrides(
            project.theme_overrides,
            [r.key for r in corpus.records],
            themes,
            project.rel(project.theme_overrides),
        )
        problems.extend(oproblems)
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if as_json:
        emit_json(
            {
                "version": 1,
                "ok": not errors,
                "errors": len(errors),
                "warnings": len(warnings),
                "problems": [p.as_dict() for p in problems],
            }
        )
    else:
        report(problems)
        n = len(themes.themes) if themes is not None else 0
        echo(
            f"{project.rel(project.themes)}: {n} themes, {len(errors)} errors, {len(warnings)} warnings"
        )
    ctx.exit(FINDINGS if errors or (strict and warnings) else OK)
