"""The gate in front of every route of the Gradio server (an ASGI middleware).

- Behind a login, only the login page and its assets answer a visitor without a session;
  every API, file, queue and configuration route answers 401.
- The upload route is for logged-in administrators only, and closed when there is no login
  (Gradio accepts uploads even when no upload widget is shown).
- Routes the app does not use (monitoring, documentation, proxies, streaming inputs, run
  history, remote files fetched by the server…) answer 404 to everyone.
- Failed logins are counted per user name and per client address (one ``LoginGuard`` each;
  an address, which a whole office may share, is allowed more): past the limit, the login
  route answers 429 for the lockout period, even to the right password. Every login, right
  or wrong, also takes a token of its name's and its address's bucket (``LoginRate``).
- A session lasts ``ASSISTANT_SESSION_HOURS`` (a working day by default), then the login
  page comes back.
- The login page does not carry the description of the API; every page starts with the
  French script and style sheet of ``ui.french``.
- Only the host names the app is served under are answered (loopback, the listening
  address, ``ASSISTANT_ALLOWED_HOSTS``): a page of another site whose name was rebound to
  127.0.0.1 (DNS rebinding) gets 400, not the documents. No response may be framed.
- A request that changes something (any method but GET, HEAD, OPTIONS; a websocket), and a
  logout, sent by a page of another origin gets 403: its ``Origin`` is not the page's own
  (scheme, host and port of the request's ``Host``, or a configured public name), or the
  browser says it is another site's (``Sec-Fetch-Site``). No login forced on a visitor, no
  question, removal or logout sent in their name (cross-site request forgery).
- The gate owns the CORS headers: a response keeps Gradio's ``Access-Control-Allow-*`` only
  for a request from the page's own origin, so no page of another origin (another port
  included) reads anything with the visitor's cookies; a response to a request without a
  session never names the session cookie.
- A session (its ``session_hash``) and a call (its ``event_id``) belong to whoever used it
  first (``Owners``): anyone else gets 403 on every route carrying it (joining the queue,
  reading its events, its heartbeat, cancelling).
- A file of the instance's private folder (``ui.exchange``: exports, uploads) is served to
  the person it was made for or received from only; without a login, a browser is told
  apart by a visitor cookie given with the page.
- A request body is read whole before Gradio sees it, up to ``MAX_REQUEST_BYTES`` (uploads
  have their own limit): past it, 413 and a French message, nothing parsed, nothing echoed;
  a body too slow to come (``ui.responses.read_body``) gets 408.
- Each refusal writes one line to the log (``bilan.gate``): status, method, path (cut), reason.
  An error Gradio does not handle is one line too, and a French 500, never a traceback; a
  request Gradio cannot read (422) gets a French message, not its own input echoed.

``refusal`` holds the rules and is pure; ``Gate`` applies them to Gradio's requests.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import HTTPConnection, Request

from assistant.user_text import shown
from assistant.users import Authenticator, LoginGuard, LoginRate
from ui.exchange import VISITOR_COOKIE, Exchange, new_visitor_token, requester
from ui.origins import (
    LOOPBACK_NAMES,
    Origin,
    cross_site,
    foreign_origin,
    host_name,
    request_origin,
)
from ui.responses import (
    MAX_LOGIN_BODY,
    cors_grant,
    french_refusals,
    never_framed,
    read_body,
    refuse,
    replay,
    rewritten_page,
    seen_json,
    session_cookie,
    with_header,
    without_headers,
)
from ui.sessions import (
    CALL_PREFIX,
    MAX_KEY_CHARS,
    Owners,
    Sessions,
    forget_oldest_sessions,
    session_keys,
    session_user,
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
NOT_YOUR_SESSION = "Session d'une autre personne : rechargez la page."
TOO_SLOW = "Requête trop lente : la connexion est fermée, réessayez."
MALFORMED = "Requête mal formée."
SERVER_ERROR = "Erreur interne : la requête n'a pas abouti."
LOGIN_TOO_LARGE = "Requête de connexion trop longue."
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REQUEST_TOO_LARGE = "Requête trop volumineuse : commencez une nouvelle conversation."
# Far above any request of the app (the history a browser sends with its 50th question weighs
# about 130 KiB on the sample: bench/conversation_size.py), far below what would cost memory or log space.
MAX_REQUEST_BYTES = 4 * 1024 * 1024

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
    "/gradio_api/api/",  # the same calls under another name
    "/gradio_api/token",  # the session cookie's value, readable by a script (the page never asks)
    "/gradio_api/component_server",  # no component of the app has server functions
    "/gradio_api/file/",  # the deprecated form of the file route, which fetches URLs too
    "/file/",
)
UPLOAD_PREFIX = "/gradio_api/upload"  # also /gradio_api/upload_progress
UPLOAD_PATH = "/gradio_api/upload"
API_DOCS_PATH = "/gradio_api/openapi.json"
FILE_PREFIX = "/gradio_api/file="
LOGOUT_PATH = "/logout"
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)


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


def too_many_logins(seconds: float) -> str:
    return f"Trop de connexions en peu de temps : réessayez dans {duration_text(seconds)}."


# Logins a name may make at once, then one every so many seconds; an address (an office behind
# it) more. Far above what people do, far below what keeps a core hashing (N9: 107 logins in 12 s).
NAME_RATE = (20, 3.0)
ADDRESS_RATE = (60, 1.0)


class Gate:
    """The ASGI middleware applying ``refusal``, the origin checks, ``LoginGuard`` and
    ``LoginRate``, the owners of sessions and of the private folder's files to Gradio's
    server. It must sit outside Gradio's CORS middleware (``ui.app`` puts it there)."""

    def __init__(
        self,
        app: ASGIApp,
        users: Authenticator | None,
        names: LoginGuard,
        addresses: LoginGuard,
        *,
        hosts: frozenset[str] = LOOPBACK_NAMES,
        origins: frozenset[Origin] = frozenset(),
        sessions: Sessions | None = None,
        exchange: Exchange | None = None,
        api_docs: bool = False,
        rates: tuple[LoginRate, LoginRate] | None = None,
    ) -> None:
        self.app = app
        self.users = users
        self.names = names
        self.addresses = addresses
        self.hosts = hosts
        self.origins = origins
        self.sessions = sessions
        self.exchange = exchange
        self.api_docs = api_docs
        self.rates = rates or (LoginRate(*NAME_RATE), LoginRate(*ADDRESS_RATE))
        self.owners = Owners()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        started: list[bool] = []
        send = watched_start(never_framed(send) if scope["type"] == "http" else send, started)
        try:
            await self._dispatch(scope, receive, send)
        except Exception as exc:  # one line in the log, never a traceback (nor its input)
            method, path = scope.get("method", "WS"), shown(scope.get("path", ""), 120)
            log.error("erreur %s %s : %s", method, path, error_line(exc))
            log.debug("trace de l'erreur", exc_info=True)  # seen when debugging only
            if not started:
                await refuse(scope, send, 500, SERVER_ERROR)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = HTTPConnection(scope).headers
        if host_name(headers.get("host", "")) not in self.hosts:
            await refused(scope, send, 400, UNKNOWN_HOST)
            return
        origin = headers.get("origin")
        own = request_origin(scope.get("scheme", "http"), headers.get("host", ""))
        foreign = foreign_origin(origin, own, self.origins)
        if origin is None or foreign:
            send = without_headers(send, cors_grant)  # no other origin reads a response
        if forged(scope, foreign or cross_site(headers.get("sec-fetch-site"))):
            await refused(scope, send, 403, FOREIGN_ORIGIN)
            return
        if self.users is not None and scope["path"] in LOGIN_PATHS and scope.get("method") == "POST":
            await self._login(scope, receive, send)
            return
        await self._route(scope, receive, send)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        user = session_user(scope, self.sessions)
        admin = self.users is not None and self.users.is_admin(user)
        refusing = refusal(path, user, admin, self.users is not None, self.api_docs)
        who = requester(user, HTTPConnection(scope).cookies)
        if refusing is None and self.exchange and not self.exchange.may_serve(served_file(path), who):
            refusing = 404, NOT_FOUND  # someone else's export or upload: as if absent
        if refusing is not None:
            await refused(scope, send, *refusing)
            return
        body = b""
        if scope.get("method") == "POST" and not path.startswith(UPLOAD_PREFIX):
            read = await self._read(scope, receive, send, MAX_REQUEST_BYTES, REQUEST_TOO_LARGE)
            if read is None:
                return
            body, receive = read, replay(read, receive)
        keys = session_keys(scope, body)
        if any(len(key) > MAX_KEY_CHARS for key in keys):
            await refused(scope, send, 400, MALFORMED)
            return
        if not all(self.owners.claim(key, who) for key in keys):
            await refused(scope, send, 403, NOT_YOUR_SESSION)
            return
        await self.app(scope, receive, self._answering(scope, send, user, who))

    async def _read(
        self, scope: Scope, receive: Receive, send: Send, limit: int, too_large: str
    ) -> bytes | None:
        """The request's body; ``None`` once it is refused: 413 past ``limit``, 408 too slow."""
        try:
            body = await read_body(receive, limit)
        except TimeoutError:
            await refused(scope, send, 408, TOO_SLOW, {"Connection": "close"})
            return None
        if body is None:
            await refused(scope, send, 413, too_large)
        return body

    def _answering(self, scope: Scope, send: Send, user: str | None, who: str | None) -> Send:
        """The ``send`` for a request let through: the page rewritten (and a visitor cookie
        given), an upload's files recorded as its sender's, a call's event as its caller's,
        refusals in French, no session cookie named to a visitor without one."""
        path, method = scope["path"], scope.get("method")
        if path == "/" and method == "GET":
            send = rewritten_page(send, hide_api=self.users is not None and user is None)
            if self.users is None and who is None:
                send = with_header(send, b"set-cookie", visitor_cookie(new_visitor_token()))
        if user is None:
            send = without_headers(send, session_cookie)  # GET /logout named it to anyone
        messages = {422: MALFORMED} | ({413: TOO_LARGE} if path.startswith(UPLOAD_PREFIX) else {})
        send = french_refusals(send, messages)
        if path == UPLOAD_PATH and self.exchange and who is not None:
            exchange, owner = self.exchange, who

            def received(paths: Any) -> None:
                if isinstance(paths, list):
                    exchange.claim([p for p in paths if isinstance(p, str)], owner)

            send = seen_json(send, received)
        if path.startswith(CALL_PREFIX) and method == "POST":
            send = seen_json(send, self.owners.caller(who))
        return send

    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await self._read(scope, receive, send, MAX_LOGIN_BODY, LOGIN_TOO_LARGE)
        if body is None:
            return
        form = await Request(scope, replay(body, receive)).form()
        client = HTTPConnection(scope).client
        name, address = str(form.get("username") or "").strip().casefold(), client.host if client else ""
        wait = max(self.rates[0].wait(name), self.rates[1].wait(address))
        if wait > 0:
            headers = {"Retry-After": str(math.ceil(wait))}
            await refused(scope, send, 429, too_many_logins(wait), headers)
            return
        self.rates[0].take(name)
        self.rates[1].take(address)
        wait = self.names.begin(name)
        if wait == 0 and (wait := self.addresses.begin(address)) > 0:
            self.names.ended(name)
        if wait > 0:
            headers = {"Retry-After": str(math.ceil(wait))}
            await refused(scope, send, 429, too_many_attempts(wait), headers)
            return
        statuses: list[int] = []
        try:
            await self.app(scope, replay(body, receive), watched_status(send, statuses))
        finally:
            self._counted(name, address, statuses)
            if statuses == [200]:
                forget_oldest_sessions(scope.get("app"))

    def _counted(self, name: str, address: str, statuses: list[int]) -> None:
        if statuses == [200]:
            self.names.succeeded(name)
            self.addresses.succeeded(address)
        elif statuses == [400]:  # Gradio's answer to wrong credentials
            self.names.failed(name)
            self.addresses.failed(address)
        self.names.ended(name)
        self.addresses.ended(address)


def forged(scope: Scope, foreign: bool) -> bool:
    """Whether a request from a page of another origin (``foreign``) is one it may not make:
    a change (any method but GET, HEAD, OPTIONS; a websocket) or a logout (Gradio's ends
    every session of the user: a link on any site would log people out)."""
    changes = scope["type"] == "websocket" or scope.get("method") not in SAFE_METHODS
    return foreign and (changes or scope["path"] == LOGOUT_PATH)


def watched_start(send: Send, started: list[bool]) -> Send:
    """A ``send`` that notes in ``started`` that the response has begun."""

    async def watched(message: Message) -> None:
        if message["type"] in ("http.response.start", "websocket.accept", "websocket.close"):
            started.append(True)
        await send(message)

    return watched


def watched_status(send: Send, statuses: list[int]) -> Send:
    """A ``send`` that notes the response's status in ``statuses``."""

    async def watched(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])
        await send(message)

    return watched


def error_line(exc: BaseException) -> str:
    """An error in one short line: its kind and the start of its message."""
    return f"{type(exc).__name__} {shown(str(exc), 120)}".strip()


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
