"""``litreview check``: the CI guard."""

from __future__ import annotations

from pathlib import Path

import click

from litreview.cli._common import (
    FINDINGS,
    OK,
    USAGE,
    advise,
    echo,
    emit_json,
    fancy,
    get_project,
    handle_errors,
    report,
    stdout_console,
)


def github_annotation(p: object, prefix: str = "") -> str:
    """One problem as a GitHub Actions workflow command (``::error file=…,line=…::message``).

    GitHub attaches an annotation to a file by its path from the repository root; ``prefix`` is
    the review's folder from there when the review is not at the root (``-C reviews/x``).
    """
    from litreview.model import Problem

    assert isinstance(p, Problem)
    level = "error" if p.is_error else "warning"
    path = p.location.path
    if prefix and not path.startswith("/"):
        path = f"{prefix.rstrip('/')}/{path}"
    props = [f"file={_escape_prop(path)}"]
    if p.location.line is not None:
        props.append(f"line={p.location.line}")
    props.append(f"title={_escape_prop('litreview ' + p.code)}")
    message = (
        p.message
        + (f" [{p.location.key}]" if p.location.key else "")
        + (f" ({p.hint})" if p.hint else "")
    )
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@click.command("check")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    help="text for people, json for machines, github for Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--fix", is_flag=True, help="Apply safe fixes (DOI normalisation, field order) and report them."
)
@click.pass_context
@handle_errors
def check_cmd(ctx: click.Context, fmt: str, strict: bool, fix: bool) -> None:
    """Validate every file of the review against the others: exit 0 clean, 1 findings, 2 cannot run.

    Checks: the corpus parses; required fields per entry type; keys unique and well-formed; no
    shared DOI or PMID; plausible years, well-formed DOIs; no unmerged sure duplicates (unsure
    pairs warn); decisions, extraction and theme overrides name existing keys, stages, reasons
    and themes; each decision's key still names the work it was made on (its `title:`);
    protocol and themes.yaml validate; templates render with no undefined variable.
    Exit 2 when there is no review here, no corpus folder, or a file cannot be read.

    \b
    Example:
      litreview check
      litreview check --format github --strict
    """
    from litreview.check.checks import check_project
    from litreview.errors import LitreviewError

    try:
        # inside: "no review here" is a reason the check cannot run, said in the chosen format
        project = get_project(ctx)
    except LitreviewError as exc:
        _cannot_run(fmt, exc.problems, "")
        ctx.exit(USAGE)
    try:
        result = check_project(project, fix=fix)
    except LitreviewError as exc:
        _cannot_run(fmt, exc.problems, _folder_from_cwd(project.root))
        ctx.exit(USAGE)
    failing = result.errors(strict)
    if fmt == "json":
        emit_json(result.as_dict())
    elif fmt == "github":
        for line in result.fixed:
            echo(f"fixed: {line}", err=True)
        prefix = _folder_from_cwd(project.root)
        for p in advise(result.problems):
            echo(github_annotation(p, prefix))
    else:
        for line in result.fixed:
            echo(f"fixed: {line}", err=True)
        _print_human(advise(result.problems))
        errors = sum(1 for p in result.problems if p.is_error)
        warnings = len(result.problems) - errors
        echo(f"checked {len(result.checked)} files: {errors} errors, {warnings} warnings")
    ctx.exit(FINDINGS if failing else OK)


def _folder_from_cwd(root: Path) -> str:
    """The review's folder relative to the working directory ("" when it is the working directory
    or outside it): in a GitHub workflow the working directory is the repository root."""
    try:
        rel = root.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel


def _cannot_run(fmt: str, problems: list, prefix: str) -> None:  # type: ignore[type-arg]
    """Exit-2 output: the reasons on stderr, and in the chosen format on stdout for machines."""
    if fmt == "json":
        emit_json({"version": 1, "cannot_run": True, "problems": [p.as_dict() for p in problems]})
    elif fmt == "github":
        for p in problems:
            echo(github_annotation(p, prefix))
    report(problems)
    echo("litreview check: cannot run", err=True)


def _print_human(problems: list) -> None:  # type: ignore[type-arg]
    by_file: dict[str, list] = {}  # type: ignore[type-arg]
    for p in problems:
        by_file.setdefault(p.location.path, []).append(p)
    if fancy():
        # keys and messages hold data: "[/x]" in one is text, not markup
        from rich.markup import escape

        console = stdout_console()
        for path, items in by_file.items():
            console.print(f"[bold]{escape(path)}[/bold]")
            for p in items:
                colour = "red" if p.is_error else "yellow"
                where = f"{p.location.line}" if p.location.line else "-"
                key = escape(f" [{p.location.key}]") if p.location.key else ""
                hint = f" [dim]({escape(p.hint)})[/dim]" if p.hint else ""
                console.print(
                    f"  {where:>5}  [{colour}]{p.severity.value}[/{colour}]{key} {escape(p.message)}{hint}",
                    markup=True,
                )
        return
    for path, items in by_file.items():
        echo(path)
        for p in items:
            echo(f"  {p}")
