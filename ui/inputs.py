"""What a person sends the app, bounded before it reaches the rest, and refused in French.

- ``choice``: a dropdown that passes any value on to the app's own checks (the filters'
  rules, the engine's names), which refuse in a short French line. Gradio's own refusal of a
  value outside the choices quoted it whole: a 5 MB value went to the log with a
  traceback, and back to the sender. (A subclass of Gradio's dropdown cannot be used
  instead: Gradio writes a ``.pyi`` file next to the source of any component class.)
- ``refused``: the error for an expected refusal (not an administrator, an unknown choice…):
  one line in the log (``bilan.ui``), cut short, and a French message for the toast.
- ``Seal`` and ``saved_conversation``: the conversation a browser keeps and sends back after a
  reload. Gradio's ``BrowserState`` is encrypted by the browser with a key the page itself
  holds, so it protects nothing: the server signs what it hands out (HMAC, a key of this
  instance kept in memory), drops whatever comes back unsigned or altered, and checks what
  it keeps field by field (types, lengths, counts, known kinds), the questions cleaned as at
  the edge (``assistant.user_text``).

The size of a whole request is bounded earlier, by the gate (``ui.gate.MAX_REQUEST_BYTES``);
the question and the conversation by ``assistant.user_text`` and the chat tab.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import UserFacingError
from assistant.user_text import cleaned, shown
from assistant.wording import DOCUMENT_KINDS

log = logging.getLogger("bilan.ui")
MAX_SEARCH_CHARS = 200  # a lever search: a few words


def noted(message: str) -> str:
    """``message``, once written to the log as one line cut short (a refusal's record)."""
    log.warning("refus : %s", shown(message, 200))
    return message


def refused(message: str) -> gr.Error:
    """The error to raise for an expected refusal: a French toast, one log line, no
    traceback (Gradio prints one for any other error)."""
    return gr.Error(noted(message), print_exception=False)


def choice(choices: list[Any], **options: Any) -> gr.Dropdown:
    """A dropdown of ``choices`` whose value, whatever the browser sends, is checked by the
    handler it goes to (see the module's docstring)."""
    return gr.Dropdown(choices, allow_custom_value=True, **options)


class Seal:
    """Signs a value the browser is to keep, and tells whether what it sends back is that
    value, unchanged. The key is kept in ``key_file`` (the store's, mode 0600), so a
    conversation saved before a restart is still restored after it; without a file, or when
    it cannot be read or written, the key lives in this instance's memory only."""

    def __init__(self, key_file: Path | None = None) -> None:
        self._key = kept_key(key_file) if key_file else secrets.token_bytes(KEY_BYTES)

    def _digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()

    def sealed(self, value: Any) -> dict[str, str]:
        """``value`` as JSON text (a string crosses the browser unchanged), with its seal."""
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return {"data": text, "seal": self._digest(text)}

    def opened(self, saved: Any) -> Any:
        """The value ``sealed`` was given, or ``None`` for anything this instance did not seal."""
        if not isinstance(saved, dict):
            return None
        text, seal = saved.get("data"), saved.get("seal")
        if not isinstance(text, str) or not isinstance(seal, str):
            return None
        if not hmac.compare_digest(self._digest(text), seal):
            return None
        return json.loads(text)


KEY_BYTES = 32


def kept_key(path: Path) -> bytes:
    """The key of ``path``, made there (readable by this user only) if it has none; a fresh
    key of this process's own when the file can be neither read nor made."""
    try:
        key = path.read_bytes()
        if len(key) == KEY_BYTES:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
    except FileExistsError:  # another instance made it meanwhile: theirs, if whole
        with contextlib.suppress(OSError):
            made = path.read_bytes()
            key = made if len(made) == KEY_BYTES else key
    except OSError:
        pass
    return key


# What the server writes into a saved conversation, with room to spare (a question is cut
# at 1000 characters, a passage at 2000 by default, an answer is a few sentences).
SAVED_MESSAGE_CHARS = 500_000  # an answer with its cards and pictures
SAVED_TEXT_CHARS = 50_000  # an answer's text, a passage
SAVED_FIELD_CHARS = 4_000  # a question, a source, a page, a section, a notice
SAVED_CITATIONS = 200  # a listing cites every territory
_ROLES = ("user", "assistant")


Saved = tuple[list[dict[str, str]], list[dict[str, Any]]]  # the chat's messages, the answers


def saved_conversation(value: Any, max_answers: int) -> Saved | None:
    """The messages and answers of a saved conversation, checked, or ``None`` when anything
    in it is not what the server writes (then nothing of it is restored)."""
    if not isinstance(value, dict):
        return None
    messages, answers = value.get("messages"), value.get("answers")
    if not isinstance(messages, list) or not isinstance(answers, list):
        return None
    if len(answers) > max_answers or len(messages) > 2 * max_answers:
        return None
    shown_messages = [_saved_message(m) for m in messages]
    kept = [_saved_answer(a) for a in answers]
    if any(m is None for m in shown_messages) or any(a is None for a in kept):
        return None
    return [m for m in shown_messages if m is not None], [a for a in kept if a is not None]


def _text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _saved_message(message: Any) -> dict[str, str] | None:
    """A chat message as the chat shows it: its role and its text (the server never saves a
    part other than text, such as a file)."""
    if not isinstance(message, dict) or message.get("role") not in _ROLES:
        return None
    content = message.get("content")
    if isinstance(content, list):
        texts = [p.get("text") if isinstance(p, dict) and p.get("type") == "text" else None for p in content]
        if not all(_text(text, SAVED_MESSAGE_CHARS) for text in texts):
            return None
        content = " ".join(str(text) for text in texts)
    if not _text(content, SAVED_MESSAGE_CHARS):
        return None
    return {"role": message["role"], "content": content}


def _saved_answer(answer: Any) -> dict[str, Any] | None:
    """An answer as ``Answer.to_dict`` writes it, its question cleaned as at the edge."""
    if not isinstance(answer, dict):
        return None
    limits = {"question": SAVED_FIELD_CHARS, "answer": SAVED_TEXT_CHARS}
    optional = {"notice": SAVED_FIELD_CHARS, "gap": SAVED_FIELD_CHARS, "checked": SAVED_FIELD_CHARS}
    texts_ok = all(_text(answer.get(k), n) for k, n in limits.items()) and all(
        _text(answer.get(k, ""), n) for k, n in optional.items()
    )
    citations = answer.get("citations")
    if not texts_ok or not isinstance(answer.get("refused"), bool) or not isinstance(citations, list):
        return None
    if len(citations) > SAVED_CITATIONS or not all(_saved_citation(c) for c in citations):
        return None
    if not _saved_verification(answer.get("verification", {})):
        return None
    try:
        return {**answer, "question": cleaned(answer["question"])}
    except UserFacingError:  # a lone surrogate: never in what the server writes
        return None


def _saved_citation(citation: Any) -> bool:
    if not isinstance(citation, dict):
        return False
    n, first_page = citation.get("n"), citation.get("first_page")
    return (
        isinstance(n, int)
        and not isinstance(n, bool)
        and all(_text(citation.get(k), SAVED_FIELD_CHARS) for k in ("source", "page", "section"))
        and _text(citation.get("text"), SAVED_TEXT_CHARS)
        and _number(citation.get("score"))
        and citation.get("kind") in DOCUMENT_KINDS
        and (first_page is None or (isinstance(first_page, int) and not isinstance(first_page, bool)))
    )


def _saved_verification(check: Any) -> bool:
    """The verifier's record (``Verification.to_dict``): counts, cited numbers, sentences."""
    if not isinstance(check, Mapping):
        return False
    counts = all(_number(check.get(k, 0)) for k in ("removed_markers", "removed_quotes"))
    cited, unsupported = check.get("cited_passages", []), check.get("unsupported_sentences", [])
    return (
        counts
        and isinstance(check.get("paraphrased", False), bool)
        and isinstance(cited, list)
        and len(cited) <= SAVED_CITATIONS
        and all(_number(n) for n in cited)
        and isinstance(unsupported, list)
        and len(unsupported) <= SAVED_CITATIONS
        and all(_text(sentence, SAVED_TEXT_CHARS) for sentence in unsupported)
    )
