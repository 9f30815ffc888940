"""The gate in front of every route of the Gradio server (an ASGI middleware).

- Behind a login, only the login page and its assets answer a visitor without a session;
  every API, file, queue and configuration route answers 401.
- The upload route is for logged-in administrators only, and closed when there is no login
  (Gradio accepts uploads even when no upload widget is shown).
- Routes the app does not use (monitoring, documentation, proxies, streaming inputs, run
  history, remote files fetched by the server…) answer 404 to everyone.
- Failed logins are counted per user name and per client address (one ``LoginGuard`` each;
  an address, which a whole office may share, is allowed more): past the limit, the login
  route answers 429 for the lockout period, even to the right password.
- A session lasts ``ASSISTANT_SESSION_HOURS`` (a working day by default), then the login
  page comes back.
- The login page does not carry the description of the API; every page starts with the
  French script and style sheet of ``ui.french``.
- Only the host names the app is served under are answered (loopback, the listening
  address, ``ASSISTANT_ALLOWED_HOSTS``): a page of another site whose name was rebound to
  127.0.0.1 (DNS rebinding) gets 400, not the documents. No response may be framed.

``refusal`` holds the rules and is pure; ``Gate`` applies them to Gradio's requests.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from starlette.requests import HTTPConnection, Request

from assistant.users import Authenticator, LoginGuard
from ui.french import french_head

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOGIN_REQUIRED = "Connexion requise."
ADMINS_ONLY = "Réservé aux administrateurs : connectez-vous avec un compte administrateur."
NO_UPLOADS = "Dépôt de fichiers désactivé : l'application n'a pas de fichier d'utilisateurs."
NOT_FOUND = "Introuvable."
UNKNOWN_HOST = "Nom d'hôte non servi par cette application."
TOO_LARGE = "Fichier trop volumineux pour être déposé (voir ASSISTANT_MAX_UPLOAD_MB)."
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})

LOGIN_PATHS = frozenset({"/login", "/login/"})
PUBLIC_PATHS = LOGIN_PATHS | {
    "/",
    "/logout",
    "/favicon.ico",
    "/theme.css",
    "/manifest.json",
    "/robots.txt",
    "/gradio_api/theme.css",
    "/gradio_api/login_check",
    "/gradio_api/login_check/",
    "/gradio_api/startup-events",  # called by ``launch`` itself; runs the startup events once
}
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")
CLOSED_PREFIXES = (
    "/monitoring",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/gradio_api/openapi.json",  # the API's description, even to a logged-in user
    "/gradio_api/proxy=",
    "/gradio_api/stream/",
    "/gradio_api/process_recording",
    "/gradio_api/deep_link",
    "/gradio_api/custom_component/",
    "/gradio_api/dev/",
    "/gradio_api/profiling",
    "/gradio_api/mcp",
    "/gradio_api/runs",
    "/gradio_api/run-history",
    "/gradio_api/vibe",
    "/gradio_api/undo-vibe",
    "/gradio_api/run/",  # calls outside the queue, which would escape its concurrency limit
    "/gradio_api/file/",  # the deprecated form of the file route, which fetches URLs too
    "/file/",
)
UPLOAD_PREFIX = "/gradio_api/upload"  # also /gradio_api/upload_progress
FILE_PREFIX = "/gradio_api/file="
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)
_API_INFO = re.compile(rb"<script>window\.gradio_api_info = .*?;</script>", re.DOTALL)
_NO_API_INFO = b'<script>window.gradio_api_info = {"named_endpoints": {}, "unnamed_endpoints": {}};</script>'
_MAX_LOGIN_BODY = 64 * 1024
_HEAD = re.compile(rb"<head[^>]*>", re.IGNORECASE)
FRENCH_HEAD = french_head().encode("utf-8")


def host_name(header: str) -> str:
    """The name of a ``Host`` header, without its port: « evil.example:7882 » ->
    « evil.example », « [::1]:7860 » -> « ::1 »."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def served_names(listening: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names the app answers to: loopback, the address it listens on (unless it
    listens on every address), and the public names configured."""
    names = set(LOOPBACK_NAMES) | {host_name(name) for name in extra if name.strip()}
    if listening not in ("0.0.0.0", "::", ""):
        names.add(host_name(listening))
    return frozenset(names)


def closed(path: str) -> bool:
    """Routes nobody reaches: unused features, and files the server would fetch from a URL."""
    if path.startswith(CLOSED_PREFIXES):
        return True
    return path.startswith(FILE_PREFIX) and bool(_SCHEME.match(path[len(FILE_PREFIX) :]))


def public(path: str) -> bool:
    """What the login page needs before anyone is logged in."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def refusal(path: str, user: str | None, admin: bool, login: bool) -> tuple[int, str] | None:
    """The status and French message refusing ``path`` to ``user`` (``None``: no session), or
    ``None`` when the request may go on. ``login``: the app runs behind a login."""
    if closed(path):
        return 404, NOT_FOUND
    if login and user is None and not public(path):
        return 401, LOGIN_REQUIRED
    if path.startswith(UPLOAD_PREFIX) and not admin:
        return 403, ADMINS_ONLY if login else NO_UPLOADS
    return None


def duration_text(seconds: float) -> str:
    """``300`` -> "5 min", ``45`` -> "45 s"."""
    if seconds >= 60:
        return f"{math.ceil(seconds / 60)} min"
    return f"{math.ceil(seconds)} s"


def too_many_attempts(seconds: float) -> str:
    return f"Trop d'essais de connexion manqués : réessayez dans {duration_text(seconds)}."


class Gate:
    """The ASGI middleware applying ``refusal`` and ``LoginGuard`` to Gradio's server."""

    def __init__(
        self,
        app: ASGIApp,
        users: Authenticator | None,
        names: LoginGuard,
        addresses: LoginGuard,
        *,
        hosts: frozenset[str] = LOOPBACK_NAMES,
        sessions: Sessions | None = None,
    ) -> None:
        self.app = app
        self.users = users
        self.names = names
        self.addresses = addresses
        self.hosts = hosts
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http":
            send = never_framed(send)
        if host_name(HTTPConnection(scope).headers.get("host", "")) not in self.hosts:
            await refuse(scope, send, 400, UNKNOWN_HOST)
            return
        path = scope["path"]
        if self.users is not None and path in LOGIN_PATHS and scope.get("method") == "POST":
            await self._login(scope, receive, send)
            return
        user = session_user(scope, self.sessions)
        admin = self.users is not None and self.users.is_admin(user)
        refused = refusal(path, user, admin, self.users is not None)
        if refused is not None:
            await refuse(scope, send, *refused)
            return
        if path == "/" and scope.get("method") == "GET":
            send = rewritten_page(send, hide_api=self.users is not None and user is None)
        if path.startswith(UPLOAD_PREFIX):
            send = french_refusals(send, {413: TOO_LARGE})
        await self.app(scope, receive, send)

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await read_body(receive)
        if body is None:
            await refuse(scope, send, 413, "Requête de connexion trop longue.")
            return
        form = await Request(scope, replay(body, receive)).form()
        client = HTTPConnection(scope).client
        name, address = str(form.get("username") or "").strip().casefold(), client.host if client else ""
        wait = self.names.begin(name)
        if wait == 0 and (wait := self.addresses.begin(address)) > 0:
            self.names.ended(name)
        if wait > 0:
            headers = {"Retry-After": str(math.ceil(wait))}
            await refuse(scope, send, 429, too_many_attempts(wait), headers)
            return
        statuses: list[int] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            await send(message)

        try:
            await self.app(scope, replay(body, receive), watch)
        finally:
            if statuses == [200]:
                self.names.succeeded(name)
                self.addresses.succeeded(address)
            elif statuses == [400]:  # Gradio's answer to wrong credentials
                self.names.failed(name)
                self.addresses.failed(address)
            self.names.ended(name)
            self.addresses.ended(address)


# Every response refuses to be shown inside another site's frame (clickjacking: a page
# that frames the app and lures a facilitator into clicking « Retirer »).
FRAME_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
)


def never_framed(send: Send) -> Send:
    """A ``send`` that adds ``FRAME_HEADERS`` to the response's start."""

    async def framed(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-frame-options"]
            message = {**message, "headers": [*headers, *FRAME_HEADERS]}
        await send(message)

    return framed


def french_refusals(send: Send, messages: dict[int, str]) -> Send:
    """A ``send`` that replaces the (English) body of a response whose status is in
    ``messages`` with its French message, as ``refuse`` writes it."""
    replaced: list[bool] = []

    async def french(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] in messages:
            body = json.dumps({"detail": messages[message["status"]]}, ensure_ascii=False).encode()
            headers = [
                (k, v)
                for k, v in message.get("headers", [])
                if k.lower() not in (b"content-length", b"content-type")
            ]
            headers += [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ]
            replaced.append(True)
            await send({**message, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        if replaced and message["type"] == "http.response.body":
            return  # the original body is dropped
        await send(message)

    return french


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


async def refuse(
    scope: Scope, send: Send, status: int, message: str, headers: dict[str, str] | None = None
) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": message[:120]})
        return
    body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    raw_headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *((key.lower().encode(), value.encode()) for key, value in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive) -> bytes | None:
    """The whole request body, or ``None`` past the size of any sensible login form."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > _MAX_LOGIN_BODY:
            return None
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then waits on the real connection."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def page_text(html: bytes, hide_api: bool) -> bytes:
    """The page with the French script and style sheet first in its ``<head>`` (``ui.french``),
    and, for a visitor not logged in (``hide_api``), without the API description."""
    if hide_api:
        html = _API_INFO.sub(_NO_API_INFO, html)
    return _HEAD.sub(lambda m: m.group(0) + FRENCH_HEAD, html, count=1)


def rewritten_page(send: Send, hide_api: bool) -> Send:
    """A ``send`` that gives the page through ``page_text``."""
    start: Message = {}
    chunks: list[bytes] = []

    async def rewritten(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        html = any(k.lower() == b"content-type" and b"text/html" in v for k, v in start.get("headers", []))
        if html:
            body = page_text(body, hide_api)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return rewritten
