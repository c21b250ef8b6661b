"""Write docs/img/*.svg: the shipped review's pictures, as `litreview render` draws them.

The README shows these files; `make docs` regenerates them and a test checks they are current,
so the pictures in the README are always what the code draws from `corpus/`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pictures(root: Path) -> dict[str, str]:
    """File name -> SVG text of every picture rendered from the review at ``root``."""
    from litreview.project import Project
    from litreview.report.render import render_outputs
    from litreview.workflow.pipeline import build_render_input

    outputs = render_outputs(build_render_input(Project(root)), formats=("svg",))
    return {name: text for name, text in sorted(outputs.items()) if name.endswith(".svg")}


def main() -> int:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in pictures(ROOT).items():
        (out / name).write_text(text, encoding="utf-8")
        print(f"wrote docs/img/{name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
