"""Shared helpers for the rendering tests: fixture view models by case name."""

from __future__ import annotations

import json
from pathlib import Path

from litreview.report.render import RenderInput, input_from_dict

CASES_DIR = Path(__file__).parent / "fixtures" / "render" / "cases"
GOLDEN_DIR = Path(__file__).parent / "golden" / "render"


def case_names() -> list[str]:
    return sorted(p.stem for p in CASES_DIR.glob("*.json"))


def load_case(name: str) -> RenderInput:
    return input_from_dict(json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8")))
