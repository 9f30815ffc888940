"""How soon the main page is usable once ``serve`` says it is ready.

Starts ``python -m bilan serve`` on a store, waits for Gradio's "Running on" line
(ready), then opens the page in Debian's Chromium (Playwright) and waits until the header
says what the assistant knows and the question box accepts typing (interactive).
Repeats and prints the median and the slowest run.

    python -m bench.ui_ready --store data/store --runs 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("Chromium absent : make system-deps")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def one_run(store: Path) -> tuple[float, float]:
    """(seconds from launch to ready, seconds from ready to an interactive page)."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_STORE": str(store), "PYTHONUNBUFFERED": "1"}
    with sync_playwright() as playwright:
        # The browser is started first: its own start-up is not the app's.
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        page = browser.new_page()
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "bilan", "serve", "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        try:
            assert server.stdout is not None
            for line in server.stdout:
                if "Running on" in line:
                    break
            else:
                raise SystemExit("serve stopped before it was ready")
            ready = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#entete").get_by_text("L'assistant connaît").wait_for(timeout=30_000)
            page.locator("#question textarea").fill("Bonjour")
            interactive = time.perf_counter()
            browser.close()
            return ready - started, interactive - ready
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.store) for _ in range(args.runs)]
    to_ready = [r[0] for r in runs]
    to_use = [r[1] for r in runs]
    print("| what | median | slowest |\n|---|---|---|")
    print(f"| serve start to ready | {statistics.median(to_ready):.2f} s | {max(to_ready):.2f} s |")
    print(f"| ready to interactive page | {statistics.median(to_use):.2f} s | {max(to_use):.2f} s |")


if __name__ == "__main__":
    main()
