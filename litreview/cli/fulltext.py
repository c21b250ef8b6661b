"""``litreview fulltext``: which reports were retrieved, and why the others were not."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    echo,
    emit_json,
    get_project,
    handle_errors,
    json_option,
    report,
)
from litreview.errors import ConfigError, InputError
from litreview.model import Location, Problem, Severity
from litreview.review import Review

if TYPE_CHECKING:
    from litreview.corpus.store import Corpus
    from litreview.project import Project


@click.group("fulltext")
def fulltext_group() -> None:
    """Full texts of the records that reached the full-text stage (corpus/fulltext.yaml).

    \b
    Example:
      litreview fulltext status
      litreview fulltext set Ham2003 retrieved --path fulltexts/ham2003.pdf
      litreview fulltext set Kirk2009 not-retrieved --reason "no library could lend it"
    """


@fulltext_group.command("status")
@json_option
@click.pass_context
@handle_errors
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the reports sought (records that reached full text) with their retrieval state.

    Exits 1 when a report that waits for a person's full-text decision is neither retrieved nor
    marked not retrieved, or when a mark contradicts a decision; 2 when the file has errors.

    \b
    Example:
      litreview fulltext status
      litreview fulltext status --json
    """
    from litreview.screen.fulltext import FulltextFile, fulltext_stage, reports
    from litreview.workflow.pipeline import load_state

    project = get_project(ctx)
    state = load_state(project)
    file = state.fulltext or FulltextFile({})
    errors = [p for p in file.problems if p.is_error and p.code not in ("fulltext-included",)]
    if errors:
        raise ConfigError(errors)
    found = reports(state.screening, state.protocol, file)
    stage = fulltext_stage(state.protocol)
    missing = [r for r in found if r.missing]
    contradicted = [p for p in file.problems if p.is_error]
    report(file.problems)
    counts = {
        s: sum(1 for r in found if r.state == s) for s in ("retrieved", "not-retrieved", "unknown")
    }
    if as_json:
        emit_json(
            {
                "version": 1,
                "stage": stage,
                "file": project.rel(project.fulltext),
                "reports_sought": len(found),
                **{k.replace("-", "_"): v for k, v in counts.items()},
                "missing": [r.key for r in missing],
                "reports": [r.as_dict() for r in found],
            }
        )
    elif stage is None:
        echo("the protocol has one stage: no report is sought for retrieval")
    else:
        for r in found:
            where = (r.entry.path or r.entry.url or r.entry.reason) if r.entry else ""
            flag = "  ← needs a full text" if r.missing else ""
            echo(f"{r.key}  {r.state}  {r.outcome}" + (f"  {where}" if where else "") + flag)
        echo(
            f"{len(found)} reports sought at {stage}: {counts['retrieved']} retrieved, "
            f"{counts['not-retrieved']} not retrieved, {counts['unknown']} not recorded; "
            f"{len(missing)} waiting for assessment without a full text"
        )
        if missing:
            echo(
                "record each: litreview fulltext set KEY retrieved --path PATH "
                "(or not-retrieved --reason TEXT)",
                err=True,
            )
    ctx.exit(FINDINGS if missing or contradicted else OK)


@fulltext_group.command("set")
@click.argument("key")
@click.argument("status", type=click.Choice(["retrieved", "not-retrieved"]))
@click.option(
    "--path", "path_", default="", help="Where the full text is, relative to the review repository."
)
@click.option("--url", default="", help="Where the full text is online (http or https).")
@click.option(
    "--reason", default="", help="Why it could not be retrieved (required for not-retrieved)."
)
@click.option("--note", default="", help="Free text kept with the item.")
@click.option("--date", default=None, help="YYYY-MM-DD (default: today).")
@json_option
@click.pass_context
@handle_errors
def set_cmd(
    ctx: click.Context,
    key: str,
    status: str,
    path_: str,
    url: str,
    reason: str,
    note: str,
    date: str | None,
    as_json: bool,
) -> None:
    """Record one report's retrieval in corpus/fulltext.yaml (written atomically, under the lock).

    Setting a key again replaces its item. A key that a dedupe merge absorbed is recorded as
    written and applies to its survivor.

    \b
    Example:
      litreview fulltext set Ham2003 retrieved --path fulltexts/ham2003.pdf
      litreview fulltext set Kirk2009 not-retrieved --reason "author did not reply"
    """
    from litreview.screen.decisions import today
    from litreview.screen.fulltext import Entry, load_fulltext, set_entry, value_problems

    if status == "not-retrieved" and not reason.strip():
        raise InputError.at(
            Location("--reason"),
            "not-retrieved needs a reason",
            hint='say why, e.g. --reason "not held by any library we could reach"',
        )
    if status == "retrieved" and reason:
        raise InputError.at(
            Location("--reason"),
            "a reason is for reports not retrieved",
            hint="use --note for anything else about a retrieved report",
        )
    project = get_project(ctx)
    corpus = Review.of(project).corpus()
    shown = project.rel(project.fulltext)
    from litreview.corpus.madeon import titles_now

    # the item keeps the title of the record it is set on (a later change of work is then seen)
    title = titles_now(project, [key], Review.of(project).aliases).get(key, "")
    entry = Entry(
        key,
        status,
        path_.strip(),
        url.strip(),
        reason.strip(),
        date or today(),
        note.strip(),
        title=title,
    )
    bad = value_problems(key, status, entry.reason, entry.path, entry.url, entry.date)
    if bad:
        raise InputError(
            [
                Problem(Location(f"--{name}"), message, Severity.ERROR, code, hint)
                for name, message, code, hint in bad
            ]
        )
    saved = set_entry(project.fulltext, shown, set(corpus.keys), Review.of(project).aliases, entry)
    after = load_fulltext(project.fulltext, shown, set(corpus.keys), Review.of(project).aliases)
    warnings = [p for p in after.problems if not p.is_error]
    if entry.path and not (project.root / entry.path).exists():
        # a typo in the path is found now, not when someone opens the file for extraction
        warnings.append(
            Problem(
                Location("--path"),
                f"no file at {entry.path} (relative to {project.root.as_posix()})",
                Severity.WARNING,
                "no-fulltext-file",
                "recorded as given; put the file there, or set the item again with its path",
            )
        )
    warnings += _unreached(project, corpus, saved.alias or saved.key)
    report(warnings)
    if as_json:
        emit_json({"version": 1, "item": saved.as_dict(), "record": saved.key, "path": shown})
        return
    echo(
        f"{saved.alias or saved.key}: {saved.status}"
        + (f" (applies to {saved.key})" if saved.alias else "")
        + f" → {shown}"
    )


def _unreached(project: Project, corpus: Corpus, key: str) -> list[Problem]:
    """The warning ``check`` would give for a report marked not retrieved whose record never
    reached the full-text stage (the mark is not counted), given now, when the person can
    still tell a mistyped key from a record screened out. Through the screening cache: after
    a screen, a read. Nothing when the review cannot be screened (its commands say why)."""
    from litreview.errors import LitreviewError
    from litreview.files.derived import screened

    try:
        done = screened(project, corpus, Review.of(project).protocol)
    except LitreviewError:
        return []
    if done.fulltext is None:
        return []
    return [
        p
        for p in done.fulltext.problems
        if p.code == "fulltext-not-sought" and p.location.key == key
    ]
