"""What a person types, made safe before anything reads, logs or stores it.

A question, a conversation's earlier questions and a filter's value come from the
command line or from a browser, which may send anything: line and paragraph separators
(U+2028, U+2029) and control characters that split a journal line or a log line, format
characters that reorder what a facilitator reads (bidirectional overrides), a lone UTF-16
surrogate that no file can store, megabytes where a few words are expected. Each edge
calls ``cleaned`` (and ``bounded_history``) once; the rest of the code sees clean text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from assistant.errors import UserFacingError

MAX_EARLIER = 10  # earlier questions of a conversation taken into account, the last ones
_AS_SPACE = {"Cc", "Zl", "Zp"}  # control characters, line and paragraph separators
_DROPPED = {"Cf"}  # format characters: zero-width, bidirectional controls, soft hyphen


def cleaned(text: str, what: str = "La question") -> str:
    """``text`` on one line, with single spaces and nothing invisible; a UserFacingError
    when it holds a lone surrogate (half of a character: a broken copy, or forged)."""
    if any("\ud800" <= char <= "\udfff" for char in text):
        raise UserFacingError(f"{what} contient un caractère invalide (un demi-caractère) : retapez-la.")
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in _AS_SPACE:
            kept.append(" ")
        elif category not in _DROPPED:
            kept.append(char)
    return " ".join("".join(kept).split())


def bounded_history(earlier: Sequence[str], max_chars: int) -> list[str]:
    """The last ``MAX_EARLIER`` earlier questions, each cleaned and cut to ``max_chars``:
    a browser may send any history, and only the last question or two matter."""
    recent = [str(question) for question in list(earlier)[-MAX_EARLIER:]]
    return [cleaned(question, "Une question précédente")[:max_chars] for question in recent]


def shown(value: str, limit: int = 40) -> str:
    """A value as an error message may quote it: one line, at most ``limit`` characters."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def storable(text: str) -> str:
    """``text`` with any lone surrogate replaced by « ? », so it can be sent back to the
    browser as it was typed (to be corrected) or written to a file."""
    return text.encode("utf-8", "replace").decode("utf-8")
