"""``litreview init``, ``litreview run`` and ``litreview status``: the review as a whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    echo,
    emit_json,
    get_project,
    handle_errors,
    info,
    is_quiet,
    json_option,
    parse_formats,
    progress_bar,
    report,
)


@click.command("run")
@click.option(
    "--format",
    "formats",
    default="md,html,csv,tex,svg,json",
    show_default=True,
    help="Output formats to render, comma-separated.",
)
@click.option("--force", is_flag=True, help="Render even when no input changed since the last run.")
@json_option
@click.pass_context
@handle_errors
def run_cmd(ctx: click.Context, formats: str, force: bool, as_json: bool) -> None:
    """Run the whole pipeline: import every search file, dedupe, screen, tag and render build/.

    Steps whose inputs did not change are not redone. Exit 1 when records were rejected,
    records, unsure duplicate pairs or rule-audit draws wait for a person, a person's 'same'
    could not be applied (the warning says why), or a file in corpus/searches/ is listed under
    no source in review.yaml (and so was not imported).

    \b
    Example:
      litreview run
      litreview -C my-review run --format md,html --json
    """
    from litreview.workflow.pipeline import run_pipeline

    chosen = parse_formats(formats)
    project = get_project(ctx)
    with progress_bar(ctx, log=True) as progress:
        summary = run_pipeline(project, chosen, force=force, progress=progress)
    report(p for p in summary.problems if p.is_error or not is_quiet(ctx))
    if as_json:
        emit_json(summary.as_dict())
    else:
        for step, line in summary.steps:
            echo(f"{step:>24}: {line}")
        flow = summary.flow
        if flow is not None:
            # in PRISMA 2020's terms, as the appendix counts them: what the rules excluded unseen
            # by a person was "marked ineligible by automation tools" before screening
            boxes = flow.flow()
            auto = boxes["automation_ineligible_total"]
            marked = f"marked ineligible by automation {auto}, " if auto else ""
            echo(
                f"{'PRISMA':>24}: identified {flow.identified_total}, duplicates removed "
                f"{flow.duplicates_removed}, {marked}screened {boxes['screened']}, excluded "
                f"{flow.excluded_total - auto}, needs a person {boxes['needs_person']}, "
                f"included {included_text(summary.prisma)}"
            )
    if summary.audit_waiting:
        echo(
            f"{'rule audit':>24}: {summary.audit_waiting} drawn records wait for a person (litreview screen audit)"
        )
    findings = (
        summary.imported_rejects
        or summary.waits_for_person
        or any(
            p.is_error or p.code in ("unlisted-search", "decision-conflict")
            for p in summary.problems
        )
    )
    ctx.exit(FINDINGS if findings else OK)


def included_text(prisma: dict[str, Any]) -> str:
    """Reports and studies, when linked reports make them differ ("35 reports of 31 studies")."""
    if "included_studies" in prisma:
        return f"{prisma.get('included')} reports of {prisma['included_studies']} studies"
    return str(prisma.get("included"))


@click.command("status")
@json_option
@click.pass_context
@handle_errors
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Where the review stands: counts so far and what waits for a person, with the command for each.

    Exit 1 while something waits for a person (records to screen, conflicts, unsure duplicate
    pairs, 'same' decisions dedupe could not apply, rule-audit draws, problems in stored files);
    advice alone (entries imports could not read, themes with few studies,
    missing extraction, unaudited rules) keeps exit 0.

    \b
    Example:
      litreview status
      litreview status --json
    """
    from litreview.workflow.status import review_status

    project = get_project(ctx)
    with progress_bar(ctx) as progress:
        status = review_status(project, progress=progress)
    if as_json:
        emit_json(status)
        ctx.exit(FINDINGS if status["waiting"] else OK)
    p = status["prisma"]
    auto = p["automation_ineligible_total"]
    echo(
        f"records {p['records']} (identified {p['identified_total']}, duplicates removed "
        f"{p['duplicates_removed']}): "
        + (f"marked ineligible by automation tools {auto}, " if auto else "")
        + f"screened {p['screened']}"
    )
    echo(
        f"included {included_text(p)}, excluded {p['excluded_total']}, needs a person {p['needs_person']}"
    )
    if not status["waiting"]:
        echo("nothing waits for a person")
    for item in status["todo"]:
        count = "" if item["count"] is None else f": {item['count']}"
        echo(
            f"- {item['what']}{count}  ->  {item['command']}"
            + ("" if item["waits"] else "  (advice)")
        )
        for line in item.get("lines", ()):
            echo(f"    {line}")
    ctx.exit(FINDINGS if status["waiting"] else OK)


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--install",
    metavar="SPEC",
    default=None,
    help="The pip requirement the CI workflow installs (default: how this litreview was installed).",
)
@click.option("--json", "as_json", is_flag=True, help="The files written, as JSON on stdout.")
@click.pass_context
@handle_errors
def init_cmd(ctx: click.Context, directory: Path, install: str | None, as_json: bool) -> None:
    """Scaffold a review repository: protocol, themes, corpus folders, CI and pre-commit config.

    Existing files are never overwritten: the command stops and names them. The CI workflow
    installs the litreview you ran this with (a version, or a git URL at its commit), so the
    team's checks run the same code; --install names another.

    \b
    Example:
      litreview init my-review
      cd my-review && litreview import ~/Downloads/scopus.ris --source scopus
    """
    from litreview.workflow.scaffold import scaffold

    written = scaffold(directory, install)
    if as_json:
        emit_json({"version": 1, "directory": str(directory), "written": written})
    else:
        for path in written:
            echo(path)
    info(
        ctx,
        f"created {len(written)} files in {directory}; next: copy your exports into corpus/searches/, "
        "list each under `sources:` in review.yaml, then run `litreview run`",
    )
