"""``litreview screen serve``: the browser page writes what ``screen decide`` writes, and only
for whoever holds the token."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener, urlopen

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.cli.serve import Session, make_server, url_of
from litreview.project import Project
from litreview.screen.decisions import today

from .conftest import copy_of_shipped_review


def _fresh(root: Path) -> Path:
    """The shipped review with nobody's decisions: every record the rules leave waits for R2."""
    review = copy_of_shipped_review(root)
    (review / "corpus" / "screening.yaml").write_text(
        "version: 1\ndecisions: []\n", encoding="utf-8"
    )
    return review


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Session, str]]:
    review = _fresh(tmp_path / "page")
    session = Session(Project(review), "R2")
    server = make_server(session)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield review, session, url_of(server, session)
    finally:
        server.shutdown()
        server.server_close()


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _post(url: str, path: str, **form: str) -> int:
    base = url.split("/?", 1)[0]
    request = Request(base + path, data=urlencode(form).encode(), method="POST")
    try:
        with build_opener(_NoRedirect).open(request) as response:
            return int(response.status)
    except HTTPError as exc:
        return exc.code


def _get(url: str) -> str:
    with urlopen(url) as response:
        return str(response.read().decode("utf-8"))


def _offered(page: str) -> tuple[str, str]:
    import re

    found = re.search(
        r'name="key" value="([^"]+)"><input type="hidden" name="stage" value="([^"]+)"', page
    )
    assert found, page[:500]
    return found.group(1), found.group(2)


def _decided_by_cli(tmp_path: Path, *args: str) -> str:
    twin = _fresh(tmp_path / "twin")
    result = CliRunner().invoke(
        cli, ["-C", str(twin), "screen", "decide", *args, "--reviewer", "R2"]
    )
    assert result.exit_code == 0, result.output
    return (twin / "corpus" / "screening" / "R2.yaml").read_text(encoding="utf-8")


def test_every_request_without_the_token_is_refused(served: tuple[Path, Session, str]) -> None:
    review, _session, url = served
    base = url.split("/?", 1)[0]
    for bad in (base + "/", base + "/?token=wrong"):
        with pytest.raises(HTTPError) as err:
            urlopen(bad)
        assert err.value.code == 403
    key, stage = _offered(_get(url))
    assert _post(url, "/decide", key=key, stage=stage, decision="include") == 403
    assert _post(url, "/decide", token="wrong", key=key, stage=stage, decision="include") == 403
    assert not (review / "corpus" / "screening" / "R2.yaml").exists()


def test_a_decision_from_the_page_is_the_one_screen_decide_writes(
    served: tuple[Path, Session, str], tmp_path: Path
) -> None:
    review, session, url = served
    key, stage = _offered(_get(url))
    assert (
        _post(
            url,
            "/decide",
            token=session.token,
            key=key,
            stage=stage,
            decision="exclude",
            reason="not-uk",
            note="set in Ohio",
        )
        == 303
    )
    written = (review / "corpus" / "screening" / "R2.yaml").read_text(encoding="utf-8")
    assert written == _decided_by_cli(
        tmp_path,
        key,
        "exclude",
        "--stage",
        stage,
        "--reason",
        "not-uk",
        "--note",
        "set in Ohio",
        "--date",
        today(),
    )
    # the page moves on, and undo takes the decision back out of the file
    assert _offered(_get(url))[0] != key
    assert _post(url, "/undo", token=session.token) == 303
    own = review / "corpus" / "screening" / "R2.yaml"
    assert not own.exists() or f"key: {key}" not in own.read_text(
        encoding="utf-8"
    )  # R2's only one: file gone
    assert _offered(_get(url))[0] == key


def test_maybe_and_a_refused_exclusion(served: tuple[Path, Session, str]) -> None:
    review, session, url = served
    key, stage = _offered(_get(url))
    assert (
        _post(url, "/decide", token=session.token, key=key, stage=stage, decision="exclude") == 303
    )
    assert not (review / "corpus" / "screening" / "R2.yaml").exists()  # no reason: nothing written
    assert _post(url, "/decide", token=session.token, key=key, stage=stage, decision="maybe") == 303
    assert "decision: maybe" in (review / "corpus" / "screening" / "R2.yaml").read_text(
        encoding="utf-8"
    )


def test_a_hostile_record_is_escaped(
    served: tuple[Path, Session, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from litreview.model import Name

    _review, session, url = served
    state, record, rec, waiting, note = session.current()  # type: ignore[misc]
    hostile = replace(
        record,
        title="<script>alert(1)</script> & hospital",
        abstract="a <img src=x onerror=y> b",
        authors=(Name(last="O'Evil<b>", first="Ann"),),
        container="J <i>Hack</i>",
    )
    monkeypatch.setattr(session, "current", lambda: (state, hostile, rec, waiting, note))
    page = _get(url)
    for raw in ("<script>alert(1)</script>", "<img src=x", "<b>", "<i>Hack"):
        assert raw not in page, raw
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>hospital</mark>" in page
    )  # terms still marked
    assert "&lt;img src=x onerror=y&gt;" in page and "O&#x27;Evil&lt;b&gt;" in page


CHROMIUM = (
    shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here: `make clients` installs it")
def test_keys_in_a_real_browser_decide_undo_and_note(
    served: tuple[Path, Session, str], tmp_path: Path
) -> None:
    """Headless Chromium loads the page with ``keys=``: the page's own key handler presses them,
    one page after another. Three records decided by key (include; exclude with the second
    reason; maybe), the maybe undone, then that record included with a note."""
    import yaml

    review, _session, url = served
    keys = "i,e,2,m,u,note:read the full text,i"
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=30000",
            "--dump-dom",
            f"{url}&{urlencode({'keys': keys})}",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    written = (review / "corpus" / "screening" / "R2.yaml").read_text(encoding="utf-8")
    items = yaml.safe_load(written)["decisions"]
    assert sorted((d["decision"], d.get("reason") or "", d.get("note") or "") for d in items) == [
        ("exclude", "not-uk", ""),
        ("include", "", ""),
        ("include", "", "read the full text"),
    ], written
    assert not any(d["decision"] == "maybe" for d in items)  # undone
    # the same three decisions made with `screen decide` give the same bytes
    twin = _fresh(tmp_path / "twin")
    for d in items:
        args = [
            "-C",
            str(twin),
            "screen",
            "decide",
            d["key"],
            d["decision"],
            "--stage",
            d["stage"],
            "--reviewer",
            "R2",
            "--date",
            d["date"],
        ]
        args += ["--reason", d["reason"]] if d.get("reason") else []
        args += ["--note", d["note"]] if d.get("note") else []
        assert CliRunner().invoke(cli, args).exit_code == 0
    assert (twin / "corpus" / "screening" / "R2.yaml").read_text(encoding="utf-8") == written
