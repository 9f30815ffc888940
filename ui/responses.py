"""ASGI pieces the gate uses to answer or rewrite a response on its way out: a French
refusal, a body read whole (bounded in size and time), headers added (no framing, a cookie)
or dropped (another origin's CORS grant, the session cookie's name), a refusal's English
text replaced, the page given its French head, a JSON answer looked at.

Each wrapper takes the ``send`` of a request and returns another; none keeps state between
requests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from ui.french import french_head

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_API_INFO = re.compile(rb"<script>window\.gradio_api_info = .*?;</script>", re.DOTALL)
_NO_API_INFO = b'<script>window.gradio_api_info = {"named_endpoints": {}, "unnamed_endpoints": {}};</script>'
MAX_LOGIN_BODY = 64 * 1024  # far more than any login form
# A body arrives whole within BODY_SECONDS, with no wait longer than IDLE_SECONDS between
# two of its parts: a client that promises a body and sends it a byte at a time (slowloris)
# no longer holds a connection open for ever. The largest body the gate reads (4 MiB) takes
# under 3 s at 12 Mbit/s.
BODY_SECONDS = 30.0
IDLE_SECONDS = 10.0
_HEAD = re.compile(rb"<head[^>]*>", re.IGNORECASE)
FRENCH_HEAD = french_head().encode("utf-8")


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


async def read_body(
    receive: Receive, limit: int = MAX_LOGIN_BODY, total: float = BODY_SECONDS, idle: float = IDLE_SECONDS
) -> bytes | None:
    """The whole request body, or ``None`` past ``limit`` bytes (the rest is not read).
    ``TimeoutError`` when it has not arrived within ``total`` seconds, or when ``idle``
    seconds pass without any of it."""
    chunks, size = [], 0
    with anyio.fail_after(total):
        while True:
            with anyio.fail_after(idle):
                message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
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


def with_header(send: Send, name: bytes, value: bytes) -> Send:
    """A ``send`` that adds one header (a cookie) to the response's start."""

    async def added(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (name, value)]}
        await send(message)

    return added


def without_headers(send: Send, dropped: Callable[[bytes, bytes], bool]) -> Send:
    """A ``send`` that drops from the response's start the headers ``dropped(name, value)``
    picks (names in lower case)."""

    async def dropping(message: Message) -> None:
        if message["type"] == "http.response.start":
            kept = [(k, v) for k, v in message.get("headers", []) if not dropped(k.lower(), v)]
            message = {**message, "headers": kept}
        await send(message)

    return dropping


def cors_grant(name: bytes, value: bytes) -> bool:
    """The headers by which a response lets a page of another origin read it."""
    return name.startswith(b"access-control-allow-") or name == b"access-control-expose-headers"


def session_cookie(name: bytes, value: bytes) -> bool:
    """Gradio's session cookies (``access-token-<id>``, ``access-token-unsecure-<id>``)."""
    return name == b"set-cookie" and value.lstrip().startswith(b"access-token")


def seen_json(send: Send, seen: Callable[[Any], None], max_bytes: int = 1024 * 1024) -> Send:
    """A ``send`` that passes the response on unchanged and, once it has ended with status
    200, gives its body read as JSON to ``seen`` (not past ``max_bytes``, nor if unreadable)."""
    status: list[int] = []
    chunks: list[bytes] = []

    async def watched(message: Message) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body" and status == [200]:
            chunks.append(message.get("body", b""))
            if not message.get("more_body") and sum(map(len, chunks)) <= max_bytes:
                try:
                    body = json.loads(b"".join(chunks))
                except ValueError:
                    body = None
                if body is not None:
                    seen(body)
        await send(message)

    return watched
