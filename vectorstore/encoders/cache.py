"""A machine-wide cache of passage vectors, keyed by model and text (used by ``encoder.Encoder``).

Embedding is most of an indexing run (a 2,000-character passage takes a fraction of a
second on two cores, its sentences as much again). A vector depends only on the model
and the text, so it is kept once per machine: indexing the same report into a second
store, rebuilding a store, or a test suite indexing the sample many times embeds each
text once. The cache is a convenience: if its file cannot be opened or written (read-only
disk, damaged file), vectors are simply computed.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

import numpy as np

from vectorstore.records import content_hash

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
_LOOKUP_BATCH = 500  # SQLite's limit on bound parameters is 999 on older builds


class VectorCache:
    """Vectors by (model, text) in one SQLite file, safe across threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute(_SCHEMA)
                self._connection = connection
            except (OSError, sqlite3.Error):
                self._broken = True  # no cache: every vector is computed
        return self._connection

    @staticmethod
    def key(model: str, text: str) -> str:
        return content_hash(model, text)[:40]

    def get(self, keys: list[str]) -> dict[str, list[float]]:
        """The cached vectors among ``keys``."""
        found: dict[str, list[float]] = {}
        with self._lock:
            connection = self._connect()
            if connection is None:
                return found
            try:
                for start in range(0, len(keys), _LOOKUP_BATCH):
                    batch = keys[start : start + _LOOKUP_BATCH]
                    marks = ",".join("?" * len(batch))
                    rows = connection.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch
                    )
                    found.update((key, np.frombuffer(blob, dtype=np.float32).tolist()) for key, blob in rows)
            except sqlite3.Error:
                self._broken, self._connection = True, None
        return found

    def put(self, items: dict[str, list[float]]) -> None:
        with self._lock:
            connection = self._connect()
            if connection is None or not items:
                return
            rows = [(key, np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in items.items()]
            try:
                with connection:
                    connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    connection.rollback()
