"""Untrusted text shown as text in the Markdown of every tab, and read back from the chat.

Document text, model output and questions are untrusted: ``escape_text`` shows them as
text. HTML (``<img>``, ``<link>``, ``<iframe>``, ``<style>`` and its ``url()``, scripts) is
escaped; a Markdown image becomes its alt text and a Markdown link its text and target, as
text; bare addresses (``http://…``, ``www.…``, e-mail) are kept from becoming links. Nothing
in them is rendered, run or fetched.

``plain_markdown`` escapes for a Markdown file a person reads in an editor (the
conversation's export): only what would be markup is escaped, so the text reads as written.
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


# -- plain Markdown: a file read in an editor, and safe in any Markdown viewer -----------------

_PUNCTUATION = r"!-/:-@\[-`{-~"  # ASCII punctuation: what a backslash escapes in Markdown
_BACKSLASH = re.compile(rf"\\(?=[{_PUNCTUATION}])")  # a backslash that would escape what follows
_TAG = re.compile(r"<(?=[A-Za-z/!?])")  # a tag, a comment, an autolink: « <b », « </ », « <!-- »
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")  # « &lt; » written in a text is shown as written
_INLINE = re.compile(r"([\[\]|])")  # links, images, footnotes, table cells
# What a viewer turns into a link by itself: « :// », « www. », an e-mail's « @ ».
_PLAIN_AUTOLINK = re.compile(r"(?=://)|(?<=www)(?<![\w.-]www)(?=\.)|(?=@)", re.IGNORECASE)
_BLOCK_MARK = re.compile(
    r"(?P<number>\d{1,9})[.)](?=[ \t]|$)"  # « 1. », an ordered list
    r"|#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)"  # a heading, a quote, a bullet
    r"|`{3}|~{3}"  # a fence
    r"|([-*_=])(?=(?:[ \t]*\2)*[ \t]*$)"  # a rule, a heading's underline
)


def plain_markdown(text: str, block: bool = True) -> str:
    """``text`` as Markdown that reads as written in an editor and renders as the same text:
    no HTML, no link, no image, and (``block``: each line may start a block) no line read as
    a heading, a quote, a list, a rule or a fence. Only what would be markup is escaped."""
    text = _BACKSLASH.sub(r"\\\\", plain_links(text))
    text = _TAG.sub("&lt;", _ENTITY_LIKE.sub(r"\\&", text))
    text = _PLAIN_AUTOLINK.sub(r"\\", _INLINE.sub(r"\\\1", text))
    return "\n".join(_line_start(line) for line in text.split("\n")) if block else text


def _line_start(line: str) -> str:
    """A line that would start a block (« # », « > », « - », « 1. »…) escaped, unindented."""
    line = line.lstrip(" \t")
    mark = _BLOCK_MARK.match(line)
    if not mark:
        return line
    at = mark.end("number") if mark.group("number") else 0  # « 1. » keeps its figure: « 1\. »
    return f"{line[:at]}\\{line[at:]}"
