"""``litreview export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from litreview.cli._common import OK, USAGE, get_project, handle_errors, info, report
from litreview.outcomes import Outcome

# Kept here so that --help imports nothing heavy (outcomes is a leaf); tests check they match the core's.
SELECTIONS = (
    "all",
    Outcome.INCLUDED.value,
    Outcome.EXCLUDED.value,
    Outcome.NEEDS_PERSON.value,
    "duplicates",
)
FORMATS = ("ris", "bib", "csl-json", "asreview", "csv")


@click.command("export")
@click.option(
    "--select",
    "select",
    type=click.Choice(SELECTIONS),
    multiple=True,
    help="Which records: all (every screened record, the default), included, excluded, needs-person, "
    "or duplicates (records merges absorbed). Repeat to combine.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="ris or bib (decisions as tags and notes, for Zotero and EndNote), csl-json (pandoc), "
    "asreview (CSV with label_included), csv (every field, decision and provenance).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (atomically) instead of stdout.",
)
@click.pass_context
@handle_errors
def export_cmd(ctx: click.Context, select: tuple[str, ...], fmt: str, out: Path | None) -> None:
    """Export records with the review's decisions to RIS, BibTeX, CSL-JSON, ASReview or CSV.

    RIS and BibTeX carry each record's outcome, exclusion reason, themes and reviewers' notes as
    keywords (litreview:included, litreview:reason:not-uk, litreview:theme:ID) and notes, which
    Zotero and EndNote show as tags and notes. Records are sorted by key; the same review always
    gives the same bytes. Exports never overwrite review.yaml, themes.yaml or files in corpus/.

    \b
    Example:
      litreview export --format ris --out build/screened.ris
      litreview export --select included --format csl-json --out build/studies.json
      litreview export --format asreview > asreview.csv
      litreview export --select all --select duplicates --format csv --out build/records.csv
    """
    from litreview.export.records import export_project, refuse_target
    from litreview.files.fsutil import atomic_write

    chosen = select or ("all",)
    project = get_project(ctx)
    if out is not None:
        problem = refuse_target(project, out)
        if problem is not None:
            report([problem])
            ctx.exit(USAGE)
    result = export_project(project, chosen, fmt)
    if out is None:
        # UTF-8 bytes, so that stdout gets exactly what --out would (click.echo strips escape codes)
        sys.stdout.flush()
        sys.stdout.buffer.write(result.text.encode("utf-8"))
        sys.stdout.buffer.flush()
        where = "stdout"
    else:
        atomic_write(out, result.text)
        where = out.as_posix()
    noun = "record" if result.count == 1 else "records"
    info(
        ctx,
        f"exported {result.count} {noun} (select={'+'.join(result.select)}, format={fmt}) to {where}",
    )
    ctx.exit(OK)
