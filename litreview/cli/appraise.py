"""``litreview appraise``: each included study's quality appraisal, by one or two reviewers."""

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
)
from litreview.errors import ConfigError, InputError
from litreview.model import Location
from litreview.review import Review

if TYPE_CHECKING:
    from litreview.project import Project
    from litreview.workflow.pipeline import ReviewState


@click.group("appraise")
def appraise_group() -> None:
    """Quality appraisal with the tool review.yaml declares (appraisal: {tool, reviewers}).

    Each reviewer writes their answers in corpus/appraisal/ID.yaml; where two reviewers differ,
    `appraise resolve` records the agreed answer in corpus/appraisal-consensus.yaml. Settled
    appraisals fill the evidence table's appraisal column.

    \b
    Example:
      litreview appraise status
      litreview appraise resolve Harvey2014 c3 "no" --reviewer R3 --note "agreed at the meeting"
    """


def _state(ctx: click.Context) -> tuple[Project, ReviewState]:
    from litreview.workflow.pipeline import load_state

    project = get_project(ctx)
    state = load_state(project)
    if state.protocol.appraisal is None:
        raise InputError.at(
            Location(project.rel(project.protocol)),
            "review.yaml declares no appraisal tool",
            code="no-appraisal",
            hint="add e.g. 'appraisal: {tool: mmat, reviewers: 2}' "
            "(tools: casp-qualitative, mmat, rob2, custom)",
        )
    errors = [p for p in state.problems if p.is_error and "appraisal" in p.location.path]
    if errors:
        raise ConfigError(errors)
    return project, state


@appraise_group.command("status")
@json_option
@click.pass_context
@handle_errors
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Each included study's appraisal: settled, in conflict (which questions) or pending, and the
    reviewers' agreement per question (Cohen's kappa).

    Exits 1 while any study waits for an appraisal or a consensus; 2 when a file has errors.

    \b
    Example:
      litreview appraise status --json
    """
    from litreview.extract.appraisal import agreement

    _, state = _state(ctx)
    spec = state.protocol.appraisal
    assert spec is not None and state.appraisal is not None
    found = state.appraisals
    studies = [state.appraisal[k] for k in sorted(state.appraisal)]
    counts = {
        s: sum(1 for x in studies if x.state == s) for s in ("settled", "conflict", "pending")
    }
    agree = agreement(spec, found)
    if as_json:
        emit_json(
            {
                "version": 1,
                "tool": spec.tool.id,
                "reviewers": spec.reviewers,
                "counts": counts,
                "studies": [
                    {
                        "key": x.key,
                        "state": x.state,
                        "reviewers": list(x.reviewers),
                        "conflicts": list(x.conflicts),
                        "answers": dict(x.answers),
                        "summary": x.summary(spec.tool),
                    }
                    for x in studies
                ],
                "agreement": agree,
            }
        )
    else:
        echo(
            f"{spec.tool.name}, {spec.reviewers} reviewer{'s' if spec.reviewers > 1 else ''} per study: "
            f"settled {counts['settled']}, in conflict {counts['conflict']}, pending {counts['pending']}"
        )
        for x in studies:
            if x.state == "conflict":
                echo(
                    f"  conflict {x.key}: {', '.join(x.conflicts)} (litreview appraise resolve {x.key} "
                    f"{x.conflicts[0]} ANSWER --reviewer ID)"
                )
            elif x.state == "pending":
                echo(f"  pending  {x.key}: appraised by {', '.join(x.reviewers) or 'nobody yet'}")
        shown = [a for a in agree if a["studies"]]
        if shown:
            echo(
                "agreement per question (two reviewers): "
                + "; ".join(
                    f"{a['question']} {a['agreement']:.0%}"
                    + (f" κ {a['kappa']:.2f}" if a["kappa"] is not None else "")
                    for a in shown
                )
            )
    ctx.exit(FINDINGS if counts["conflict"] or counts["pending"] else OK)


@appraise_group.command("resolve")
@click.argument("key")
@click.argument("question")
@click.argument("answer")
@click.option("--reviewer", required=True, help="Who records the agreed answer, e.g. R3.")
@click.option("--note", default="", help="Why (kept with the answer).")
@click.option("--json", "as_json", is_flag=True, help="The stored answer as JSON on stdout.")
@click.pass_context
@handle_errors
def resolve_cmd(
    ctx: click.Context,
    key: str,
    question: str,
    answer: str,
    reviewer: str,
    note: str,
    as_json: bool,
) -> None:
    """Record the agreed answer to one question of one study (corpus/appraisal-consensus.yaml).

    \b
    Example:
      litreview appraise resolve Harvey2014 c3 "no" --reviewer R3
    """
    from litreview.extract.appraisal import Resolution, write_resolution
    from litreview.files.yamlio import suggest

    project, state = _state(ctx)
    spec = state.protocol.appraisal
    assert spec is not None
    known = set(state.corpus.keys)
    found = Review.of(project).merge_map.resolve(key, known)
    if found is None:
        raise InputError.at(
            Location("KEY"),
            f"no record {key!r} in the corpus",
            hint=suggest(key, sorted(known)),
            missing=key,
        )
    q = spec.tool.question(question)
    if q is None:
        raise InputError.at(
            Location("QUESTION"),
            f"{spec.tool.name} has no question {question!r}",
            hint=suggest(question, [x.id for x in spec.tool.questions])
            or f"questions: {', '.join(x.id for x in spec.tool.questions)}",
        )
    if answer not in q.answers:
        raise InputError.at(
            Location("ANSWER"),
            f"{answer!r} is not an answer to {q.id} ({q.text})",
            hint=f"answers: {', '.join(q.answers)}",
        )
    from litreview.corpus.madeon import title_of

    # the answer keeps the title of the record it is given on (litreview.corpus.madeon)
    title = title_of(Review.of(project).corpus().record(found))
    path = write_resolution(
        project.corpus_dir, Resolution(found, q.id, answer, reviewer, note=note, title=title)
    )
    if as_json:
        emit_json(
            {
                "version": 1,
                "key": found,
                "question": q.id,
                "answer": answer,
                "reviewer": reviewer,
                "note": note,
                "file": project.rel(path),
            }
        )
    else:
        echo(f"{reviewer}: {found} {q.id} = {answer} → {project.rel(path)}")
