"""Which page a request comes from: origins (scheme, host, port) and host names, compared.

The gate answers only the host names the app is served under (DNS rebinding), and lets a
page act, or read a response, only from the app's own origin: the request's own scheme,
host and port, or a public name of ``ASSISTANT_ALLOWED_HOSTS``. Pure: header values in,
decisions out.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int]  # scheme, host name, port


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


def origin_of(url: str) -> Origin | None:
    """The scheme, host name and port of an origin (« https://Bilan.fr » -> « ("https",
    "bilan.fr", 443) »); ``None`` for ``"null"`` (an opaque origin) or anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme.lower(), parts.scheme.lower())
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def request_origin(scheme: str, host: str) -> Origin | None:
    """The origin of the page a request was made from, if it is the app's: its scheme and its
    ``Host`` header (« http », « 127.0.0.1:7860 » -> « ("http", "127.0.0.1", 7860) »)."""
    return origin_of(f"{scheme}://{host.strip()}") if host.strip() else None


def configured_origins(names: Iterable[str]) -> frozenset[Origin]:
    """The origins of the public names the app is served under (``ASSISTANT_ALLOWED_HOSTS``,
    a port given or not), in https and http: a proxy in front of the app, which ends TLS
    and may pass its own ``Host``, serves the page under those names."""
    found = set()
    for name in names:
        for scheme in DEFAULT_PORTS:
            origin = request_origin(scheme, name)
            if origin is not None:
                found.add(origin)
    return frozenset(found)


def foreign_origin(
    origin: str | None, own: Origin | None, configured: frozenset[Origin] = frozenset()
) -> bool:
    """Whether an ``Origin`` header names a page of another origin than the app's: neither the
    request's own (``own``: scheme, host and port, see ``request_origin``) nor one of the
    ``configured`` public ones. A page on another port of the same host is another origin;
    ``"null"`` is foreign too. No header: not a page of another site (a browser always sends
    it with such a request; a script client does not)."""
    if origin is None:
        return False
    seen = origin_of(origin)
    return seen is None or (seen != own and seen not in configured)


def cross_site(fetch_site: str | None) -> bool:
    """Whether the browser says (``Sec-Fetch-Site``) the request comes from a page of another
    origin: « cross-site », or « same-site » (another port or sub-domain of the same site)."""
    return (fetch_site or "").strip().lower() in ("cross-site", "same-site")
