"""Append-only JSON Lines journals kept in the store folder: feedback on answers and the
questions the assistant declined or answered only in part, with the reason.

Each entry is one line written in one call under a lock, so concurrent chat
sessions never interleave; a journal that cannot be written (read-only store)
never fails a question.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.answering import Answer
from assistant.wording import NO_PASSAGE_REASON

_LOCK = threading.Lock()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def append(path: Path, entry: Mapping[str, Any]) -> bool:
    """Add one entry; ``False`` when the file cannot be written."""
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    try:
        with _LOCK, path.open("a", encoding="utf-8") as journal:
            journal.write(line)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Journal:
    """A journal's readable entries, oldest first, and how many lines were not one (a line
    edited by hand, cut by a full disk): skipped, counted, never fatal."""

    entries: tuple[dict[str, Any], ...] = ()
    skipped: int = 0


def read(path: Path) -> Journal:
    """Every entry of the journal at ``path``. Lines end with ``\n`` only: a question may
    hold any other line break (U+2028, a carriage return…), which JSON keeps in its string,
    so reading never splits inside an entry. An entry is a JSON object whose known fields
    have the types this module writes (``readable``), or it is skipped and counted."""
    if not path.exists():
        return Journal()
    entries, skipped = [], 0
    for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            entry = None
        if readable(entry):
            entries.append(entry)
        else:
            skipped += 1
    return Journal(tuple(entries), skipped)


Check = Callable[[Any], bool]


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _page(value: Any) -> bool:
    return value is None or (isinstance(value, str | int) and not isinstance(value, bool))


def _items(fields: Mapping[str, Check]) -> Check:
    """A list of JSON objects whose known ``fields`` have their types."""
    return lambda value: isinstance(value, list) and all(_fields_ok(item, fields) for item in value)


def _filters(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in value.values()
    )


_PASSAGE = {"source": _text, "section": _text, "text": _text, "kind": _text, "page": _page}
_CITATION = {**_PASSAGE, "n": lambda v: isinstance(v, int) and not isinstance(v, bool)}
FIELDS: dict[str, Check] = {  # what ``feedback_entry`` and ``unanswered_entry`` write
    "at": _text,
    "question": _text,
    "reason": lambda v: v is None or isinstance(v, str),
    "partial": lambda v: isinstance(v, bool),
    "filters": _filters,
    "closest": _items(_PASSAGE),
    "rating": _text,
    "answer": _text,
    "answer_chars": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "refused": lambda v: isinstance(v, bool),
    "citations": _items(_CITATION),
}


def _fields_ok(entry: Any, fields: Mapping[str, Check]) -> bool:
    return isinstance(entry, dict) and all(check(entry[k]) for k, check in fields.items() if k in entry)


def readable(entry: Any) -> bool:
    """Whether ``entry`` is a JSON object whose known fields have the types written here: a
    line edited by hand (``{"closest": [1, 2]}``, ``{"filters": ["x"]}``) is not, and is
    skipped rather than failing whoever reads the journal. Unknown fields are let be."""
    return _fields_ok(entry, FIELDS)


# A like stores what identifies the answer, not the whole of it: the state a browser sends
# back is bounded, but a journal that grows by the answer's size on each click would not be.
FEEDBACK_ANSWER_CHARS = 2000
FEEDBACK_CITATIONS = 20
FEEDBACK_FIELD_CHARS = 300


def feedback_entry(answer: Answer, rating: str) -> dict[str, Any]:
    """A thumbs up or down: the question, the answer cut to ``FEEDBACK_ANSWER_CHARS`` (its
    full length beside it), and its first citations, each field cut short."""
    cut = FEEDBACK_FIELD_CHARS
    return {
        "at": now(),
        "rating": rating,
        "question": answer.question[:FEEDBACK_ANSWER_CHARS],
        "answer": answer.text[:FEEDBACK_ANSWER_CHARS],
        "answer_chars": len(answer.text),
        "refused": answer.refused,
        "citations": [
            {"n": c.n, "source": c.source[:cut], "page": str(c.page)[:cut], "section": c.section[:cut],
             "kind": c.kind[:cut]}
            for c in answer.citations[:FEEDBACK_CITATIONS]
        ],
    }  # fmt: skip


def unanswered_entry(answer: Answer, filters: Mapping[str, Any] | None) -> dict[str, Any]:
    """A question the documents do not answer, with why: declined (no passage answers) or
    answered in part (``Answer.gap``: « Les documents ne donnent pas … »)."""
    return {
        "at": now(),
        "question": answer.question,
        "reason": answer.gap or NO_PASSAGE_REASON,
        "partial": answer.partial,
        "filters": dict(filters or {}),
        "closest": [
            {"source": c.source, "page": c.page, "section": c.section, "text": " ".join(c.text.split())[:300]}
            for c in answer.citations
        ],
    }
