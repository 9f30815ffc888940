"""Reading files in a child process, with a time limit and a memory cap.

A PDF can make a parser loop, crawl or swell (a page with millions of
operators, a cyclic structure, a decompression bomb). Files are read by one
child process, started once per run (spawned, so it carries neither the
embedding model nor the parent's memory) and reused file after file. The child
caps its own address space; if a file has not been read within the limit, the
child is killed. Either way the file fails with a reason from the closed list
of ``ingest.errors.Reason`` and a fresh child reads the next one. Nothing has
been written by then, so the store is untouched.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from ingest.document import ParsedDocument
from ingest.errors import IngestError, Reason

Loader = Callable[[Path], ParsedDocument]
_MIB = 1 << 20


def _cap_memory(megabytes: int) -> None:
    """Limit the child's address space, so a swelling parser fails instead of the machine."""
    if megabytes <= 0:
        return
    import resource

    limit = megabytes * _MIB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _die_with_parent() -> None:
    """Ask Linux to kill this reader when the ingestion that started it dies (even by SIGKILL),
    rather than finish a file nobody waits for."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the reader ends at its next send
        pass


def _serve(connection: Any, memory_mb: int, preload: tuple[str, ...] = ()) -> None:
    """The child's loop: read the files it is sent until told to stop."""
    import importlib
    import logging

    _die_with_parent()
    for module in preload:  # the loaders' imports, done before the first file arrives
        importlib.import_module(module)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not for users
    _cap_memory(memory_mb)
    try:
        _read_jobs(connection, memory_mb)
    except OSError:  # the parent is gone (broken pipe): nothing left to report to
        return


def _read_jobs(connection: Any, memory_mb: int) -> None:
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        loader, path = job
        try:
            connection.send(("ok", loader(path)))
        except IngestError as exc:
            connection.send(("error", (str(exc), exc.reason)))
        except MemoryError:
            connection.send(("error", (_memory_message(memory_mb), Reason.MEMORY)))
        except BaseException as exc:  # noqa: BLE001 - the loaders convert the rest; this is the last net
            connection.send(("error", (f"lecture impossible ({type(exc).__name__})", Reason.DAMAGED)))


def _memory_message(memory_mb: int) -> str:
    return f"lecture abandonnée : plus de {memory_mb} Mio de mémoire (voir ASSISTANT_INGEST_MEMORY_MB)"


class IsolatedReader:
    """Reads files through ``loader`` in a child process, each within ``seconds`` (0: in-process)
    and ``memory_mb`` of address space (0: no cap)."""

    def __init__(self, seconds: float, memory_mb: int = 0, preload: tuple[str, ...] = ()) -> None:
        self.seconds = seconds
        self.memory_mb = memory_mb
        self.preload = preload  # modules the child imports as it starts (the loaders')
        self._process: Any = None
        self._connection: Any = None

    def start(self) -> None:
        """Start the child now rather than at the first file, so its start-up (a Python
        process importing the loaders: about a second) overlaps the caller's own work."""
        if self.seconds > 0:
            self._child()

    def read(self, loader: Loader, path: Path) -> ParsedDocument:
        if self.seconds <= 0:
            return loader(path)
        connection = self._child()
        connection.send((loader, path))
        try:
            if not connection.poll(self.seconds):
                raise IngestError(
                    f"lecture interrompue après {self.seconds:g} s (fichier trop lourd ou qui fait "
                    "boucler l'analyseur ; voir ASSISTANT_INGEST_TIMEOUT)",
                    Reason.TIMEOUT,
                )
            status, value = connection.recv()
        except (EOFError, OSError) as exc:
            raise self._crashed() from exc
        except IngestError:
            self.close()
            raise
        if status == "error":
            message, reason = value
            raise IngestError(message, Reason(reason))
        return value

    def _crashed(self) -> IngestError:
        """The reason for a child that died while reading (killed by the system, a crash)."""
        process = self._process
        process.join(5)
        code = process.exitcode
        self.close()
        if code is not None and code < 0 and self.memory_mb:
            return IngestError(
                f"l'analyseur s'est arrêté (signal {-code}) : fichier trop lourd pour "
                f"{self.memory_mb} Mio de mémoire ?",
                Reason.CRASHED,
            )
        return IngestError(
            "la lecture du fichier a fait échouer l'analyseur (processus arrêté)", Reason.CRASHED
        )

    def _child(self) -> Any:
        if self._process is None or not self._process.is_alive():
            context = multiprocessing.get_context("spawn")
            self._connection, child_end = context.Pipe()
            self._process = context.Process(
                target=_serve, args=(child_end, self.memory_mb, self.preload), daemon=True
            )
            self._process.start()
            child_end.close()
        return self._connection

    def close(self) -> None:
        """Stop the child (killed at once: it may be stuck in a file)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._connection.close()
        self._process = self._connection = None

    def __enter__(self) -> IsolatedReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def load_with_time_limit(loader: Loader, path: Path, seconds: float, memory_mb: int = 0) -> ParsedDocument:
    """``loader(path)`` in a child process of its own; an IngestError past ``seconds``."""
    with IsolatedReader(seconds, memory_mb) as reader:
        return reader.read(loader, path)
