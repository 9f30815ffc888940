"""Whose a Gradio session is: its login's user and age, and who first used each session hash.

Gradio keys a session's state and event stream on a ``session_hash`` the browser makes up,
and its logins never expire: the gate asks this module who the request's user is
(``session_user``, expired after ``Sessions``' hours), and whether the session or call a
request names belongs to them (``Owners``).
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import HTTPConnection

Scope = MutableMapping[str, Any]
HEARTBEAT_PREFIX = "/gradio_api/heartbeat/"
CALL_PREFIX = "/gradio_api/call/"


def json_field(body: bytes, name: str) -> str | None:
    """The string ``name`` of a JSON object body, if it is one (the last of the same name,
    as Gradio reads it)."""
    if not body.lstrip().startswith(b"{"):
        return None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    field = value.get(name) if isinstance(value, dict) else None
    return field if isinstance(field, str) else None


def session_keys(scope: Scope, body: bytes) -> list[str]:
    """The sessions and calls a request names: a ``session_hash`` in its path (heartbeat),
    its query (the event stream) or its JSON body (joining the queue, cancelling, a call);
    the event of a call's result stream (``/gradio_api/call/<name>/<event_id>``)."""
    path = scope["path"]
    hashes = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("session_hash", [])
    if path.startswith(HEARTBEAT_PREFIX):
        hashes.append(path[len(HEARTBEAT_PREFIX) :].strip("/"))
    if path.startswith("/gradio_api/") and (in_body := json_field(body, "session_hash")) is not None:
        hashes.append(in_body)
    keys = [f"session:{h}" for h in hashes if h]
    steps = path[len(CALL_PREFIX) :].strip("/").split("/")
    if path.startswith(CALL_PREFIX) and scope.get("method") == "GET" and len(steps) >= 2:
        keys.append(f"appel:{steps[-1]}")
    return keys


MAX_KEY_CHARS = 200  # Gradio's session hashes are 11 characters, its clients' 36


class Owners:
    """Who each session (``session_hash``) and each call (``event_id``) belongs to: the first
    to use it, as ``ui.exchange.requester`` names them (a user, a browser's visitor cookie;
    clients with neither share ``None``). Gradio keys a session's state and events on the
    hash alone, which travels in URLs (proxy logs): another user holding it could read the
    answers or export the conversation. Bounded: the least recently used are forgotten."""

    MAX_KEYS = 50_000

    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self.max_keys = max_keys
        self._owners: OrderedDict[str, str | None] = OrderedDict()

    def claim(self, key: str, who: str | None) -> bool:
        """Whether ``key`` is ``who``'s; recorded as theirs when first seen."""
        if key in self._owners:
            self._owners.move_to_end(key)
            return self._owners[key] == who
        self._owners[key] = who
        while len(self._owners) > self.max_keys:
            self._owners.popitem(last=False)
        return True

    def caller(self, who: str | None) -> Callable[[Any], None]:
        """What records the event a call's answer names (``{"event_id": …}``) as ``who``'s."""

        def called(answer: Any) -> None:
            if isinstance(answer, dict) and isinstance(event := answer.get("event_id"), str):
                self.claim(f"appel:{event}"[:MAX_KEY_CHARS], who)

        return called


def forget_oldest_sessions(app: Any, keep: int | None = None) -> None:
    """Bound Gradio's sessions (``app.tokens``, one per login, never forgotten): past
    ``keep``, the oldest are logged out."""
    tokens = getattr(app, "tokens", None)
    keep = Sessions.MAX_SESSIONS if keep is None else keep
    if isinstance(tokens, dict):
        while len(tokens) > keep:
            del tokens[next(iter(tokens))]


def session_user(scope: Scope, sessions: Sessions | None = None) -> str | None:
    """The user of the request's Gradio session cookie, as Gradio's own ``/user`` route finds
    it; ``None`` without one, or once ``sessions`` says it has expired (Gradio then forgets it)."""
    app = scope.get("app")
    tokens, cookie_id = getattr(app, "tokens", None), getattr(app, "cookie_id", None)
    if not tokens or cookie_id is None:
        return None
    cookies = HTTPConnection(scope).cookies
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    user = tokens.get(token) if token else None
    if user is None or token is None:
        return None
    if sessions is not None and sessions.expired(token):
        tokens.pop(token, None)  # logged out: the next request meets the login page
        return None
    return str(user)


class Sessions:
    """When each session was first seen; past ``hours`` it has expired (Gradio's sessions
    never do). Kept in memory, bounded: a restart logs everyone out anyway."""

    MAX_SESSIONS = 10_000

    def __init__(self, hours: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = hours * 3600
        self.clock = clock
        self.first_seen: dict[str, float] = {}

    def expired(self, token: str) -> bool:
        now = self.clock()
        started = self.first_seen.setdefault(token, now)
        if len(self.first_seen) > self.MAX_SESSIONS:
            self.first_seen.pop(next(iter(self.first_seen)))
        if now - started <= self.seconds:
            return False
        del self.first_seen[token]
        return True
