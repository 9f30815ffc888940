"""What the store tells beyond one answer: the overview of the documents (levers,
glossary, tour, timeline), and the journals of feedback and unanswered questions.

The overview is computed once per revision, from that revision's snapshot, and kept
in the store folder, so the pages open at once and every process shares it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from assistant import journal
from assistant.answering import Answer
from assistant.catalogue import territory_rows
from assistant.overview import Overview, build_overview
from vectorstore import UserFacingError
from vectorstore.layout import StoreLayout
from vectorstore.retrieval.snapshot import Snapshot

QuietAnswer = Callable[[str, Snapshot], Answer]  # an answer never journaled, from a snapshot


class Insights:
    """The overview and the journals of the store at ``layout``."""

    def __init__(self, layout: StoreLayout, quiet_answer: QuietAnswer) -> None:
        self.layout = layout
        self.quiet_answer = quiet_answer

    def overview(self, snapshot: Snapshot) -> Overview:
        """Levers, glossary, tour and timeline of ``snapshot``'s revision: read from the
        store folder when computed already, else computed now and kept there."""
        path = self.layout.overview
        if path.exists():
            cached = Overview.from_dict(json.loads(path.read_text(encoding="utf-8")))
            if cached.revision == snapshot.revision:
                return cached
        built = build_overview(
            lambda question: self.quiet_answer(question, snapshot),
            snapshot.chunks,
            territory_rows(snapshot.chunks),
            snapshot.revision,
        )
        partial = path.with_suffix(".part")
        partial.write_text(json.dumps(built.to_dict(), ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
        return built

    def record_feedback(self, answer: Answer, rating: str) -> None:
        """Keep a thumbs up or down with the question, the answer and its citations."""
        if rating not in ("up", "down"):
            raise UserFacingError("Avis inconnu : « up » ou « down » attendu.")
        journal.append(self.layout.feedback, journal.feedback_entry(answer, rating))

    def feedback(self) -> journal.Journal:
        return journal.read(self.layout.feedback)

    def unanswered(self) -> journal.Journal:
        """The questions the assistant declined to answer, oldest first."""
        return journal.read(self.layout.unanswered)
