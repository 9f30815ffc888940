"""End to end on real French data: a few PIAF-dev articles as PDFs, indexed and scored by the CLI.

PIAF is never copied into the project: the file is looked for next to the
project (``../shared/eval/piaf-dev.json``), next to the repository this clone
came from, or at ``$PIAF_DEV``. The floor is well under what the full benchmark
measures (README), so it catches a broken analyser or fusion, not noise.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bench.piaf_corpus import build_corpus
from tests.conftest import ROOT, run_cli

ARTICLES = 6
FLOOR = {"hit@1": 0.6, "hit@5": 0.85, "mrr@10": 0.7}


def _piaf_path() -> Path | None:
    candidates = [Path(os.environ["PIAF_DEV"])] if os.environ.get("PIAF_DEV") else []
    candidates.append(ROOT.parent / "shared" / "eval" / "piaf-dev.json")
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "remote", "get-url", "origin"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        candidates.append(Path(origin).resolve().parent / "shared" / "eval" / "piaf-dev.json")
    return next((path for path in candidates if path.is_file()), None)


PIAF = _piaf_path()


@pytest.mark.slow
@pytest.mark.skipif(PIAF is None, reason="piaf-dev.json introuvable (../shared/eval ou $PIAF_DEV)")
def test_hybrid_retrieval_stays_above_the_floor_on_piaf(tmp_path: Path) -> None:
    assert PIAF is not None
    pdf_dir, questions, articles = build_corpus(PIAF, tmp_path / "piaf", ARTICLES)
    assert articles == ARTICLES and len(list(pdf_dir.glob("*.pdf"))) == ARTICLES
    store = tmp_path / "store"
    ingest = run_cli("ingest", str(pdf_dir), "--json", store=store)
    assert ingest.returncode == 0, ingest.stderr
    result = run_cli("eval", "--questions", str(questions), "--json", store=store)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["questions"] > 80
    for metric, floor in FLOOR.items():
        assert figures[metric] >= floor, (metric, figures)
