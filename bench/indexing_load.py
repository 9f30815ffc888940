"""Questions while an administrator indexes a long note: every one answered, and not much later.

Starts ``python -m bilan serve`` with a login on a copy of an indexed store, logs in one
administrator and ``--users`` readers (one ``gradio_client.Client`` each, as browser tabs
would be), then measures the same thing twice, side by side in one run:

1. idle: waves of ``--users`` questions asked at once, nothing else running;
2. indexing: the administrator uploads a note of ``--sections`` sections (one passage each),
   and the readers ask waves of questions at once until it is indexed.

Each question's latency is measured from the moment it is sent to the whole answer. The check
passes when every question is answered, the p95 while indexing is at most ``--ratio`` times
the idle p95, the note is indexed, and ``python -m bilan check`` finds the store whole
afterwards. Prints one Markdown table (``--json``: the figures). Exit status 0 or 1.

    python -m bench.indexing_load --store /tmp/load-store --users 30 --sections 400
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from gradio_client import Client, handle_file

from assistant.evaluation import percentile
from assistant.users import add_user
from bench.load import (
    CHAT,
    MENUS,
    QUESTIONS,
    REQUEST_TIMEOUT,
    ServerLog,
    claim_port,
    server_env,
    start_server,
    stop_server,
    wait_ready,
)

ADMIN, READER, PASSWORD = "animatrice", "membre", "mot-de-passe-du-banc"
TOPICS = ("mobilité", "alimentation", "énergie", "habitat", "biodiversité", "eau", "déchets", "culture")


def long_note(sections: int) -> str:
    """A meeting note of ``sections`` sections, each a paragraph of its own (one passage)."""
    parts = ["# Notes longues de la journée 8\n"]
    for i in range(sections):
        topic = TOPICS[i % len(TOPICS)]
        parts.append(
            f"## Atelier {i + 1} : {topic}\n\n"
            f"Lors de l'atelier {i + 1}, le groupe {i % 13 + 1} a travaillé sur la {topic} "
            f"dans le territoire numéro {i + 7}. Les participants ont relevé {i % 9 + 2} "
            f"difficultés, dont le manque de temps des agents et la coordination entre services. Ils ont "
            f"proposé {i % 5 + 1} leviers : associer les élus dès le début, ouvrir un lieu de rencontre, "
            f"partager un calendrier commun. La prochaine étape est prévue au mois {i % 12 + 1}.\n"
        )
    return "\n".join(parts)


def log_in(url: str, user: str) -> Client:
    return Client(
        url, auth=(user, PASSWORD), token=False, verbose=False, download_files=False,  # type: ignore[arg-type]
        analytics_enabled=False, httpx_kwargs={"timeout": REQUEST_TIMEOUT},
    )  # fmt: skip


def ask(client: Client, question: str) -> float:
    """Seconds for one whole answer (raises on anything but an answer), in a new conversation:
    one conversation stops at 50 questions, and the waves ask more."""
    client.reset_session()
    started = time.perf_counter()
    history, _ = client.predict(question, [], *MENUS, api_name=CHAT)
    if not history or history[-1].get("role") != "assistant" or not history[-1].get("content"):
        raise ValueError(f"réponse inattendue : {str(history)[:160]}")
    return time.perf_counter() - started


def wave(readers: list[Client], offset: int) -> tuple[list[float], list[str]]:
    """Every reader asks one question at once; their latencies and errors."""
    questions = [QUESTIONS[(offset + i) % len(QUESTIONS)] + f" (vague {offset})" for i in range(len(readers))]
    seconds, errors = [], []
    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        for future in [pool.submit(ask, client, q) for client, q in zip(readers, questions, strict=True)]:
            try:
                seconds.append(future.result())
            except Exception as exc:  # noqa: BLE001 - every failure is a figure of the check
                errors.append(f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}")
    return seconds, errors


def while_indexing(admin: Client, readers: list[Client], note: Path) -> dict[str, Any]:
    """Waves of questions until the administrator's upload of ``note`` is indexed."""
    done: dict[str, Any] = {}

    def upload() -> None:
        started = time.perf_counter()
        try:
            done["report"] = str(admin.predict([handle_file(str(note))], api_name="/upload")[0])
        except Exception as exc:  # noqa: BLE001
            done["report"] = f"échec : {type(exc).__name__}: {exc}"
        done["upload_seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(3.0)  # the upload is read and its embedding under way
    seconds: list[float] = []
    errors: list[str] = []
    waves = 0
    while thread.is_alive() or waves == 0:
        got, failed = wave(readers, 100 + waves)
        seconds, errors, waves = seconds + got, errors + failed, waves + 1
    thread.join()
    return {"seconds": seconds, "errors": errors, "waves": waves, **done}


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    store = work / "store"
    shutil.copytree(args.store, store)
    users = work / "utilisateurs.txt"
    add_user(users, ADMIN, PASSWORD, admin=True)
    for i in range(args.users):
        add_user(users, f"{READER}{i}", PASSWORD, admin=False)
    note = work / "notes-longues-journee-8.md"
    note.write_text(long_note(args.sections), encoding="utf-8")
    port = claim_port("127.0.0.1", 0)
    env = server_env(store) | {
        "ASSISTANT_AUTH": str(users),
        "ASSISTANT_LOGIN_ATTEMPTS": "1000",
        "ASSISTANT_MODEL_CACHE": str(work / "vecteurs"),  # empty: the note is really embedded
    }
    server = start_server("127.0.0.1", port, env)
    try:
        wait_ready(server, ServerLog(server), 180.0)
        url = f"http://127.0.0.1:{port}/"
        with ThreadPoolExecutor(max_workers=4) as pool:
            readers = list(pool.map(lambda i: log_in(url, f"{READER}{i}"), range(args.users)))
        admin = log_in(url, ADMIN)
        wave(readers, 0)  # warm-up, not counted: first questions load what answers need
        idle, idle_errors = [], []
        for n in range(args.idle_waves):
            got, failed = wave(readers, 1 + n)
            idle, idle_errors = idle + got, idle_errors + failed
        loaded = while_indexing(admin, readers, note)
    finally:
        stop_server(server)
    checked = subprocess.run(
        [sys.executable, "-m", "bilan", "check", "--store", str(store), "--json"],
        capture_output=True, text=True, env=server_env(store), check=False,
    )  # fmt: skip
    return figures(idle, idle_errors, loaded, checked, args)


def figures(
    idle: list[float], idle_errors: list[str], loaded: dict[str, Any], checked: Any, args: argparse.Namespace
) -> dict[str, Any]:
    p95_idle = percentile(idle, 0.95) if idle else None
    p95_loaded = percentile(loaded["seconds"], 0.95) if loaded["seconds"] else None
    try:
        health = json.loads(checked.stdout)
    except ValueError:
        health = {"erreur": (checked.stdout + checked.stderr)[-300:]}
    ratio = p95_loaded / p95_idle if p95_idle and p95_loaded else None
    indexed = "indexé (" in loaded.get("report", "")
    return {
        "users": args.users,
        "sections": args.sections,
        "idle_questions": len(idle) + len(idle_errors),
        "idle_errors": idle_errors,
        "idle_p50_s": percentile(idle, 0.5) if idle else None,
        "idle_p95_s": p95_idle,
        "indexing_seconds": loaded.get("upload_seconds"),
        "indexing_report": loaded.get("report", "")[:300],
        "indexing_waves": loaded["waves"],
        "indexing_questions": len(loaded["seconds"]) + len(loaded["errors"]),
        "indexing_errors": loaded["errors"],
        "indexing_p50_s": percentile(loaded["seconds"], 0.5) if loaded["seconds"] else None,
        "indexing_p95_s": p95_loaded,
        "p95_ratio": ratio,
        "check_rc": checked.returncode,
        "check": health,
        "ok": bool(
            not idle_errors and not loaded["errors"] and ratio is not None and ratio <= args.ratio
            and indexed and checked.returncode == 0
        ),
    }  # fmt: skip


def markdown(f: dict[str, Any]) -> str:
    def s(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f} s"

    rows = [
        ("questions at once (users)", str(f["users"])),
        ("idle: questions, errors", f"{f['idle_questions']}, {len(f['idle_errors'])}"),
        ("idle: p50 / p95", f"{s(f['idle_p50_s'])} / {s(f['idle_p95_s'])}"),
        (f"indexing a {f['sections']}-section note: time", s(f["indexing_seconds"])),
        ("while indexing: waves, questions, errors",
         f"{f['indexing_waves']}, {f['indexing_questions']}, {len(f['indexing_errors'])}"),
        ("while indexing: p50 / p95", f"{s(f['indexing_p50_s'])} / {s(f['indexing_p95_s'])}"),
        ("p95 while indexing / idle p95", "—" if f["p95_ratio"] is None else f"{f['p95_ratio']:.2f}"),
        ("check after (rc, reachability)", f"{f['check_rc']}, {f['check'].get('reachability', '—')}"),
        ("verdict", "ok" if f["ok"] else "ÉCHEC"),
    ]  # fmt: skip
    errors = (f["idle_errors"] + f["indexing_errors"])[:5]
    lines = ["| measure | value |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)]
    return "\n".join(lines + [f"\nerreur : {e}" for e in errors] + [f"\nrapport : {f['indexing_report']}"])


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.indexing_load", description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="an indexed store (copied, never changed)")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--sections", type=int, default=400)
    parser.add_argument("--idle-waves", type=int, default=2)
    parser.add_argument("--ratio", type=float, default=2.0, help="largest p95 while indexing / idle p95")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="charge-indexation-") as work:
        result = measure(args, Path(work))
    out(json.dumps(result, ensure_ascii=False, indent=2) if args.json else markdown(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    sys.exit(main())
