"""What every command shares: finding the project, reporting problems, JSON, exit codes."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from litreview.errors import LitreviewError
from litreview.model import Problem
from litreview.project import Project, find_project

OK, FINDINGS, USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


def get_project(ctx: click.Context) -> Project:
    root = (ctx.find_root().obj or {}).get("project")
    return Project(Path(root).resolve()) if root else find_project()


def is_quiet(ctx: click.Context) -> bool:
    return bool((ctx.find_root().obj or {}).get("quiet"))


def fancy() -> bool:
    """Rich tables and progress only for a person at a terminal."""
    return sys.stderr.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, no_color="NO_COLOR" in os.environ)


def stdout_console() -> Any:
    from rich.console import Console

    return Console(highlight=False, no_color="NO_COLOR" in os.environ)


def report(problems: Iterable[Problem]) -> None:
    """Problems to stderr as ``file:line: severity: message (hint)``, the form editors jump to."""
    for p in problems:
        click.echo(str(p), err=True)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")(f)


def handle_errors(f: F) -> F:
    """Turn the library's typed errors into messages and exit code 2; never a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except LitreviewError as exc:
            report(exc.problems)
            raise SystemExit(USAGE) from None

    return wrapper  # type: ignore[return-value]


def info(ctx: click.Context, message: str) -> None:
    if not is_quiet(ctx):
        click.echo(message, err=True)
