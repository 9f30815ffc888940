"""The store's health and its single writer, through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLE, run_cli

HOLD = """
import sys, time
from pathlib import Path
from vectorstore.writer_lock import WriterLock
lock = WriterLock(Path(sys.argv[1]), "indexation d'essai")
lock.acquire()
print("verrou pris", flush=True)
time.sleep(120)
"""


def test_check_finds_every_passage_of_the_sample_by_its_own_vector(sample_store_copy: Path) -> None:
    result = run_cli("check", "--json", store=sample_store_copy)
    assert result.returncode == 0, result.stderr
    health = json.loads(result.stdout)
    assert health["live"] == health["reachable"] > 80 and health["reachability"] == 1.0
    assert health["orphans"] == health["missing"] == 0 and health["lexical_agrees"] is True


def test_a_second_ingest_is_refused_at_once_while_another_writes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "verrou pris"
        result = run_cli("ingest", str(SAMPLE / "notes"), store=store)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"erreur : L'index « {store} » est déjà en cours de modification (")
    assert f"processus {holder.pid}" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert run_cli("ingest", str(SAMPLE / "notes"), store=store).returncode == 0  # free once it died
