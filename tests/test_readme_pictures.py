"""The pictures the README shows are the ones the code draws from the shipped corpus today."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from .conftest import ROOT


def test_docs_img_pictures_match_a_fresh_render_of_the_shipped_corpus(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_pictures", ROOT / "scripts" / "gen_pictures.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    review = tmp_path / "review"
    review.mkdir()
    for name in ("review.yaml", "themes.yaml"):
        shutil.copy(ROOT / name, review / name)
    shutil.copytree(ROOT / "corpus", review / "corpus")

    fresh = module.pictures(review)
    shipped = {
        p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs" / "img").glob("*.svg"))
    }
    assert set(fresh) == set(shipped), "run `make docs` to regenerate docs/img"
    stale = [name for name in fresh if fresh[name] != shipped[name]]
    assert not stale, f"docs/img is out of date ({', '.join(stale)}): run `make docs`"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"docs/img/{name}" in readme for name in fresh), (
        "the README should show every picture"
    )
