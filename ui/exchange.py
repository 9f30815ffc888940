"""The server's private folder for the files it hands out (exports) and receives (uploads).

Gradio keeps such files under ``GRADIO_TEMP_DIR``, by default one ``/tmp/gradio`` shared by
every Gradio app of the machine, and its file route serves any of them to whoever has the
URL. Here instead:

- each server process has its own folder (``bilan-echanges-…``, made by ``mkdtemp``: mode
  0700), which Gradio uses for its components and uploads (``GRADIO_TEMP_DIR`` is set before
  the app is built); another instance's files are outside it, so they are not served;
- each file handed out goes in a fresh random sub-folder and is recorded with its owner, the
  person who asked for it (``requester``: the logged-in name, or without a login the
  browser's visitor cookie); ``ui.gate`` serves a file of the folder to its owner only, and
  nothing else of the folder (uploads included) to anyone else;
- files go away: an upload once indexed, an export when the same person makes the next one
  or after ``lifetime`` seconds (swept when a file is made), the whole folder when the
  process ends (at exit, and on SIGTERM, which ends it without its exit handlers, or
  SIGINT), and folders left by an instance that died, when the next one starts.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

PREFIX = "bilan-echanges-"
PID_FILE = "instance.pid"
LIFETIME = 3600.0  # an hour: long enough to download an export, short enough not to pile up
VISITOR_COOKIE = "bilan-visiteur"
_VISITOR_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def new_visitor_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]


def requester(username: str | None, cookies: Mapping[str, str]) -> str | None:
    """Who asks, as the owner of the files made for them: the logged-in name, else the
    browser's visitor cookie; ``None`` for a client with neither (it gets no file)."""
    if username:
        return f"utilisateur:{username}"
    token = cookies.get(VISITOR_COOKIE, "")
    return f"visiteur:{token}" if _VISITOR_TOKEN.fullmatch(token) else None


def resolved(path: str | Path) -> Path:
    """A path as Gradio's file route resolves it (``..`` and links followed)."""
    return Path(os.path.abspath(str(path))).resolve()


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, and its folder not ours anyway
        return True
    return True


def remove_abandoned(parent: Path) -> list[Path]:
    """Delete the folders left in ``parent`` by instances whose process has ended."""
    removed = []
    for folder in parent.glob(f"{PREFIX}*"):
        try:
            pid = int((folder / PID_FILE).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue  # not one of ours, or still being made
        if folder.stat().st_uid == os.getuid() and not process_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


class Exchange:
    """One instance's folder of exchanged files and who owns each."""

    def __init__(
        self, root: Path, lifetime: float = LIFETIME, clock: Callable[[], float] = time.time
    ) -> None:
        self.root = resolved(root)
        self.lifetime = lifetime
        self.clock = clock
        self._owners: dict[Path, set[str]] = {}
        self._lock = threading.Lock()

    @classmethod
    def create(cls, parent: Path | None = None, lifetime: float = LIFETIME) -> Exchange:
        """A new private folder in ``parent`` (the system's temporary folder), after removing
        those of dead instances; deleted when this process ends."""
        parent = Path(parent or tempfile.gettempdir())
        parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(parent)
        root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        (root / PID_FILE).write_text(str(os.getpid()), encoding="ascii")
        exchange = cls(root, lifetime)
        atexit.register(exchange.close)
        return exchange

    def given_to_gradio(self) -> Exchange:
        """Make this folder Gradio's (``GRADIO_TEMP_DIR``, which Gradio reads as each
        component, and its server, are created: set it before building, and launching)."""
        os.environ["GRADIO_TEMP_DIR"] = str(self.root)
        return self

    def holds(self, path: str | Path) -> bool:
        return resolved(path).is_relative_to(self.root)

    def new_file(self, owner: str, name: str) -> Path:
        """A path for a file handed to ``owner``, in a folder of its own (a random name: a
        URL nobody can guess). The owner's earlier file of the same name is deleted."""
        self.sweep()
        with self._lock:
            earlier = [p for p, owners in self._owners.items() if p.name == name and owners == {owner}]
        for path in earlier:
            self.discard(path)
        folder = self.root / secrets.token_hex(16)
        folder.mkdir(mode=0o700)
        path = folder / name
        with self._lock:
            self._owners[path] = {owner}
        return path

    def claim(self, paths: Iterable[str | Path], owner: str) -> None:
        """Record ``owner`` for files the server received from them (uploads)."""
        with self._lock:
            for path in map(resolved, paths):
                if path.is_relative_to(self.root):
                    self._owners.setdefault(path, set()).add(owner)

    def owns(self, path: str | Path, owner: str | None) -> bool:
        """Whether ``owner`` may have this file of the folder."""
        with self._lock:
            return owner is not None and owner in self._owners.get(resolved(path), set())

    def may_serve(self, path: str | Path, owner: str | None) -> bool:
        """Files outside the folder are not this object's concern; inside, its owner's only."""
        return not path or not self.holds(path) or self.owns(path, owner)

    def discard(self, path: str | Path) -> None:
        """Delete a file of the folder (and its sub-folder once empty); forget its owners."""
        path = resolved(path)
        if not path.is_relative_to(self.root) or path == self.root:
            return
        with self._lock:
            self._owners.pop(path, None)
        path.unlink(missing_ok=True)
        if path.parent != self.root:
            with contextlib.suppress(OSError):  # another file still there
                path.parent.rmdir()

    def sweep(self) -> int:
        """Delete the files older than ``lifetime``; how many went."""
        limit, gone = self.clock() - self.lifetime, 0
        for path in list(self.root.rglob("*")):
            try:
                old = path.is_file() and path.name != PID_FILE and path.stat().st_mtime < limit
            except OSError:
                continue
            if old:
                self.discard(path)
                gone += 1
        return gone

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        with self._lock:
            self._owners.clear()


_process_exchange: list[Exchange] = []
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def process_exchange() -> Exchange:
    """This process's folder, made on first use, removed when the process ends or is told
    to stop."""
    if not _process_exchange:
        _process_exchange.append(Exchange.create())
        close_on_stop_signals(_process_exchange[0].close)
    return _process_exchange[0]


def close_on_stop_signals(close: Callable[[], None]) -> None:
    """Run ``close`` on SIGTERM and SIGINT, then what the signal did before: ``kill <pid>``
    ends the process without running its exit handlers, and used to leave the folder (its
    exports, uploads never indexed) behind. Signals ignored stay ignored; handlers can only
    be set from the main thread (elsewhere the exit handler is all there is)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in STOP_SIGNALS:
        previous = signal.getsignal(signum)
        if previous is not signal.SIG_IGN and previous is not None:
            signal.signal(signum, _stopping(close, previous))


def _stopping(close: Callable[[], None], previous: Callable[[int, FrameType | None], Any] | int) -> Any:
    def stop(signum: int, frame: FrameType | None) -> None:
        close()
        if callable(previous):
            previous(signum, frame)  # e.g. KeyboardInterrupt for SIGINT: Gradio closes its server
            return
        signal.signal(signum, signal.SIG_DFL)  # the signal's own action, as if never caught
        signal.raise_signal(signum)

    return stop
