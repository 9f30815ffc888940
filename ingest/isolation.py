"""Reading files in a child process, with a time limit per file.

A PDF can make a parser loop or crawl (a page with millions of operators, a
cyclic structure). Files are read by one child process, started once per run
(spawned, so it carries neither the embedding model nor the parent's memory)
and reused file after file. If a file has not been read within the limit, the
child is killed, the file fails with a one-line reason, and a fresh child reads
the next one. Nothing has been written by then, so the store is untouched.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from ingest.document import ParsedDocument
from ingest.errors import IngestError

Loader = Callable[[Path], ParsedDocument]


def _serve(connection: Any) -> None:
    """The child's loop: read the files it is sent until told to stop."""
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
        except IngestError as exc:  # the loaders turn every other failure into one
            connection.send(("error", str(exc)))


class IsolatedReader:
    """Reads files through ``loader`` in a child process, each within ``seconds`` (0: in-process)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._process: Any = None
        self._connection: Any = None

    def read(self, loader: Loader, path: Path) -> ParsedDocument:
        if self.seconds <= 0:
            return loader(path)
        connection = self._child()
        connection.send((loader, path))
        try:
            if not connection.poll(self.seconds):
                raise IngestError(
                    f"lecture interrompue après {self.seconds:g} s (fichier trop lourd ou qui fait "
                    "boucler l'analyseur ; voir ASSISTANT_INGEST_TIMEOUT)"
                )
            status, value = connection.recv()
        except EOFError as exc:
            self.close()
            raise IngestError("la lecture du fichier a fait échouer l'analyseur (processus arrêté)") from exc
        except IngestError:
            self.close()
            raise
        if status == "error":
            raise IngestError(value)
        return value

    def _child(self) -> Any:
        if self._process is None or not self._process.is_alive():
            context = multiprocessing.get_context("spawn")
            self._connection, child_end = context.Pipe()
            self._process = context.Process(target=_serve, args=(child_end,), daemon=True)
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


def load_with_time_limit(loader: Loader, path: Path, seconds: float) -> ParsedDocument:
    """``loader(path)`` in a child process of its own; an IngestError past ``seconds``."""
    with IsolatedReader(seconds) as reader:
        return reader.read(loader, path)
