"""``litreview screen serve``: the screening queue as a page in the browser, one record at a time.

A reviewer who is not at home in a terminal screens here: title, authors, venue and abstract
with the protocol's terms marked, the rules' verdicts, single-key decisions (i include, e then a
reason's number, m maybe, n note, u undo, ? help) and plain forms for a browser without
JavaScript. Every decision goes through the same call and into the same file as
``litreview screen decide`` (the reviewer's ``corpus/screening/ID.yaml``, under the corpus lock),
so the page, the terminal and CI always agree, and two pages at once never lose a decision.
The queue is ``screen next``'s: blind, ranked at the first stage.

The server listens on 127.0.0.1 by default and answers only requests that carry the token in
the URL it prints, so another user of the machine cannot read the queue or post decisions.
Pages are built here with :func:`html.escape` on every value: nothing from a record reaches the
page unescaped.
"""

from __future__ import annotations

import html
import secrets
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from litreview.outcomes import Choice, Outcome
from litreview.review import Review

if TYPE_CHECKING:
    from litreview.model import Problem, Record
    from litreview.project import Project
    from litreview.screen.engine import Decision, RecordScreening


@dataclass
class Session:
    """One reviewer's screening at one page: the token, and this session's decisions for undo."""

    project: Project
    reviewer: str
    stage: str | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    made: list[Decision] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- the queue ------------------------------------------------------------------------------

    def _state(self) -> Any:
        from litreview.cli._common import corrected
        from litreview.cli.screen import _State
        from litreview.errors import ConfigError
        from litreview.files.derived import screened

        project = self.project
        protocol = Review.of(project).protocol
        corpus = Review.of(project).sound_corpus()
        corpus = corrected(project, corpus)
        done = screened(project, corpus, protocol)
        errors = [p for p in done.problems if p.is_error]
        if errors:
            raise ConfigError(errors)
        return _State(project, protocol, corpus, done.decisions, done)

    def current(self) -> tuple[Any, Record, RecordScreening, int, list[str]] | None:
        """The state, the next record for this reviewer, its screening, how many wait, the queue's note."""
        from litreview.screen.queue import RankedQueue, RecordsByKey, waiting_for

        state = self._state()
        result = state.screened.result
        todo = waiting_for(result, state.decisions, self.reviewer, self.stage, False, set())
        if not todo:
            return None
        by_key = RecordsByKey(state.corpus)  # one record read per page, not the whole corpus
        queue = RankedQueue(state.protocol, state.project, state.corpus)
        open_keys = {
            r.key
            for r in result.records
            if r.outcome == Outcome.NEEDS_PERSON and r.stage == queue.stage
        }
        seen = tuple(
            d for d in state.decisions if d.reviewer == self.reviewer or d.key not in open_keys
        )
        todo, note = queue.order(todo, result, seen, by_key)
        rec = todo[0]
        return state, by_key[rec.key], rec, len(todo), note

    # --- decisions ------------------------------------------------------------------------------

    def decide(
        self, key: str, stage: str, decision: str, reason: str | None, note: str
    ) -> list[Problem]:
        """Write one decision exactly as ``screen decide`` would; the problems when it is refused."""
        from litreview.screen.decisions import today
        from litreview.screen.engine import Decision
        from litreview.screen.reviewers import check_decisions, write_decisions

        with self.lock:
            state = self._state()
            made = Decision(
                key=key,
                stage=stage,
                decision=decision,
                reviewer=self.reviewer,
                date=today(),
                reason=reason or None,
                note=note.strip(),
            )
            ok, problems = check_decisions([made], state.corpus.keys, state.protocol)
            if any(p.is_error for p in problems) or not ok:
                return [p for p in problems if p.is_error]
            write_decisions(self.project, self.reviewer, state.protocol, state.corpus.keys, ok)
            self.made.append(ok[0])
            return []

    def undo(self) -> Decision | None:
        """Remove this session's last decision (only this reviewer's own, only what this page wrote)."""
        from litreview.screen.reviewers import write_decisions

        with self.lock:
            if not self.made:
                return None
            last = self.made.pop()
            state = self._state()
            write_decisions(
                self.project,
                self.reviewer,
                state.protocol,
                state.corpus.keys,
                remove=lambda d: (
                    (d.key, d.stage, d.reviewer) == (last.key, last.stage, last.reviewer)
                ),
            )
            return last

    # --- the page -------------------------------------------------------------------------------

    def page(self, message: str = "", replay: str = "") -> str:
        found = self.current()
        if found is None:
            body = "<h1>Nothing left that needs you</h1><p>Every record waiting for a person has your decision.</p>"
            body += self._undo_form()
            return _document("litreview screening", body, message, self.token, replay, {})
        state, record, rec, waiting, note = found
        from litreview.screen.criteria import term_matchers

        reasons = list(state.protocol.reasons.items())
        matchers = term_matchers(state.protocol)
        e = html.escape
        authors = "; ".join(a.display() for a in record.authors) or "no author"
        parts = [
            f'<p class="progress" aria-live="polite">{waiting} waiting for {e(self.reviewer)} · '
            f"{len(self.made)} decided here · {e(rec.key)} at {e(rec.stage)}</p>",
            f'<h1 id="title">{_marked(record.title or "(no title)", matchers)}</h1>',
            f'<p class="meta">{e(authors)} · {e(str(record.year or "no year"))} · {e(record.container)}</p>',
            f'<div class="abstract">{_marked(record.abstract or "(no abstract)", matchers)}</div>',
        ]
        if record.keywords:
            parts.append(
                f'<p class="meta">Keywords: {_marked("; ".join(record.keywords), matchers)}</p>'
            )
        rules = [
            f'<li class="{e(c.status)}"><strong>{e(c.status)}</strong> {e(c.label)}: {e(c.detail)}</li>'
            for c in rec.criteria
            if c.stage == rec.stage
        ]
        if rules:
            parts.append(
                f'<section aria-label="What the rules found"><ul class="rules">{"".join(rules)}</ul></section>'
            )
        if note:
            parts.append(f'<p class="queue">{e(" · ".join(note))}</p>')
        options = "".join(
            f'<option value="{e(code)}">{i}. {e(label)}</option>'
            for i, (code, label) in enumerate(reasons, 1)
        )
        hidden = (
            f'<input type="hidden" name="token" value="{e(self.token)}">'
            f'<input type="hidden" name="key" value="{e(rec.key)}">'
            f'<input type="hidden" name="stage" value="{e(rec.stage)}">'
            '<input type="hidden" name="keys" value="">'
        )
        parts.append(
            f'<form method="post" action="/decide" id="decide">{hidden}'
            '<p><label for="note">Note (n)</label> <input type="text" id="note" name="note" size="60"></p>'
            '<p><label for="reason">Reason to exclude (e, then its number)</label> '
            f'<select id="reason" name="reason"><option value="">(choose)</option>{options}</select></p>'
            '<p><button type="submit" name="decision" value="include" accesskey="i">Include (i)</button> '
            '<button type="submit" name="decision" value="exclude" accesskey="e">Exclude (e)</button> '
            '<button type="submit" name="decision" value="maybe" accesskey="m">Maybe (m)</button></p></form>'
        )
        parts.append(self._undo_form())
        parts.append(
            '<section id="help" hidden aria-label="Keys"><h2>Keys</h2><ul>'
            "<li>i include</li><li>e exclude, then the reason's number</li><li>m maybe</li>"
            "<li>n write a note (Enter or Escape returns to the keys)</li><li>u undo your last decision"
            "</li><li>? show or hide this help</li></ul></section>"
        )
        return _document(
            f"{rec.key} · litreview screening",
            "".join(parts),
            message,
            self.token,
            replay,
            {str(i): code for i, (code, _) in enumerate(reasons, 1)},
        )

    def _undo_form(self) -> str:
        return (
            f'<form method="post" action="/undo" id="undo"><input type="hidden" name="token" '
            f'value="{html.escape(self.token)}"><input type="hidden" name="keys" value="">'
            f'<button type="submit" accesskey="u"{"" if self.made else " disabled"}>Undo last (u)</button></form>'
        )


def _marked(text: str, matchers: list[Any]) -> str:
    """The text escaped, with the protocol's terms in <mark> where they match."""
    from litreview.text.termmatch import prepare

    prepared = prepare(text)
    spans: list[tuple[int, int]] = []
    if len(prepared) == len(text):
        for m in matchers:
            spans.extend((hit.start(), hit.end()) for hit in m.finditer(prepared))
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;color:#111;background:#fff;line-height:1.5}
h1{font-size:1.35rem}.meta,.progress,.queue{color:#333}.abstract{margin:1rem 0}
mark{background:#ffe066;color:#111}ul.rules{padding-left:1.2rem}li.not-met strong{color:#8b0000}
li.met strong{color:#0b5d1e}li.unclear strong{color:#5c4400}button{font-size:1rem;margin-right:.5rem}
.message{border-left:4px solid #0b5d1e;padding-left:.5rem}.error{border-left-color:#8b0000}
:focus{outline:3px solid #1a4fd6;outline-offset:2px}
"""

# The key handler. ``?keys=`` (comma-separated presses) replays presses through the same
# handler, so that a headless browser test drives exactly what a person's keys drive; the
# presses still to come travel with each form to the next page.
_SCRIPT = """
(function(){
 var reasons=JSON.parse(document.body.dataset.reasons||"{}");
 var pending=null;
 function form(id){return document.getElementById(id);}
 function rest(){return (window.__keys||[]).join(",");}
 function submit(id,decision){
  var f=form(id); if(!f) return;
  var k=f.querySelector('input[name=keys]'); if(k) k.value=rest();
  if(decision){var d=document.createElement('input');d.type='hidden';d.name='decision';d.value=decision;f.appendChild(d);}
  f.submit();
 }
 function press(key){
  var note=form('note');
  if(document.activeElement===note){ if(key==='Enter'||key==='Escape'){note.blur();} return false; }
  if(pending==='e'){ pending=null; if(reasons[key]){ form('reason').value=reasons[key]; submit('decide','exclude'); return true;} return false; }
  if(key==='i'){ if(form('decide')){submit('decide','include');return true;} }
  else if(key==='m'){ if(form('decide')){submit('decide','maybe');return true;} }
  else if(key==='e'){ pending='e'; form('status').textContent='Exclude: press the reason\\'s number'; }
  else if(key==='u'){ submit('undo'); return true; }
  else if(key==='n'){ if(note){note.focus();} }
  else if(key==='?'){ var h=form('help'); if(h){h.hidden=!h.hidden;} }
  return false;
 }
 document.addEventListener('keydown',function(ev){
  if(ev.ctrlKey||ev.metaKey||ev.altKey) return;
  if(document.activeElement===form('note')&&ev.key!=='Enter'&&ev.key!=='Escape') return;
  if(press(ev.key)||['i','e','m','u','n','?'].indexOf(ev.key)>=0||/^[0-9]$/.test(ev.key)){ev.preventDefault();}
 });
 var params=new URLSearchParams(location.search);
 var replay=params.get('keys');
 if(replay){
  window.__keys=replay.split(",");
  while(window.__keys.length){
   var k=window.__keys.shift();
   if(k.indexOf('note:')===0){ var n=form('note'); if(n){n.value=decodeURIComponent(k.slice(5));} continue; }
   if(press(k)) break;
  }
 }
})();
"""


def _document(
    title: str, body: str, message: str, token: str, replay: str, reasons: dict[str, str]
) -> str:
    import json

    e = html.escape
    note = f'<p class="message" id="status" role="status" aria-live="polite">{e(message)}</p>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}</title>'
        f"<style>{_STYLE}</style></head>"
        f'<body data-reasons="{e(json.dumps(reasons, sort_keys=True))}"><main>{note}{body}</main>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


class _Handler(BaseHTTPRequestHandler):
    session: Session  # set on the class made for each server

    def log_message(self, format: str, *args: Any) -> None:
        return  # stdout is the URL; requests are not news

    def _send(self, status: HTTPStatus, text: str, location: str | None = None) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; form-action 'self'",
        )
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self, given: list[str] | None) -> bool:
        return bool(given) and secrets.compare_digest((given or [""])[0], self.session.token)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if not self._authorised(query.get("token")):
            self._send(
                HTTPStatus.FORBIDDEN,
                "<!DOCTYPE html><title>403</title><p>This page needs the link "
                "`litreview screen serve` printed (with its token).</p>\n",
            )
            return
        if url.path != "/":
            self._send(HTTPStatus.NOT_FOUND, "<!DOCTYPE html><title>404</title><p>Not here.</p>\n")
            return
        message = (query.get("message") or [""])[0]
        self._send(HTTPStatus.OK, self.session.page(message, (query.get("keys") or [""])[0]))

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"), keep_blank_values=True)
        if not self._authorised(form.get("token")):
            self._send(
                HTTPStatus.FORBIDDEN,
                "<!DOCTYPE html><title>403</title><p>Refused: no valid token.</p>\n",
            )
            return

        def field(name: str) -> str:
            return (form.get(name) or [""])[0]

        path = urlsplit(self.path).path
        if path == "/decide":
            decision = field("decision")
            if decision not in tuple(Choice):
                message = "Choose include, exclude or maybe."
            elif decision == Choice.EXCLUDE and not field("reason"):
                message = "An exclusion needs a reason: choose one, then Exclude."
            else:
                problems = self.session.decide(
                    field("key"), field("stage"), decision, field("reason"), field("note")
                )
                message = (
                    "; ".join(p.message for p in problems)
                    if problems
                    else f"{field('key')}: {decision}"
                    + (f" ({field('reason')})" if decision == Choice.EXCLUDE else "")
                )
        elif path == "/undo":
            undone = self.session.undo()
            message = (
                f"Undone: {undone.key} {undone.decision}"
                if undone
                else "Nothing of yours to undo on this page."
            )
        else:
            self._send(HTTPStatus.NOT_FOUND, "<!DOCTYPE html><title>404</title><p>Not here.</p>\n")
            return
        query = {"token": self.session.token, "message": message}
        if field("keys"):
            query["keys"] = field("keys")
        target = "/?" + urlencode(query)
        self._send(
            HTTPStatus.SEE_OTHER,
            f'<!DOCTYPE html><title>303</title><a href="{html.escape(target)}">next</a>\n',
            target,
        )


def make_server(session: Session, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server for one session (``port`` 0: any free port); ``serve_forever`` runs it."""
    handler = type("Handler", (_Handler,), {"session": session})
    return ThreadingHTTPServer((host, port), handler)


def url_of(server: ThreadingHTTPServer, session: Session) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/?{urlencode({'token': session.token})}"
