"""Files handed to the person who asked for them (exports), in the private folder.

The file is written in ``ui.exchange``'s folder under its owner's name, and ``ui.gate``
serves it to that person only; a client the server cannot tell apart (no login, no visitor
cookie: not a browser that loaded the page) gets a French notice and no file.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ui.exchange import Exchange, requester

NO_OWNER = (
    "Export impossible : ce navigateur ne garde pas le cookie de l'application "
    "(rechargez la page, ou autorisez les cookies pour ce site)."
)


def owner_of(request: gr.Request) -> str | None:
    """Who asks, as ``ui.exchange.requester`` names them."""
    cookies = getattr(request, "cookies", None) or {}
    return requester(getattr(request, "username", None), cookies)


def handed_out(exchange: Exchange, request: gr.Request, name: str, text: str, encoding: str = "utf-8") -> Any:
    """A ``gr.File`` for ``text`` saved as ``name``, served to the person who asked only (it
    replaces their previous file of that name)."""
    owner = owner_of(request)
    if owner is None:
        gr.Warning(NO_OWNER)
        return gr.skip()
    path = exchange.new_file(owner, name)
    path.write_text(text, encoding=encoding)
    return gr.File(value=str(path), visible=True)
