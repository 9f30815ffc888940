"""Real servers the tests start on a loopback port: the command that runs one, and a context
manager that starts it, waits until its health route answers and stops it in every case."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def installed_command(name: str, package: str) -> str:
    """The ``name`` script installed next to this interpreter (by ``package``)."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise RuntimeError(f"the {name} command ({package} package) is not installed")
    return found


@contextmanager
def running(
    command: Sequence[str], health: str, log_path: Path, timeout: float, env: dict[str, str] | None = None
) -> Iterator[None]:
    """Run ``command`` until the block ends, once ``health`` answers (its output in ``log_path``)."""
    log = log_path.open("w")
    process = subprocess.Popen(
        list(command), stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(health, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{Path(command[0]).name} did not start: see {log_path}") from None
                time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()
