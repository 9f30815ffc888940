"""A real Chroma server (``chroma run``, from the chromadb package) on a loopback port."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port


def chroma_command() -> str:
    """The ``chroma`` script installed next to this interpreter."""
    beside = Path(sys.executable).with_name("chroma")
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the chroma command (chromadb package) is not installed")
    return found


@contextmanager
def chroma_server(data: Path, timeout: float = 60.0) -> Iterator[str]:
    """Run ``chroma run`` on 127.0.0.1 with its data in ``data``; yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (data.parent / f"{data.name}.log").open("w")
    process = subprocess.Popen(
        [chroma_command(), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start: see {log.name}") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
