"""People allowed into the web app: a users file of names, roles and salted password hashes.

One line per user, ``name:role:pbkdf2_sha256$iterations$salt$hash`` with role
``admin`` or ``lecteur``. Passwords are never stored; checking one costs about a
tenth of a second, on purpose, in a worker thread (``Authenticator.check``: the web
server's event loop goes on answering meanwhile). ``python -m bilan user add NAME [--admin]``
writes the file. ``LoginGuard`` limits the failed logins of a name or an address,
``LoginRate`` every login, successful ones too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread

from assistant.errors import UserFacingError

ADMIN, READER = "admin", "lecteur"
ITERATIONS = 200_000
_SCHEME = "pbkdf2_sha256"


@dataclass(frozen=True)
class User:
    name: str
    role: str
    password_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), iterations)
    return f"{_SCHEME}${iterations}${salt}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, _ = stored.split("$")
    except ValueError:
        return False
    if scheme != _SCHEME:
        return False
    return hmac.compare_digest(hash_password(password, salt, int(iterations)), stored)


def load_users(path: Path) -> dict[str, User]:
    """The users of the file, by name; a malformed file is one clear error."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserFacingError(f"Fichier d'utilisateurs illisible : {path} ({exc.strerror}).") from exc
    users = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.strip().split(":", 2)
        if len(parts) != 3 or parts[1] not in (ADMIN, READER) or not parts[0]:
            raise UserFacingError(f"{path}, ligne {number} : forme attendue nom:admin|lecteur:empreinte.")
        users[parts[0]] = User(*parts)
    if not users:
        raise UserFacingError(f"{path} ne déclare aucun utilisateur.")
    return users


def add_user(path: Path, name: str, password: str, admin: bool) -> None:
    """Add or replace a user (the other lines are kept as they are)."""
    if not name or ":" in name or name != name.strip():
        raise UserFacingError("Nom d'utilisateur invalide : pas de « : » ni d'espace au bord.")
    if len(password) < 8:
        raise UserFacingError("Mot de passe trop court : 8 caractères au moins.")
    kept = []
    if path.exists():
        kept = [
            line for line in path.read_text(encoding="utf-8").splitlines() if line.split(":", 1)[0] != name
        ]
    kept.append(f"{name}:{ADMIN if admin else READER}:{hash_password(password)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_text("\n".join(kept) + "\n", encoding="utf-8")
    partial.chmod(0o600)
    partial.replace(path)


class Authenticator:
    """The check Gradio calls at login, and who is an administrator."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.users = load_users(path)
        self.decoy = hash_password(secrets.token_hex(16))  # what an unknown name is checked against

    def __call__(self, name: str, password: str) -> bool:
        """Whether the password is the user's. An unknown name costs the same hashing as a
        known one: the time of the answer does not tell which names exist."""
        user = self.users.get(name)
        matches = password_matches(password, user.password_hash if user else self.decoy)
        return user is not None and matches

    async def check(self, name: str, password: str) -> bool:
        """``self(name, password)`` in a worker thread: Gradio awaits a coroutine function
        given as its login check, and the hashing no longer holds the event loop (with 8
        logins at a time, every other request of the server used to wait behind them)."""
        return await anyio.to_thread.run_sync(self, name, password)

    def is_admin(self, name: str | None) -> bool:
        user = self.users.get(name or "")
        return user is not None and user.is_admin


class LoginGuard:
    """Limited login attempts: after ``attempts`` failures of one key (a user name, a client
    address) within ``lockout`` seconds, the key is refused for ``lockout`` seconds, even
    with the right password. Kept in memory; ``clock`` is injectable for tests."""

    MAX_KEYS = 10_000  # beyond, forget the oldest keys: a flood of names cannot exhaust memory

    def __init__(self, attempts: int, lockout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.attempts = attempts
        self.lockout = lockout
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._checking: dict[str, int] = {}  # attempts being checked now, by key
        self._lock = threading.Lock()

    def wait(self, *keys: str) -> float:
        """Seconds before these keys may try again; 0 when they may try now."""
        now = self.clock()
        with self._lock:
            return max([0.0, *(self._locked_until.get(key, now) - now for key in keys)])

    def begin(self, *keys: str) -> float:
        """Reserve an attempt for each key, atomically: 0 when the attempt may be checked (end
        it with ``failed``, ``succeeded`` or ``ended``), else the seconds to wait. Attempts
        being checked count with the failures, so 30 passwords sent at once against a limit
        of 5 get 5 checked, not as many as arrive before the first failure is counted."""
        now = self.clock()
        with self._lock:
            wait = max([0.0, *(self._locked_until.get(key, now) - now for key in keys)])
            if wait > 0:
                return wait
            for key in keys:
                recent = [at for at in self._failures.get(key, []) if now - at < self.lockout]
                if len(recent) + self._checking.get(key, 0) >= self.attempts:
                    return min(self.lockout, 1.0)  # the attempts in progress decide first
            for key in keys:
                self._checking[key] = self._checking.get(key, 0) + 1
            return 0.0

    def ended(self, *keys: str) -> None:
        """An attempt reserved by ``begin`` is no longer being checked."""
        with self._lock:
            for key in keys:
                left = self._checking.get(key, 0) - 1
                if left > 0:
                    self._checking[key] = left
                else:
                    self._checking.pop(key, None)

    def failed(self, *keys: str) -> None:
        """Count a failed attempt of each key; the last allowed one locks the key."""
        now = self.clock()
        with self._lock:
            for key in keys:
                recent = [at for at in self._failures.get(key, []) if now - at < self.lockout]
                recent.append(now)
                self._failures[key] = recent
                if len(recent) >= self.attempts:
                    self._locked_until[key] = now + self.lockout
                    del self._failures[key]
            self._forget_oldest(now)

    def succeeded(self, *keys: str) -> None:
        """A successful login clears the failures of its keys."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _forget_oldest(self, now: float) -> None:
        for key in [key for key, until in self._locked_until.items() if until <= now]:
            del self._locked_until[key]
        while len(self._failures) > self.MAX_KEYS:
            del self._failures[next(iter(self._failures))]


class LoginRate:
    """Every login attempt of a key (a user name, a client address), successful or not, takes
    a token from the key's bucket: ``burst`` attempts at once, then one every ``every``
    seconds. A flood of right passwords cannot keep the server hashing. Kept in memory,
    bounded; ``clock`` is injectable for tests."""

    MAX_KEYS = 10_000  # beyond, forget the oldest keys (a forgotten key gets a full bucket)

    def __init__(self, burst: int, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.every = every
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key: tokens, when counted
        self._lock = threading.Lock()

    def _tokens(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) / self.every)

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again; 0 when it may try now."""
        now = self.clock()
        with self._lock:
            return max(0.0, (1 - self._tokens(key, now)) * self.every)

    def take(self, key: str) -> None:
        """Count one attempt of ``key``."""
        now = self.clock()
        with self._lock:
            tokens = self._tokens(key, now)
            self._buckets.pop(key, None)  # re-inserted last: the oldest keys come first
            self._buckets[key] = (max(0.0, tokens - 1), now)
            while len(self._buckets) > self.MAX_KEYS:
                del self._buckets[next(iter(self._buckets))]
