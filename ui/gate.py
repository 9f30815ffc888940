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
- A request that changes something (any method but GET, HEAD, OPTIONS; a websocket) sent
  by a page of another site (its ``Origin`` not one of those names) gets 403: no login
  forced on a visitor, no question or removal sent in their name (cross-site requests).
- A file of the instance's private folder (``ui.exchange``: exports, uploads) is served to
  the person it was made for or received from only; without a login, a browser is told
  apart by a visitor cookie given with the page.
- A request body is read whole before Gradio sees it, up to ``MAX_REQUEST_BYTES`` (uploads
  have their own limit): past it, 413 and a French message, nothing parsed, nothing echoed.
- Each refusal writes one line to the log (``bilan.gate``): status, method, path (cut), reason.

``refusal`` holds the rules and is pure; ``Gate`` applies them to Gradio's requests.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection, Request

from assistant.user_text import shown
from assistant.users import Authenticator, LoginGuard
from ui.exchange import VISITOR_COOKIE, Exchange, new_visitor_token, requester
from ui.responses import (
    french_refusals,
    never_framed,
    read_body,
    refuse,
    replay,
    rewritten_page,
    seen_json,
    with_header,
)

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
FOREIGN_ORIGIN = "Requête refusée : elle vient d'une page d'un autre site."
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REQUEST_TOO_LARGE = "Requête trop volumineuse : commencez une nouvelle conversation."
# Far above any request of the app (the history a browser sends with its 50th question weighs
# about 130 KiB on the sample: bench/conversation_size.py), far below what would cost memory or log space.
MAX_REQUEST_BYTES = 4 * 1024 * 1024
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
UPLOAD_PATH = "/gradio_api/upload"
API_DOCS_PATH = "/gradio_api/openapi.json"
FILE_PREFIX = "/gradio_api/file="
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)


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


def foreign_origin(origin: str | None, hosts: frozenset[str]) -> bool:
    """Whether an ``Origin`` header names a page of another site: its host is not one the app
    is served under (``"null"``, an opaque origin, is foreign too). No header: not a page of
    another site (a browser always sends it with such a request; a script client does not)."""
    if origin is None:
        return False
    name = urlsplit(origin.strip()).hostname
    return name is None or name.lower() not in hosts


def closed(path: str, api_docs: bool = False) -> bool:
    """Routes nobody reaches: unused features, and files the server would fetch from a URL;
    the API's description too, unless ``api_docs`` (``ASSISTANT_API_DOCS``) opens it."""
    if api_docs and path == API_DOCS_PATH:
        return False
    if path.startswith(CLOSED_PREFIXES):
        return True
    return path.startswith(FILE_PREFIX) and bool(_SCHEME.match(path[len(FILE_PREFIX) :]))


def served_file(path: str) -> str:
    """The file a request for the file route asks for; ``""`` for any other route."""
    return path[len(FILE_PREFIX) :] if path.startswith(FILE_PREFIX) else ""


def public(path: str) -> bool:
    """What the login page needs before anyone is logged in."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def refusal(
    path: str, user: str | None, admin: bool, login: bool, api_docs: bool = False
) -> tuple[int, str] | None:
    """The status and French message refusing ``path`` to ``user`` (``None``: no session), or
    ``None`` when the request may go on. ``login``: the app runs behind a login."""
    if closed(path, api_docs):
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
    """The ASGI middleware applying ``refusal``, ``LoginGuard`` and the private folder's
    owners to Gradio's server."""

    def __init__(
        self,
        app: ASGIApp,
        users: Authenticator | None,
        names: LoginGuard,
        addresses: LoginGuard,
        *,
        hosts: frozenset[str] = LOOPBACK_NAMES,
        sessions: Sessions | None = None,
        exchange: Exchange | None = None,
        api_docs: bool = False,
    ) -> None:
        self.app = app
        self.users = users
        self.names = names
        self.addresses = addresses
        self.hosts = hosts
        self.sessions = sessions
        self.exchange = exchange
        self.api_docs = api_docs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http":
            send = never_framed(send)
        if host_name(HTTPConnection(scope).headers.get("host", "")) not in self.hosts:
            await refused(scope, send, 400, UNKNOWN_HOST)
            return
        path = scope["path"]
        changes = scope["type"] == "websocket" or scope.get("method") not in SAFE_METHODS
        if changes and foreign_origin(HTTPConnection(scope).headers.get("origin"), self.hosts):
            await refused(scope, send, 403, FOREIGN_ORIGIN)
            return
        if self.users is not None and path in LOGIN_PATHS and scope.get("method") == "POST":
            await self._login(scope, receive, send)
            return
        user = session_user(scope, self.sessions)
        admin = self.users is not None and self.users.is_admin(user)
        refusing = refusal(path, user, admin, self.users is not None, self.api_docs)
        who = requester(user, HTTPConnection(scope).cookies)
        if refusing is None and self.exchange and not self.exchange.may_serve(served_file(path), who):
            refusing = 404, NOT_FOUND  # someone else's export or upload: as if absent
        if refusing is not None:
            await refused(scope, send, *refusing)
            return
        if scope.get("method") == "POST" and not path.startswith(UPLOAD_PREFIX):
            body = await read_body(receive, MAX_REQUEST_BYTES)
            if body is None:
                await refused(scope, send, 413, REQUEST_TOO_LARGE)
                return
            receive = replay(body, receive)
        await self.app(scope, receive, self._answering(scope, send, user, who))

    def _answering(self, scope: Scope, send: Send, user: str | None, who: str | None) -> Send:
        """The ``send`` for a request let through: the page rewritten (and a visitor cookie
        given), an upload's files recorded as its sender's, its refusal in French."""
        path = scope["path"]
        if path == "/" and scope.get("method") == "GET":
            send = rewritten_page(send, hide_api=self.users is not None and user is None)
            if self.users is None and who is None:
                send = with_header(send, b"set-cookie", visitor_cookie(new_visitor_token()))
        if path.startswith(UPLOAD_PREFIX):
            send = french_refusals(send, {413: TOO_LARGE})
        if path == UPLOAD_PATH and self.exchange and who is not None:
            exchange, owner = self.exchange, who

            def received(paths: Any) -> None:
                if isinstance(paths, list):
                    exchange.claim([p for p in paths if isinstance(p, str)], owner)

            send = seen_json(send, received)
        return send

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await read_body(receive)
        if body is None:
            await refused(scope, send, 413, "Requête de connexion trop longue.")
            return
        form = await Request(scope, replay(body, receive)).form()
        client = HTTPConnection(scope).client
        name, address = str(form.get("username") or "").strip().casefold(), client.host if client else ""
        wait = self.names.begin(name)
        if wait == 0 and (wait := self.addresses.begin(address)) > 0:
            self.names.ended(name)
        if wait > 0:
            headers = {"Retry-After": str(math.ceil(wait))}
            await refused(scope, send, 429, too_many_attempts(wait), headers)
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


log = logging.getLogger("bilan.gate")


async def refused(
    scope: Scope, send: Send, status: int, message: str, headers: dict[str, str] | None = None
) -> None:
    """``refuse``, with one line in the log: what was refused and why, the path cut short
    (a flood of hostile requests writes short lines, never their bodies)."""
    method = scope.get("method", "WS")
    log.warning("refus %s %s %s : %s", status, method, shown(scope.get("path", ""), 120), message)
    await refuse(scope, send, status, message, headers)


def visitor_cookie(token: str) -> bytes:
    """The cookie telling a browser apart when there is no login (its exports are its own)."""
    return f"{VISITOR_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode()
