"""Append-only JSON Lines journals kept in the store folder: feedback on answers and the
questions the assistant declined or answered only in part, with the reason.

Each entry is one line written in one call under a lock, so concurrent chat
sessions never interleave; a journal that cannot be written (read-only store)
never fails a question.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
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
    so reading never splits inside an entry. An entry is a JSON object or it is skipped."""
    if not path.exists():
        return Journal()
    entries, skipped = [], 0
    for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            entry = None
        if isinstance(entry, dict):
            entries.append(entry)
        else:
            skipped += 1
    return Journal(tuple(entries), skipped)


def feedback_entry(answer: Answer, rating: str) -> dict[str, Any]:
    return {
        "at": now(),
        "rating": rating,
        "question": answer.question,
        "answer": answer.text,
        "refused": answer.refused,
        "citations": [
            {"n": c.n, "source": c.source, "page": c.page, "section": c.section, "kind": c.kind}
            for c in answer.citations
        ],
    }


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
