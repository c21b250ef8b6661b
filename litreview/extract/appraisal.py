"""Quality appraisal: a declared tool, each reviewer's answers in a file of their own, consensus.

``review.yaml``::

    appraisal:
      tool: mmat                 # casp-qualitative | mmat | rob2, or a tool of your own:
      reviewers: 2               # independent appraisals each study needs (1 or 2)
      # tool: custom
      # name: Our checklist
      # questions: [{id: q1, text: Clear aims?, answers: [yes, no, unclear]}]

``corpus/appraisal/ID.yaml`` (one file per reviewer, so two people's commits never conflict)::

    version: 1
    appraisals:
    - key: Harvey2014
      answers: {s1: "yes", s2: "yes", c1: "can't tell"}
      note: sampling not described

``corpus/appraisal-consensus.yaml`` (written by ``litreview appraise resolve``)::

    version: 1
    resolved:
    - {key: Harvey2014, question: c1, answer: "no", reviewer: R3, date: '2026-12-05'}

A study's appraisal is **settled** when the tool's every question has an answer that the
needed number of reviewers gave alike, or that a consensus entry fixes; **in conflict** when
reviewers differ on a question no consensus entry settles; **pending** otherwise. Why files of
their own rather than extraction.yaml: appraisal is done blind and twice, extraction once.
The questions of the shipped tools are short paraphrases of our own, to name each item; the
tools' own texts are the reference a reviewer reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litreview.corpus.mergemap import MergeMap
from litreview.files.schema import FileSchema, listed_items, unknown_keys
from litreview.files.yamlio import line_of, load_yaml, suggest
from litreview.model import Location, Problem, Severity

VERSION = 1
YES_NO = ("yes", "no", "can't tell")
ROB = ("low", "some concerns", "high")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Tool:
    id: str
    name: str
    questions: tuple[Question, ...]
    #: the question whose answer is the study's overall judgement, if the tool has one
    overall: str = ""
    #: how a table cell names the tool ("RoB 2"); its name when not given
    short: str = ""

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)


def _qs(answers: tuple[str, ...], *items: tuple[str, str]) -> tuple[Question, ...]:
    return tuple(Question(qid, text, answers) for qid, text in items)


TOOLS: dict[str, Tool] = {
    "casp-qualitative": Tool(
        "casp-qualitative",
        "CASP qualitative checklist",
        _qs(
            YES_NO,
            ("q1", "aims stated clearly"),
            ("q2", "qualitative methods suit the aims"),
            ("q3", "design suits the aims"),
            ("q4", "recruitment suits the aims"),
            ("q5", "data collected in a way that answers the question"),
            ("q6", "researcher-participant relationship considered"),
            ("q7", "ethical issues considered"),
            ("q8", "analysis rigorous enough"),
            ("q9", "findings stated clearly"),
            ("q10", "research is of value"),
        ),
    ),
    "mmat": Tool(
        "mmat",
        "Mixed Methods Appraisal Tool (MMAT)",
        (
            Question(
                "category",
                "the study's design category",
                ("qualitative", "randomised", "non-randomised", "descriptive", "mixed"),
            ),
            *_qs(
                YES_NO,
                ("s1", "clear research questions"),
                ("s2", "data collected can address them"),
                ("c1", "category criterion 1"),
                ("c2", "category criterion 2"),
                ("c3", "category criterion 3"),
                ("c4", "category criterion 4"),
                ("c5", "category criterion 5"),
            ),
        ),
    ),
    "rob2": Tool(
        "rob2",
        "Cochrane risk of bias tool for randomised trials (RoB 2)",
        _qs(
            ROB,
            ("d1", "the randomisation process"),
            ("d2", "deviations from intended interventions"),
            ("d3", "missing outcome data"),
            ("d4", "measurement of the outcome"),
            ("d5", "selection of the reported result"),
            ("overall", "overall risk of bias"),
        ),
        overall="overall",
        short="RoB 2",
    ),
}


@dataclass(frozen=True)
class AppraisalSpec:
    tool: Tool
    reviewers: int = 1


_SPEC_KEYS = ("tool", "reviewers", "name", "questions", "overall")


def parse_spec(
    node: Any, path: str, line: int | None
) -> tuple[AppraisalSpec | None, list[Problem]]:
    """The protocol's ``appraisal:`` section; problems at their lines."""
    problems: list[Problem] = []

    def err(
        at: Any, key: str | None, message: str, hint: str | None = None, code: str = "appraisal"
    ) -> None:
        problems.append(
            Problem(
                Location(path, (line_of(at, key) if key else line_of(at)) or line, key),
                message,
                Severity.ERROR,
                code,
                hint,
            )
        )

    if not isinstance(node, Mapping):
        err(node, None, "'appraisal' must be a mapping with 'tool' (and 'reviewers')", code="type")
        return None, problems
    problems += unknown_keys(node, _SPEC_KEYS, path, "'appraisal'")
    tool_id = str(node.get("tool") or "").strip()
    reviewers = node.get("reviewers", 1)
    if isinstance(reviewers, bool) or reviewers not in (1, 2):
        err(node, "reviewers", "'reviewers' must be 1 or 2", code="type")
        reviewers = 1
    if tool_id == "custom":
        tool = _custom(node, err)
    elif tool_id in TOOLS:
        tool = TOOLS[tool_id]
    else:
        err(
            node,
            "tool" if "tool" in node else None,
            f"unknown appraisal tool {tool_id!r}",
            suggest(tool_id, [*TOOLS, "custom"]) or f"known tools: {', '.join([*TOOLS, 'custom'])}",
        )
        return None, problems
    if tool is None:
        return None, problems
    return AppraisalSpec(tool, int(reviewers)), problems


def _custom(node: Mapping[str, Any], err: Any) -> Tool | None:
    raw = node.get("questions")
    if not isinstance(raw, list) or not raw:
        err(
            node,
            "questions" if "questions" in node else "tool",
            "a custom tool lists its 'questions', each {id, text, answers}",
        )
        return None
    out: list[Question] = []
    for q in raw:
        if (
            not isinstance(q, Mapping)
            or not str(q.get("id") or "").strip()
            or not isinstance(q.get("answers"), list)
            or not q["answers"]
        ):
            err(
                q, None, "each question is a mapping with an 'id', a 'text' and a list of 'answers'"
            )
            continue
        out.append(
            Question(
                str(q["id"]).strip(),
                str(q.get("text") or q["id"]),
                tuple(str(a) for a in q["answers"]),
            )
        )
    overall = str(node.get("overall") or "").strip()
    if overall and overall not in {q.id for q in out}:
        err(node, "overall", f"'overall' names {overall!r}, which is not one of the questions")
        overall = ""
    return Tool("custom", str(node.get("name") or "Custom appraisal tool"), tuple(out), overall)


# --- the reviewers' files ----------------------------------------------------------------------


@dataclass(frozen=True)
class Appraisal:
    """One reviewer's answers for one study."""

    key: str
    reviewer: str
    answers: Mapping[str, str]
    note: str = ""
    path: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Resolution:
    key: str
    question: str
    answer: str
    reviewer: str
    date: str = ""
    note: str = ""
    #: the record's title when it was written (:mod:`litreview.corpus.madeon`); "" before
    title: str = ""


_FILE = FileSchema(
    "an appraisal file",
    ("version", "appraisals"),
    VERSION,
    "an appraisal file must be a mapping with 'version' and 'appraisals'",
)
_CONSENSUS = FileSchema(
    "the appraisal consensus file",
    ("version", "resolved"),
    VERSION,
    "the consensus file must be a mapping with 'version' and 'resolved'",
)


def appraisal_dir(corpus_dir: Path) -> Path:
    return corpus_dir / "appraisal"


def consensus_path(corpus_dir: Path) -> Path:
    return corpus_dir / "appraisal-consensus.yaml"


def load_appraisals(
    corpus_dir: Path,
    rel: Any,
    spec: AppraisalSpec,
    known: Iterable[str],
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[Appraisal], list[Resolution], list[Problem]]:
    """Every reviewer's file and the consensus file, checked against the tool and the corpus."""
    keys = set(known)
    links = MergeMap(aliases)
    appraisals: list[Appraisal] = []
    problems: list[Problem] = []
    folder = appraisal_dir(corpus_dir)
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in files:
        shown = rel(path)
        items, listed = listed_items(load_yaml(path, shown), shown, _FILE, "appraisals")
        problems += listed
        seen: dict[str, int | None] = {}
        for item in items or []:
            found = _appraisal(item, path.stem, shown, spec.tool, keys, links, problems)
            if found is None:
                continue
            if found.key in seen:
                problems.append(
                    Problem(
                        Location(shown, found.line, found.key),
                        f"{found.key!r} is appraised twice "
                        f"in this file (first at line {seen[found.key]})",
                        Severity.ERROR,
                        "duplicate-key",
                    )
                )
                continue
            seen[found.key] = found.line
            appraisals.append(found)
    resolutions: list[Resolution] = []
    cpath = consensus_path(corpus_dir)
    if cpath.exists():
        shown = rel(cpath)
        items, listed = listed_items(load_yaml(cpath, shown), shown, _CONSENSUS, "resolved")
        problems += listed
        for item in items or []:
            r = _resolution(item, shown, spec.tool, keys, links, problems)
            if r is not None:
                resolutions.append(r)
    return appraisals, resolutions, problems


def _key(raw: Any, keys: set[str], links: MergeMap, err: Any, node: Any) -> str | None:
    key = str(raw or "").strip()
    if not key:
        err(node, None, "an entry without a 'key'", "missing-key")
        return None
    found = links.resolve(key, keys)
    if found is None:
        err(
            node,
            "key",
            f"{key!r} is not a record in the corpus",
            "unknown-study",
            suggest(key, sorted(keys)),
            key,
        )
    return found


def _reporter(
    problems: list[Problem], shown: str, record: str | None = None
) -> Callable[..., None]:
    """An appraisal file's error collector: each error at its node's line (or its field's)."""

    def err(
        node: Any,
        k: str | None,
        message: str,
        code: str,
        hint: str | None = None,
        missing: str | None = None,
    ) -> None:
        where = Location(shown, line_of(node, k) if k else line_of(node), record)
        problems.append(Problem(where, message, Severity.ERROR, code, hint, missing))

    return err


def _appraisal(
    item: Any,
    reviewer: str,
    shown: str,
    tool: Tool,
    keys: set[str],
    links: Any,
    problems: list[Problem],
) -> Appraisal | None:
    err = _reporter(
        problems, shown, str(item.get("key", "")) if isinstance(item, Mapping) else None
    )
    if not isinstance(item, Mapping):
        err(item, None, "each appraisal is a mapping with 'key' and 'answers'", "type")
        return None
    problems += unknown_keys(item, ("key", "title", "answers", "note"), shown, "an appraisal")
    key = _key(item.get("key"), keys, links, err, item)
    if key is None:
        return None
    raw = item.get("answers") or {}
    if not isinstance(raw, Mapping):
        err(item, "answers", "'answers' must map each question to its answer", "type")
        return None
    answers: dict[str, str] = {}
    for qid, value in raw.items():
        q = tool.question(str(qid))
        if q is None:
            err(
                raw,
                str(qid),
                f"{tool.name} has no question {qid!r}",
                "appraisal-question",
                suggest(str(qid), [x.id for x in tool.questions]),
            )
            continue
        answer = str(value).strip() if value is not None else ""
        if answer not in q.answers:
            err(
                raw,
                str(qid),
                f"{answer!r} is not an answer to {qid} ({q.text}); answers: {', '.join(q.answers)}",
                "appraisal-answer",
                suggest(answer, q.answers),
            )
            continue
        answers[str(qid)] = answer
    return Appraisal(key, reviewer, answers, str(item.get("note") or ""), shown, line_of(item))


def _resolution(
    item: Any, shown: str, tool: Tool, keys: set[str], links: Any, problems: list[Problem]
) -> Resolution | None:
    err = _reporter(problems, shown)
    if not isinstance(item, Mapping):
        err(
            item,
            None,
            "each resolution is a mapping with key, question, answer and reviewer",
            "type",
        )
        return None
    problems += unknown_keys(
        item,
        ("key", "title", "question", "answer", "reviewer", "date", "note"),
        shown,
        "a resolution",
    )
    key = _key(item.get("key"), keys, links, err, item)
    q = tool.question(str(item.get("question") or ""))
    if q is None:
        err(
            item,
            "question",
            f"{tool.name} has no question {item.get('question')!r}",
            "appraisal-question",
            suggest(str(item.get("question") or ""), [x.id for x in tool.questions]),
        )
        return None
    answer = str(item.get("answer") or "").strip()
    if answer not in q.answers:
        err(
            item,
            "answer",
            f"{answer!r} is not an answer to {q.id}; answers: {', '.join(q.answers)}",
            "appraisal-answer",
            suggest(answer, q.answers),
        )
        return None
    if key is None:
        return None
    return Resolution(
        key,
        q.id,
        answer,
        str(item.get("reviewer") or ""),
        str(item.get("date") or ""),
        str(item.get("note") or ""),
    )


# --- consensus ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudyAppraisal:
    key: str
    state: str  # "settled", "conflict" or "pending"
    answers: Mapping[str, str] = field(default_factory=dict)  # the settled answer per question
    conflicts: tuple[str, ...] = ()  # questions the reviewers answered differently, unresolved
    reviewers: tuple[str, ...] = ()

    def summary(self, tool: Tool) -> str:
        """What the evidence table shows for this study."""
        if self.state == "conflict":
            return f"appraisal pending: reviewers disagree on {', '.join(self.conflicts)}"
        if self.state == "pending":
            return "appraisal pending"
        if tool.overall:
            return f"{tool.short or tool.name}: overall {self.answers.get(tool.overall, '')}"
        scored = [q for q in tool.questions if q.answers == YES_NO]
        yes = sum(1 for q in scored if self.answers.get(q.id) == "yes")
        head = f"{self.answers['category']}; " if "category" in self.answers else ""
        return f"{head}{yes} of {len(scored)} criteria met"


def settle(
    spec: AppraisalSpec,
    appraisals: Sequence[Appraisal],
    resolutions: Sequence[Resolution],
    keys: Iterable[str],
) -> dict[str, StudyAppraisal]:
    """Each of ``keys`` (the included studies) settled, in conflict or pending."""
    by_key: dict[str, list[Appraisal]] = {}
    for a in appraisals:
        by_key.setdefault(a.key, []).append(a)
    fixed = {(r.key, r.question): r.answer for r in resolutions}
    out: dict[str, StudyAppraisal] = {}
    for key in keys:
        mine = sorted(by_key.get(key, ()), key=lambda a: a.reviewer)
        answers: dict[str, str] = {}
        conflicts: list[str] = []
        missing = False
        for q in spec.tool.questions:
            if (key, q.id) in fixed:
                answers[q.id] = fixed[(key, q.id)]
                continue
            given = [a.answers[q.id] for a in mine if q.id in a.answers]
            if len(given) < spec.reviewers:
                missing = True
            elif len(set(given)) > 1:
                conflicts.append(q.id)
            else:
                answers[q.id] = given[0]
        state = "conflict" if conflicts else "pending" if missing else "settled"
        out[key] = StudyAppraisal(
            key, state, answers, tuple(conflicts), tuple(a.reviewer for a in mine)
        )
    return out


def agreement(spec: AppraisalSpec, appraisals: Sequence[Appraisal]) -> list[dict[str, Any]]:
    """Per question, over the studies two reviewers both answered: their agreement and Cohen's kappa."""
    from litreview.screen.agreement import cohen_kappa

    by_key: dict[str, list[Appraisal]] = {}
    for a in appraisals:
        by_key.setdefault(a.key, []).append(a)
    out = []
    for q in spec.tool.questions:
        pairs = []
        for items in by_key.values():
            two = sorted(items, key=lambda a: a.reviewer)[:2]
            if len(two) == 2 and q.id in two[0].answers and q.id in two[1].answers:
                pairs.append((two[0].answers[q.id], two[1].answers[q.id]))
        kappa = cohen_kappa(pairs)
        out.append(
            {
                "question": q.id,
                "studies": len(pairs),
                "agreement": round(sum(1 for a, b in pairs if a == b) / len(pairs), 3)
                if pairs
                else None,
                "kappa": None if kappa is None else round(kappa, 3),
            }
        )
    return out


def write_resolution(corpus_dir: Path, resolution: Resolution) -> Path:
    """Add (or replace) one consensus answer; the file stays sorted by key and question."""
    from litreview.files.fsutil import atomic_write
    from litreview.files.yamlio import dump_yaml

    path = consensus_path(corpus_dir)
    items: list[dict[str, Any]] = []
    if path.exists():
        data = load_yaml(path, path.name) or {}
        items = [dict(x) for x in (data.get("resolved") or []) if isinstance(x, Mapping)]
    items = [
        x
        for x in items
        if (x.get("key"), x.get("question")) != (resolution.key, resolution.question)
    ]
    entry = {"key": resolution.key}
    if resolution.title:
        entry["title"] = resolution.title
    entry |= {
        "question": resolution.question,
        "answer": resolution.answer,
        "reviewer": resolution.reviewer,
        "date": resolution.date or datetime.date.today().isoformat(),
    }
    if resolution.note:
        entry["note"] = resolution.note
    items.append(entry)
    items.sort(key=lambda x: (str(x.get("key")), str(x.get("question"))))
    atomic_write(path, dump_yaml({"version": VERSION, "resolved": items}))
    return path


def appraisal_of_excluded(found: Iterable[Appraisal], excluded: Mapping[str, str]) -> list[Problem]:
    """A warning for each appraisal of a study the screening now excludes (``excluded``: key
    -> where and why): the outputs show included studies only, so it would be left out
    without a word."""
    return [
        Problem(
            Location(a.path, a.line, a.key),
            f"{a.reviewer}'s appraisal of {a.key!r}, which is excluded ({excluded[a.key]}): the"
            " outputs leave it out",
            Severity.WARNING,
            "appraisal-of-excluded",
            "remove the entry, or check the study's screening",
        )
        for a in found
        if a.key in excluded
    ]
