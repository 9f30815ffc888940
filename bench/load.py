"""Load check of the web app: N concurrent chat users against a real ``serve``.

Starts ``python -m bilan serve`` on a free loopback port, in extractive mode (no
language model: the figures measure this app, not a model server), waits until it is
ready, then runs N threads for a bounded time, each with its own ``gradio_client.Client``
(its own session, as N browser tabs would have). Each user asks realistic French questions
through the chat's ``/respond`` endpoint and, one request in five, reads a tab the way a
page load does (``/status``, ``/territories``, ``/overview``, ``/levers``, ``/documents``). Prints one
Markdown table (``--json``: the figures as JSON): requests, errors and the first error
messages, latency p50/p95/max, throughput, and the server's resident memory when the load
starts and when it ends, to spot a leak.

    python -m bench.load --store /tmp/load-store --users 20 --seconds 60 [--port P] [--json]

The server only ever listens on a loopback address: a store may hold unpublished documents,
and a load check has no reason to be reachable from the network. It is stopped in every
case (end, error, Ctrl-C, SIGTERM; on Linux even if this script is killed). Other
``ASSISTANT_*`` settings (e.g. ``ASSISTANT_CONCURRENCY``) pass through to it; the language
model and the login file do not. Exit status: 0, 1 if any request failed or the server
never got ready, 2 on a usage error, 130 when interrupted.

The chat logs the questions it declines in ``STORE/unanswered.jsonl``: the questions below
are all answered by the sample corpus, but against a real store run it on a copy.
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import io
import ipaddress
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from gradio_client import Client

from assistant.settings import Settings
from vectorstore.layout import StoreLayout

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Combien de territoires ont participé aux journées ?",
    "Qu'attendaient les territoires de la première journée ?",
    "Qu'attendait la commune de Sauvelière de la journée 2 ?",
    "Quel est le taux de satisfaction des participants ?",
    "Quels leviers ont été identifiés lors de la journée 2 ?",
    "Quelles difficultés les territoires ont-ils rencontrées ?",
    "Où s'est déroulée la troisième journée ?",
    "Quel était le thème de la journée 4 ?",
    "Qu'est-ce qu'une communauté apprenante ?",
    "Quelles suites ont été données par le Val-d'Orbelune ?",
    "Quel a été le budget des journées ?",
    "Quelles sont les recommandations pour la suite du cycle ?",
]
CHAT = "/respond"
READS = ("/status", "/territories", "/overview", "/levers", "/documents")
READ_EVERY = 5  # one request in five reads a tab; the others ask the chat
MENUS = ["Tous"] * 5  # the chat's five filter menus: no filter
REQUEST_TIMEOUT = 120.0  # seconds without a byte from the server before a request fails
GRACE = 120.0  # seconds the users get, after the deadline, to finish their last request
SHOWN_ERRORS = 5
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class LoadCheckError(Exception):
    """A failure of the check itself (the server never got ready, no client could connect)."""


@dataclass(frozen=True)
class Outcome:
    endpoint: str
    ms: float
    error: str | None = None


# -- command line ------------------------------------------------------------------------


def loopback_host(value: str) -> str:
    """An IPv4 loopback address (``localhost`` is 127.0.0.1); anything else is refused."""
    host = "127.0.0.1" if value == "localhost" else value
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is None or address.version != 4 or not address.is_loopback:
        raise argparse.ArgumentTypeError(
            f"« {value} » n'est pas une adresse de bouclage (127.x.x.x) : "
            "le test de charge n'écoute jamais sur une autre interface"
        )
    return host


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="an indexed store (ingest first)")
    parser.add_argument("--users", type=int, default=20, help="concurrent users, one client each")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the users keep asking")
    parser.add_argument("--host", type=loopback_host, default="127.0.0.1", help="a loopback address")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--ready-timeout", type=float, default=180.0, help="seconds to wait for serve")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.users < 1 or args.seconds <= 0 or not 0 <= args.port <= 65535:
        parser.error("--users ≥ 1, --seconds > 0 et 0 ≤ --port ≤ 65535")
    if not StoreLayout(args.store).database.is_file():
        parser.error(f"{args.store} n'est pas un index : python -m bilan ingest sample --store DIR")
    try:
        args.port = claim_port(args.host, args.port)
    except OSError as exc:
        parser.error(f"le port {args.port} n'est pas libre sur {args.host} ({exc.strerror})")
    return args


def claim_port(host: str, port: int) -> int:
    """``port`` if nobody listens on it, or a free one when it is 0 (raises OSError if taken)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        sock.bind((host, port))
        return int(sock.getsockname()[1])


# -- the server ----------------------------------------------------------------------------


def server_env(store: Path) -> dict[str, str]:
    """The caller's environment with the store set, extractive mode and no login."""
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_AUTH", "ASSISTANT_LLM_MODEL")}
    return env | {
        "ASSISTANT_STORE": str(store.resolve()),
        "ASSISTANT_LLM_MODEL": "",  # set, so that a .env file cannot turn a model on
        "PYTHONUNBUFFERED": "1",  # "Running on" must arrive as soon as it is printed
        "GRADIO_ANALYTICS_ENABLED": "False",
    }


def _die_with_parent() -> None:
    """Run in the child before exec: Linux sends it SIGTERM when this script dies, even by
    SIGKILL, so no server outlives its load check."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_server(host: str, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    # Its own process group: Ctrl-C reaches this script only, which then stops the server
    # and anything the server started (stop_server), rather than racing it to the exit.
    return subprocess.Popen(
        [sys.executable, "-m", "bilan", "serve", "--host", host, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
        env=env, cwd=ROOT, process_group=0,
        # Safe here: the server is started before this script starts any thread.
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
    )  # fmt: skip


class ServerLog:
    """Reads the server's output in a thread, so the pipe never fills and blocks it, keeps
    its last lines for error messages, and tells when Gradio says it is running."""

    def __init__(self, server: subprocess.Popen[str]) -> None:
        self.lines: collections.deque[str] = collections.deque(maxlen=200)
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(server,), daemon=True)
        self._thread.start()

    def _read(self, server: subprocess.Popen[str]) -> None:
        assert server.stdout is not None
        for line in server.stdout:
            self.lines.append(line.rstrip())
            if "Running on" in line:
                self.ready.set()

    def tail(self) -> str:
        return "\n".join(f"    {line}" for line in self.lines) or "    (aucune sortie)"


def wait_ready(server: subprocess.Popen[str], log: ServerLog, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not log.ready.wait(0.2):
        if server.poll() is not None:
            time.sleep(0.2)  # let the reader catch the last lines
            raise LoadCheckError(
                f"le serveur s'est arrêté avant d'être prêt ({describe_exit(server.returncode)}) :\n"
                f"{log.tail()}"
            )
        if time.monotonic() > deadline:
            raise LoadCheckError(f"le serveur n'est pas prêt après {timeout:.0f} s :\n{log.tail()}")


def stop_server(server: subprocess.Popen[str]) -> None:
    """SIGTERM to the server's process group, SIGKILL if it is still there 15 s later."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if server.poll() is not None:
            return
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            continue


def memory_mib(pid: int, field: str = "VmRSS") -> float | None:
    """A memory figure of a process from /proc (``VmRSS`` resident, ``VmHWM`` its peak)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # kB
    return None


# -- the users -------------------------------------------------------------------------------


def connect(url: str, users: int) -> list[Client]:
    """One client (one Gradio session) per user, connected before the clock starts."""

    def client(_: int) -> Client:
        # token=False: never send a saved Hugging Face token, even to localhost. Files (the
        # cited page pictures) are not downloaded: the clients share the machine with the server.
        return Client(
            url, token=False, verbose=False, download_files=False, analytics_enabled=False,  # type: ignore[arg-type]
            httpx_kwargs={"timeout": REQUEST_TIMEOUT},
        )  # fmt: skip

    try:
        with ThreadPoolExecutor(max_workers=min(users, 8)) as pool:
            return list(pool.map(client, range(users)))
    except Exception as exc:  # any failure to connect ends the check, explained
        raise LoadCheckError(f"impossible de se connecter à {url} : {type(exc).__name__}: {exc}") from exc


def plan(user: int, n: int) -> tuple[str, str]:
    """The endpoint and question of a user's n-th request. Users start at different
    questions, so the server does not see the same question N times at once."""
    if n % READ_EVERY == READ_EVERY - 1:
        return READS[(user + n // READ_EVERY) % len(READS)], ""
    return CHAT, QUESTIONS[(user * 5 + n) % len(QUESTIONS)]


def request(client: Client, endpoint: str, question: str) -> None:
    if endpoint != CHAT:
        client.predict(api_name=endpoint)
        return
    history, cleared = client.predict(question, [], *MENUS, api_name=CHAT)
    reply = history[-1] if history else {}
    if cleared != "" or reply.get("role") != "assistant" or not reply.get("content"):
        raise ValueError(f"réponse inattendue du chat : {str(history)[:200]}")


def run_user(user: int, client: Client, deadline: float, stop: threading.Event, out: list[Outcome]) -> None:
    """Ask, one request after the other, until the deadline (appending to ``out`` as it
    goes, so an interrupted run still has its figures)."""
    n = 0
    while time.monotonic() < deadline and not stop.is_set():
        endpoint, question = plan(user, n)
        started = time.perf_counter()
        error = None
        try:
            request(client, endpoint, question)
        except Exception as exc:  # noqa: BLE001 - every failure is a figure of the check
            error = f"{endpoint}: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        out.append(Outcome(endpoint, (time.perf_counter() - started) * 1000, error))
        n += 1


def drive(
    clients: list[Client], seconds: float, server: subprocess.Popen[str]
) -> tuple[list[Outcome], float, int]:
    """Run the users; returns every outcome, the elapsed seconds and how many users were
    still stuck in a request ``GRACE`` seconds after the deadline."""
    deadline = time.monotonic() + seconds
    stop = threading.Event()
    results: list[list[Outcome]] = [[] for _ in clients]
    threads = [
        threading.Thread(target=run_user, args=(i, c, deadline, stop, results[i]), daemon=True)
        for i, c in enumerate(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        watch(threads, deadline + GRACE, server, stop)
    finally:
        stop.set()
    stuck = sum(thread.is_alive() for thread in threads)
    return [o for outcomes in results for o in outcomes], time.perf_counter() - started, stuck


def watch(threads: list[threading.Thread], until: float, server: subprocess.Popen[str],
          stop: threading.Event) -> None:  # fmt: skip
    """Wait for the users, and stop them at once if the server dies: every request would
    then fail in a millisecond, and a minute of them would hide the cause."""
    while any(thread.is_alive() for thread in threads) and time.monotonic() < until:
        if server.poll() is not None:
            stop.set()
        time.sleep(0.2)


# -- figures ---------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile of sorted values (None when there are none)."""
    if not values:
        return None
    return round(values[min(len(values) - 1, math.ceil(p / 100 * len(values)) - 1)], 1)


def latency(outcomes: list[Outcome], prefix: str) -> dict[str, float | None]:
    ms = sorted(o.ms for o in outcomes if o.error is None)
    return {f"{prefix}_p50": percentile(ms, 50), f"{prefix}_p95": percentile(ms, 95),
            f"{prefix}_max": percentile(ms, 100)}  # fmt: skip


def summarize(outcomes: list[Outcome], elapsed: float, stuck: int, exit_code: int | None) -> dict[str, Any]:
    """The figures of a run. Throughput counts the successful requests only: failures are
    often fast (connection refused) and would flatter it."""
    errors = [o.error for o in outcomes if o.error]
    errors += [f"requête toujours en cours {GRACE:.0f} s après la fin"] * stuck
    if exit_code is not None:  # the cause of the other errors: first
        errors.insert(0, f"le serveur s'est arrêté pendant la charge ({describe_exit(exit_code)})")
    chat = [o for o in outcomes if o.endpoint == CHAT]
    succeeded = sum(o.error is None for o in outcomes)
    return {
        "requests": len(outcomes),
        "chat_requests": len(chat),
        "read_requests": len(outcomes) - len(chat),
        "errors": len(errors),
        "first_errors": errors[:SHOWN_ERRORS],
        **latency(outcomes, "latency_ms"),
        **latency(chat, "chat_ms"),
        "elapsed_s": round(elapsed, 1),
        "throughput_rps": round(succeeded / elapsed, 2) if elapsed else 0.0,
        "server_exit_code": exit_code,
    }


def describe_exit(code: int) -> str:
    """``code 1`` or ``signal SIGSEGV``: Popen gives a signal as a negative code."""
    return f"signal {signal.Signals(-code).name}" if code < 0 else f"code {code}"


def memory_figures(pid: int, start: float | None) -> dict[str, Any]:
    end = memory_mib(pid)
    drift = round(end - start, 1) if end is not None and start is not None else None
    peak = memory_mib(pid, "VmHWM")
    return {"rss_mib_start": _round(start), "rss_mib_end": _round(end), "rss_mib_drift": drift,
            "rss_mib_peak": _round(peak)}  # fmt: skip


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def _mib(value: float | None, sign: str = "") -> str:
    return "—" if value is None else f"{value:{sign}.1f} MiB"


def server_state(exit_code: int | None) -> str:
    return (
        "up until the end" if exit_code is None else f"**died during the load ({describe_exit(exit_code)})**"
    )


def markdown(f: dict[str, Any]) -> str:
    rows = [
        ("users × duration", f"{f['users']} × {f['seconds']:g} s (elapsed {f['elapsed_s']:.1f} s)"),
        ("server concurrency", f["concurrency"]),
        ("requests done", f"{f['requests']} ({f['chat_requests']} chat, {f['read_requests']} tab reads)"),
        ("errors", str(f["errors"])),
        ("latency p50 / p95 / max, all",
         f"{_ms(f['latency_ms_p50'])} / {_ms(f['latency_ms_p95'])} / {_ms(f['latency_ms_max'])}"),
        ("latency p50 / p95 / max, chat",
         f"{_ms(f['chat_ms_p50'])} / {_ms(f['chat_ms_p95'])} / {_ms(f['chat_ms_max'])}"),
        ("throughput (successful requests)", f"{f['throughput_rps']:.2f} req/s"),
        ("server", server_state(f["server_exit_code"])),
        ("server RSS at start of load", _mib(f["rss_mib_start"])),
        ("server RSS at end of load", _mib(f["rss_mib_end"])),
        ("RSS drift", _mib(f["rss_mib_drift"], "+")),
        ("server RSS peak (since start-up)", _mib(f["rss_mib_peak"])),
    ]  # fmt: skip
    lines = ["| figure | value |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]
    if f["first_errors"]:
        lines += ["", "First errors:", *(f"- {error}" for error in f["first_errors"])]
    return "\n".join(lines)


# -- main --------------------------------------------------------------------------------------


def run_check(
    server: subprocess.Popen[str], log: ServerLog, args: argparse.Namespace, clients: list[Client]
) -> dict[str, Any]:
    """Wait for the server, connect the users (into ``clients``, which the caller closes),
    run the load and measure."""
    wait_ready(server, log, args.ready_timeout)
    clients += connect(f"http://{args.host}:{args.port}/", args.users)
    start = memory_mib(server.pid)
    outcomes, elapsed, stuck = drive(clients, args.seconds, server)
    memory = memory_figures(server.pid, start)
    figures = summarize(outcomes, elapsed, stuck, server.poll()) | memory
    default = Settings.model_fields["concurrency"].default
    concurrency = os.environ.get("ASSISTANT_CONCURRENCY") or f"{default} (default)"
    return {"users": args.users, "seconds": args.seconds, "concurrency": concurrency,
            "server_pid": server.pid, **figures}  # fmt: skip


def _interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt  # SIGTERM too goes through the clean-up below


def shut_down(server: subprocess.Popen[str] | None, clients: list[Client]) -> None:
    """The server first: each client's heartbeat stream then ends at once, so closing
    the clients does not wait a second for each of them."""
    if server is not None:
        stop_server(server)
    for client in clients:
        client.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    # gradio_client sends telemetry unless this variable says no, whatever its argument says.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    server = None
    clients: list[Client] = []
    try:
        server = start_server(args.host, args.port, server_env(args.store))
        log = ServerLog(server)
        figures = run_check(server, log, args, clients)
    except LoadCheckError as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrompu : arrêt du serveur.", file=sys.stderr, flush=True)
        # The clients' threads print tracebacks as the server goes away under their
        # requests: noise once the user has asked to stop.
        sys.stderr = io.StringIO()
        return 130
    finally:
        shut_down(server, clients)
    print(json.dumps(figures, ensure_ascii=False, indent=2) if args.json else markdown(figures))
    if figures["errors"]:  # the server's side of the failures
        print(f"dernières lignes du serveur :\n{log.tail()}", file=sys.stderr)
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
