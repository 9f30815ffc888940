"""End to end on real French data: a few PIAF-dev articles as PDFs, indexed and scored by the CLI.

PIAF is never copied into the project: the file is looked for at ``$PIAF_DEV`` when it
is set (and only there), else next to the project (``../shared/eval/piaf-dev.json``, the
Makefile's ``PIAF``, where CI and the developers' machines have it) or next to the
repository this clone came from. A missing file fails the test, it is never skipped in
silence; to leave it out knowingly, deselect it (``-m "not slow"`` or ``--deselect``).
The floor is well under what the full benchmark measures (README), so it catches a
broken analyser or fusion, not noise.
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


def piaf_candidates() -> list[Path]:
    """Where piaf-dev.json is looked for, in order: ``$PIAF_DEV`` alone when it is set."""
    if os.environ.get("PIAF_DEV"):
        return [Path(os.environ["PIAF_DEV"])]
    candidates = [ROOT.parent / "shared" / "eval" / "piaf-dev.json"]
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "remote", "get-url", "origin"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        candidates.append(Path(origin).resolve().parent / "shared" / "eval" / "piaf-dev.json")
    return candidates


@pytest.mark.slow
def test_hybrid_retrieval_stays_above_the_floor_on_piaf(tmp_path: Path) -> None:
    candidates = piaf_candidates()
    piaf = next((path for path in candidates if path.is_file()), None)
    if piaf is None:
        pytest.fail(
            "piaf-dev.json introuvable (cherché : " + ", ".join(map(str, candidates)) + ") : placez-le dans "
            "../shared/eval/ ou indiquez-le par $PIAF_DEV ; pour s'en passer sciemment, "
            "désélectionnez ce test (-m 'not slow' ou --deselect)",
            pytrace=False,
        )
    pdf_dir, questions, articles = build_corpus(piaf, tmp_path / "piaf", ARTICLES)
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
