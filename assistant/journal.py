"""Append-only JSON Lines journals kept in the store folder: feedback on answers and the
questions the assistant declined to answer.

Each entry is one line written in one call under a lock, so concurrent chat
sessions never interleave; a journal that cannot be written (read-only store)
never fails a question.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.answering import Answer

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


def read(path: Path) -> list[dict[str, Any]]:
    """Every readable entry, oldest first (a damaged line is skipped, not fatal)."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


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
    return {
        "at": now(),
        "question": answer.question,
        "filters": dict(filters or {}),
        "closest": [
            {"source": c.source, "page": c.page, "section": c.section, "text": " ".join(c.text.split())[:300]}
            for c in answer.citations
        ],
    }
