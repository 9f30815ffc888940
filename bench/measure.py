"""Timing and memory of a command run as a process (with the processes it starts).

Peak memory is the largest sum of resident memory over the process and its
descendants (ours reads files in a child process), sampled every 20 ms from
``/proc``, and never less than what the kernel reports for the process itself.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    stdout: str
    returncode: int


def _tree(pid: int) -> list[int]:
    pids, index = [pid], 0
    while index < len(pids):
        try:
            for task in Path(f"/proc/{pids[index]}/task").iterdir():
                pids += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
        index += 1
    return pids


def _rss_kib(pids: Sequence[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):  # the process has just ended
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_KIB
    return total


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **(extra or {})}


def run(args: Sequence[str], env: dict[str, str] | None = None, check: bool = True) -> Run:
    """Run ``python ARGS`` to its end: wall time, peak memory of its process tree, output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=environment(env), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _rss_kib(_tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if check and process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} a échoué :\n{stderr[-2000:]}")
    return Run(seconds, peak[0] / 1024, stdout, process.returncode)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def until_ready(
    args: Sequence[str], port: int, env: dict[str, str] | None = None, limit: float = 120
) -> float:
    """Start a web server (``python ARGS``), return the seconds until its page answers, stop it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=environment(env),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while time.perf_counter() - started < limit:
            if process.poll() is not None:
                raise SystemExit(f"{' '.join(args)} s'est arrêté avant d'être prêt")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                    if response.status < 500:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"{' '.join(args)} pas prêt après {limit:.0f} s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))
