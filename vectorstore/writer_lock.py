"""One writer per store: a second one is refused at once, with who holds the store.

Chroma is not safe for two processes writing one local store, and even on a
server two writers would interleave their reconciliations. The lock is an
advisory ``flock`` on a file in the store folder: the system releases it when
its holder dies, even by SIGKILL, so a crash never leaves a store locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from vectorstore.errors import StoreError
from vectorstore.layout import StoreLayout


class StoreBusyError(StoreError):
    """Another process is writing to the store."""


class WriterLock:
    """Held while writing to the store in ``folder``; re-entrant within one object."""

    def __init__(self, folder: Path, purpose: str = "indexation") -> None:
        self.path = StoreLayout(Path(folder)).writer_lock
        self.purpose = purpose
        self._handle: IO[str] | None = None
        self._depth = 0

    def acquire(self) -> None:
        """Take the lock now, or raise StoreBusyError without waiting."""
        if self._handle is not None:
            self._depth += 1
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "un autre processus"
            handle.close()
            raise StoreBusyError(
                f"L'index « {self.path.parent} » est déjà en cours de modification ({holder}) : "
                "réessayez quand cette opération sera terminée."
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"{self.purpose}, processus {os.getpid()}, depuis {time.strftime('%H:%M:%S')}")
        handle.flush()
        self._handle, self._depth = handle, 1

    def release(self) -> None:
        if self._handle is None:
            return
        self._depth -= 1
        if self._depth == 0:
            self._handle.seek(0)
            self._handle.truncate()
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
