"""``litreview render``."""

from __future__ import annotations

from pathlib import Path

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    USAGE,
    echo,
    emit_json,
    get_project,
    handle_errors,
    info,
    json_option,
    parse_formats,
    progress_for,
    report,
)
from litreview.text.wording import counted


@click.command("render")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/ in the project).",
)
@click.option(
    "--format",
    "fmt",
    default="md,html,csv,tex,svg,json",
    show_default=True,
    help="Comma-separated formats: md, html, csv, tex, svg (the pictures), json (prisma.json). "
    "md also writes the SVGs, which the Markdown appendix shows; the HTML pages carry them inline.",
)
@click.option(
    "--templates",
    "templates",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A folder of your own templates; any template not there comes from litreview's "
    "(default: the review's templates/ folder when it has one).",
)
@json_option
@click.pass_context
@handle_errors
def render_cmd(
    ctx: click.Context, out: Path | None, fmt: str, templates: Path | None, as_json: bool
) -> None:
    """Render the evidence table, technical appendix, narrative skeleton, PRISMA and pictures.

    Writes into build/ (or --out): evidence-table.{md,csv,tex,html}, appendix.{md,html},
    narrative.md with its references.json (and .bib), evidence-audit.md (when the extraction
    cites its evidence), prisma-s.md (the PRISMA-S checklist from review.yaml's searches), prisma.svg,
    prisma.json, evidence-map.svg, evidence-map-country.svg and
    studies-by-year.svg; --format picks some of them. The same corpus always gives the same bytes.

    \b
    Example:
      litreview render
      litreview render --format html,csv --out public/   # pictures inline in the HTML
      litreview render --templates templates/ --json
    """
    from litreview.report.render import render_all

    formats = parse_formats(fmt)
    project = get_project(ctx)
    if templates is not None and not templates.is_dir():
        echo(f"{templates}: error: templates folder not found", err=True)
        ctx.exit(USAGE)
    from litreview.workflow.pipeline import build_render_input, load_state

    state = load_state(project)
    # what the stored files get wrong (an extraction value the protocol does not allow, a key
    # that names no record) changes what the outputs say: said here, as `run` says it, and exit 1
    errors = [p for p in state.problems if p.is_error]
    report(errors)
    data = build_render_input(project, state)
    out_dir = out or project.build
    written = render_all(
        data,
        out_dir,
        formats=formats,
        templates_dir=templates or project.user_templates,
        progress=progress_for(ctx),
    )
    if as_json:
        emit_json(
            {
                "version": 1,
                "out": out_dir.as_posix(),
                "files": [p.as_posix() for p in written],
                "studies": len(data.studies),
            }
        )
    else:
        for path in written:
            echo(path.as_posix())
        info(
            ctx,
            f"rendered {len(data.studies)} included "
            f"{'study' if len(data.studies) == 1 else 'studies'}"
            f" into {counted(len(written), 'file')} in {out_dir.as_posix()}",
        )
    ctx.exit(FINDINGS if errors else OK)
