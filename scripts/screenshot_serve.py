"""Redraw docs/img/screen-serve.png: `litreview screen serve` on a copy of the shipped review,
photographed by headless Chromium (installed by `make clients`). Run by `make docs`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from litreview.cli.serve import Session, make_server, url_of  # noqa: E402
from litreview.project import Project  # noqa: E402


def main() -> int:
    chromium = (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    if chromium is None:
        print(
            "screenshot_serve: no Chromium (run `make clients`); docs/img/screen-serve.png left as it is",
            file=sys.stderr,
        )
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        review = Path(tmp) / "review"
        review.mkdir()
        for name in ("review.yaml", "themes.yaml"):
            shutil.copy(ROOT / name, review / name)
        shutil.copytree(ROOT / "corpus", review / "corpus")
        # nobody has screened yet, so the page has a record to show
        (review / "corpus" / "screening.yaml").write_text(
            "version: 1\ndecisions: []\n", encoding="utf-8"
        )
        session = Session(Project(review), "R1")
        server = make_server(session)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            out = ROOT / "docs" / "img" / "screen-serve.png"
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--disable-gpu",
                    "--no-sandbox",
                    "--hide-scrollbars",
                    f"--user-data-dir={Path(tmp) / 'profile'}",
                    "--window-size=1000,900",
                    f"--screenshot={out}",
                    url_of(server, session),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
