"""``litreview check``: the CI guard."""

from __future__ import annotations

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    emit_json,
    fancy,
    get_project,
    handle_errors,
    stdout_console,
)


def github_annotation(p: object) -> str:
    """One problem as a GitHub Actions workflow command (``::error file=…,line=…::message``)."""
    from litreview.model import Problem

    assert isinstance(p, Problem)
    level = "error" if p.is_error else "warning"
    props = [f"file={_escape_prop(p.location.path)}"]
    if p.location.line is not None:
        props.append(f"line={p.location.line}")
    props.append(f"title={_escape_prop('litreview ' + p.code)}")
    message = p.message + (f" [{p.location.key}]" if p.location.key else "") + (f" ({p.hint})" if p.hint else "")
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@click.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              help="text for people, json for machines, github for Actions annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (DOI normalisation, field order) and report them.")
@click.pass_context
@handle_errors
def check_cmd(ctx: click.Context, fmt: str, strict: bool, fix: bool) -> None:
    """Validate every corpus file against the others; exit 1 on findings (for CI).

    Checks: the corpus parses; required fields; keys unique and well-formed; no shared DOI or
    PMID; decisions, extraction and theme overrides name existing keys, stages, reasons and
    themes; protocol and themes.yaml validate; templates render.

    \b
    Example:
      litreview check
      litreview check --format github --strict
    """
    from litreview.check import check_project

    project = get_project(ctx)
    report = check_project(project, fix=fix)
    failing = report.errors(strict)
    if fmt == "json":
        emit_json(report.as_dict())
    elif fmt == "github":
        for p in report.problems:
            click.echo(github_annotation(p))
    else:
        for line in report.fixed:
            click.echo(f"fixed: {line}", err=True)
        _print_human(report.problems)
        errors = sum(1 for p in report.problems if p.is_error)
        warnings = len(report.problems) - errors
        click.echo(f"checked {len(report.checked)} files: {errors} errors, {warnings} warnings")
    ctx.exit(FINDINGS if failing else OK)


def _print_human(problems: list) -> None:  # type: ignore[type-arg]
    by_file: dict[str, list] = {}  # type: ignore[type-arg]
    for p in problems:
        by_file.setdefault(p.location.path, []).append(p)
    if fancy():
        console = stdout_console()
        for path, items in by_file.items():
            console.print(f"[bold]{path}[/bold]")
            for p in items:
                colour = "red" if p.is_error else "yellow"
                where = f"{p.location.line}" if p.location.line else "-"
                key = f" [{p.location.key}]" if p.location.key else ""
                hint = f" [dim]({p.hint})[/dim]" if p.hint else ""
                console.print(f"  {where:>5}  [{colour}]{p.severity.value}[/{colour}]{key} {p.message}{hint}", markup=True)
        return
    for path, items in by_file.items():
        click.echo(path)
        for p in items:
            click.echo(f"  {p}")
