"""How soon the main page is usable once ``serve`` says it is ready.

Starts ``python -m bilan serve`` on a store, waits for Gradio's "Running on" line
(ready), then opens the page in Debian's Chromium (Playwright) and waits until the header
says what the assistant knows and the question box accepts typing (interactive).
Repeats and prints the median and the slowest run; then, at 390×844 and 1280×800, where
the question box starts on arrival and how tall the folded Leviers tab makes the page.

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


def start_serve(store: Path, port: int) -> subprocess.Popen[str]:
    """``python -m bilan serve`` on ``store``, returned once it says it is ready."""
    env = {**os.environ, "ASSISTANT_STORE": str(store), "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "bilan", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    assert server.stdout is not None
    for line in server.stdout:
        if "Running on" in line:
            return server
    raise SystemExit("serve stopped before it was ready")


def one_run(store: Path) -> tuple[float, float]:
    """(seconds from launch to ready, seconds from ready to an interactive page)."""
    port = free_port()
    with sync_playwright() as playwright:
        # The browser is started first: its own start-up is not the app's.
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        page = browser.new_page()
        started = time.perf_counter()
        server = start_serve(store, port)
        try:
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


SIZES = {"390×844": (390, 844), "1280×800": (1280, 800)}


def layout(store: Path) -> list[tuple[str, int, int]]:
    """At each size: the question box's top on arrival, and the page's height with the
    Leviers tab open (its groups folded), in CSS pixels."""
    port = free_port()
    server = start_serve(store, port)
    figures = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
            for name, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator("#entete").get_by_text("L'assistant connaît").wait_for(timeout=30_000)
                box = page.locator("#question textarea").bounding_box()
                page.get_by_role("tab", name="Leviers", exact=True).click()
                page.locator("#leviers details").first.wait_for(timeout=30_000)
                tall = page.evaluate("document.documentElement.scrollHeight")
                figures.append((name, round(box["y"]) if box else -1, int(tall)))
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


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
    print("\n| size | question box top on arrival | page height, Leviers tab folded |\n|---|---|---|")
    for name, top, tall in layout(args.store):
        print(f"| {name} | {top} px | {tall} px |")


if __name__ == "__main__":
    main()
