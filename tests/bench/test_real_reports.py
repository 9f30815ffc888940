"""Two real designed reports made outside the project, each indexed alone through the CLI and
asked its questions (tests/data/realpdf: answerable ones with their gold phrase and page,
and questions the report cannot answer).

The PDFs are never copied into the project: they are looked for in ``../shared/realpdf/``
next to the project (or next to the repository this clone came from), as PIAF is. A
missing file fails the test with where it looked; to leave it out knowingly, deselect it
(``-m "not slow"`` or ``--deselect``). Floors a little under what ``make bench`` measures
(README, "Answers checked against what was asked").
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

REPORTS = {
    "cerema-raccordement-coproprietes.pdf": (
        "cerema_questions.jsonl",
        {"fact_and_page": 0.75, "refused_or_partial": 0.55, "wrongly_refused_max": 0.05},
    ),
    "fcu-dossier-presse.pdf": (
        "fcu_questions.jsonl",
        {"fact_and_page": 0.65, "refused_or_partial": 0.55, "wrongly_refused_max": 0.05},
    ),
}


def realpdf_candidates() -> list[Path]:
    """Where the real reports are looked for, in order."""
    candidates = [ROOT.parent / "shared" / "realpdf"]
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "remote", "get-url", "origin"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        candidates.append(Path(origin).resolve().parent / "shared" / "realpdf")
    return candidates


def real_report(pdf: str) -> Path:
    """Where the real report ``pdf`` is; the test fails, saying where it looked, when it is nowhere."""
    candidates = realpdf_candidates()
    folder = next((path for path in candidates if (path / pdf).is_file()), None)
    if folder is None:
        pytest.fail(
            f"{pdf} introuvable (cherché : " + ", ".join(map(str, candidates)) + ") : placez-le dans "
            "../shared/realpdf/ ; pour s'en passer sciemment, désélectionnez ce test (-m 'not slow')",
            pytrace=False,
        )
    return folder / pdf


@pytest.mark.slow
@pytest.mark.parametrize("pdf", sorted(REPORTS))
def test_a_real_report_answers_its_questions_and_says_what_it_does_not_hold(pdf: str, tmp_path: Path) -> None:
    folder = real_report(pdf).parent
    questions, floor = REPORTS[pdf]
    store = tmp_path / "store"
    ingest = run_cli("ingest", str(folder / pdf), "--json", store=store)
    assert ingest.returncode == 0, ingest.stderr
    result = run_cli(
        "eval",
        "--questions",
        str(ROOT / "tests/data/realpdf" / questions),
        "--answers",
        "--json",
        store=store,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["answerable"] >= 30 and figures["unanswerable"] >= 20
    assert figures["fact_and_page"] >= floor["fact_and_page"], figures
    assert figures["refused_or_partial"] >= floor["refused_or_partial"], figures
    assert figures["wrongly_refused"] <= floor["wrongly_refused_max"], figures
