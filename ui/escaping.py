"""Untrusted text shown as text in the Markdown of every tab, and read back from the chat.

Document text, model output and questions are untrusted: ``escape_text`` shows them as
text. HTML (``<img>``, ``<link>``, ``<iframe>``, ``<style>`` and its ``url()``, scripts) is
escaped; a Markdown image becomes its alt text and a Markdown link its text and target, as
text; bare addresses (``http://…``, ``www.…``, e-mail) are kept from becoming links. Nothing
in them is rendered, run or fetched.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
_MARKDOWN_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+!|~>-])")
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(([^)\n]*)\)")
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
# What a Markdown renderer turns into a link by itself: "://", "www.", an e-mail's "@".
_AUTOLINK = re.compile(r"(:)(?=//)|(?<![\w.-])(www)(\.)|(@)", re.IGNORECASE)
_ENTITIES = {":": "&#58;", ".": "&#46;", "@": "&#64;"}


def escape_text(text: str) -> str:
    """Text shown literally by a Markdown renderer: no HTML, no links, no images."""
    text = plain_links(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _AUTOLINK.sub(_entity, _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def plain_links(text: str) -> str:
    """Markdown images as their alt text, Markdown links as their text and target."""
    text = _MARKDOWN_IMAGE.sub(lambda m: m.group(1).strip(), text)
    return _MARKDOWN_LINK.sub(_link_text, text)


def _link_text(match: re.Match[str]) -> str:
    label, target = match.group(1).strip(), match.group(2).strip()
    return f"{label} ({target})" if label and target and target != label else label or target


def _entity(match: re.Match[str]) -> str:
    return "".join(_ENTITIES.get(part, part) for part in match.groups() if part)


def unescape_text(escaped: str) -> str:
    """The text behind ``escape_text`` (images and links stay as it shows them)."""
    return html.unescape(_MARKDOWN_ESCAPED.sub(r"\1", escaped))


def message_text(content: object) -> str:
    """The text of a chat message as written (messages are shown escaped), whether Gradio
    gives a string or a list of parts."""
    if isinstance(content, str):
        return unescape_text(content)
    if isinstance(content, list):
        return " ".join(
            unescape_text(str(part.get("text", ""))) for part in content if isinstance(part, dict)
        )
    return ""
