"""The load check end to end: a real ``serve`` on a loopback port, two users for a few seconds."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port


def run_load(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return subprocess.run(
        [sys.executable, "-m", "bench.load", *args],
        capture_output=True,
        text=True,
        env=env | {"PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=240,
        check=False,
    )


def nobody_listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.slow
def test_two_users_get_answers_and_the_server_is_gone_afterwards(sample_store_copy: Path) -> None:
    port = free_port()
    result = run_load(
        "--store", str(sample_store_copy), "--users", "2", "--seconds", "5", "--port", str(port), "--json"
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout)
    assert figures["requests"] > 0 and figures["chat_requests"] > 0, figures
    assert figures["errors"] == 0 and figures["first_errors"] == [], figures
    assert figures["server_exit_code"] is None, figures  # it was up until the end
    assert figures["latency_ms_p95"] > 0 and figures["chat_ms_p50"] > 0, figures
    assert figures["throughput_rps"] > 0 and figures["rss_mib_start"] > 100, figures
    assert nobody_listens(port)
    assert not Path(f"/proc/{figures['server_pid']}").exists()


def test_a_host_other_than_loopback_is_refused_before_anything_starts(tmp_path: Path) -> None:
    result = run_load("--store", str(tmp_path), "--host", "0.0.0.0", "--seconds", "1")
    assert result.returncode == 2
    assert "n'est pas une adresse de bouclage" in result.stderr
