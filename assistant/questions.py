"""Questions to verified, cited answers: the path of one question through the assistant.

Each question takes one ``Snapshot`` of the store (one revision read) and passes it
down: the search, the term statistics, the territory tables and the overview all
come from that revision, never from a later one a writer finished meanwhile.
The path: the question checked and made standalone, then the first that applies of
a tour of the documents, a listing of the territories, or an answer composed from
the retrieved passages (read off the documents, or written by a language model and
checked against them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property

from assistant import journal, user_text
from assistant.answering import Answer, compose_answer, listing_answer
from assistant.catalogue import territory_names, territory_rows
from assistant.chat import LangChainChat, build_chat_model
from assistant.followup import is_follow_up
from assistant.generation import generate_answer, rewrite_question
from assistant.listing import Subject
from assistant.orientation import corpus_answer
from assistant.overview import Overview
from assistant.settings import Settings
from assistant.source_remark import Asked, source_remark
from assistant.territories import answer_listing
from assistant.understanding import Question, read, understand
from vectorstore import Filters, Hit, HybridRetriever, UserFacingError
from vectorstore.encoders import meaning_calibrated
from vectorstore.french_text import terms
from vectorstore.layout import StoreLayout
from vectorstore.retrieval.snapshot import Snapshot

Events = Iterator[str | Answer]  # a language model's text pieces, then the verified Answer


class Answerer:
    """Answers questions from the store behind ``retriever``; ``overview`` gives the
    tour of a snapshot (for « de quoi parlent les documents ? »)."""

    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever,
        overview: Callable[[Snapshot], Overview],
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.overview = overview
        self.layout = StoreLayout(settings.store)

    @cached_property
    def chat(self) -> LangChainChat | None:
        """The language model of the settings, or ``None`` for extractive answers."""
        return build_chat_model(self.settings)

    @cached_property
    def meaning_calibrated(self) -> bool:
        """Whether the answer may weigh sentences by the question's vector."""
        return meaning_calibrated(self.settings.embedding_model)

    def checked_question(self, question: str) -> str:
        cleaned = user_text.cleaned(question)
        if not cleaned:
            raise UserFacingError("La question est vide.")
        if len(cleaned) > self.settings.max_question_chars:
            raise UserFacingError(
                f"La question est trop longue ({len(cleaned)} caractères, "
                f"{self.settings.max_question_chars} au plus)."
            )
        return cleaned

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        filters: Filters | None = None,
        snapshot: Snapshot | None = None,
    ) -> list[Hit]:
        checked = self.checked_question(question)
        return self.retriever.search(checked, k or self.settings.top_k, filters, snapshot)

    def ask_stream(
        self, question: str, k: int | None = None, filters: Filters | None = None, earlier: Sequence[str] = ()
    ) -> Events:
        """The answer's text pieces as a language model writes them, then the verified
        ``Answer``. A question the documents do not answer, or answer only in part, is added
        to the journal of unanswered questions with its reason."""
        for event in self.answer_stream(question, k, filters, earlier):
            if isinstance(event, Answer) and (event.refused or event.partial) and event.citations:
                journal.append(self.layout.unanswered, journal.unanswered_entry(event, filters))
            yield event

    def quiet_answer(self, question: str, snapshot: Snapshot | None = None) -> Answer:
        """An answer for precomputed content: not a user's question, so never journaled."""
        return final_answer(self.answer_stream(question, None, None, (), snapshot))

    def answer_stream(
        self,
        question: str,
        k: int | None,
        filters: Filters | None,
        earlier: Sequence[str],
        snapshot: Snapshot | None = None,
    ) -> Events:
        """The path of one question, from one snapshot of the store (unjournaled)."""
        earlier = user_text.bounded_history(earlier, self.settings.max_question_chars)
        checked = self.checked_question(question)
        snapshot = snapshot or self.retriever.snapshot()
        asked = self.understand(checked, earlier, snapshot)
        ready = None if filters else self._from_catalogue(asked, snapshot)
        if ready is not None:
            yield ready
            return
        hits = self._evidence(asked, k, filters, snapshot)
        # the question's vector, already computed by the search, when the model is calibrated
        vector = self.retriever.store.query_vector(asked.text) if hits and self.meaning_calibrated else None
        listing = None if filters else asked.listing
        if filters and asked.listing:
            asked = replace(asked, listing=None)
        rows = territory_rows(snapshot.chunks) if listing and listing.subject is Subject.TERRITORIES else ()
        if self.chat is None:
            yield with_source_remark(
                compose_answer(asked, hits, stats=snapshot, question_vector=vector, rows=rows), asked
            )
            return
        # A list (territories and their expectations, levers, difficulties) is read off the
        # tables and sections, each item cited: exact where a model would paraphrase.
        listed = listing_answer(asked.text, listing, hits, rows) if listing and hits else None
        if listed is not None and not listed.verification.flagged:
            yield with_source_remark(listed, asked)
            return
        embed = self.retriever.store.query_vector if self.meaning_calibrated else None
        for event in generate_answer(
            asked, hits, self.chat, stats=snapshot, question_vector=vector, embed=embed
        ):
            yield with_source_remark(event, asked) if isinstance(event, Answer) else event

    def understand(self, question: str, earlier: Sequence[str], snapshot: Snapshot) -> Question:
        """The question understood once, made standalone first when it follows up on earlier
        ones: by the model when there is one and its rewrite is usable, else by rule."""
        places = territory_names(snapshot.chunks)
        if earlier and self.chat is not None and is_follow_up(question):
            rewritten = rewrite_question(question, earlier, self.chat)
            if rewritten:
                return read(rewritten, places, asked=question, inherited=earlier[-1])
        return understand(question, earlier, places)

    def _from_catalogue(self, question: Question, snapshot: Snapshot) -> Answer | None:
        """The answer to a question about the whole corpus (a tour of the documents) or
        about every territory (a listing of the tables), which no search could give."""
        if question.corpus:
            tour = corpus_answer(question.text, self.overview(snapshot).tour)
            if tour is not None:
                return tour
        if question.territories is None:
            return None
        return answer_listing(question.text, question.territories, territory_rows(snapshot.chunks))

    def _evidence(
        self, question: Question, k: int | None, filters: Filters | None, snapshot: Snapshot
    ) -> list[Hit]:
        """The passages to answer from. A question about one day is answered from that
        day's passages only when some passage knows its day (another day's answer would
        be a wrong answer); the snapshot says so without a search."""
        if question.day is not None and "session" not in (filters or {}):
            scoped = {**(filters or {}), "session": question.day}
            if snapshot.has(scoped):
                filters = scoped
        return self.retriever.search(question.text, k or self.settings.top_k, filters, snapshot)


def final_answer(events: Events) -> Answer:
    """The answer that ends a stream of text pieces."""
    *_, answer = events
    assert isinstance(answer, Answer)
    return answer


def with_source_remark(answer: Answer, question: Question | None = None) -> Answer:
    """The answer, followed by a remark when two cited passages disagree on what was asked,
    or when it draws on both the report and the notes (not for a partial answer)."""
    if answer.refused:
        return answer
    asked = None
    if question is not None:
        unit = " ".join(terms(question.target.focus)[:1])
        asked = Asked(question.kind, unit, question.target.about - frozenset(terms(question.target.focus)))
    remark = source_remark(answer.text, {citation.n: citation.kind for citation in answer.citations}, asked)
    if answer.partial and not remark.startswith("Attention"):
        return answer
    return replace(answer, text=f"{answer.text}\n\n{remark}") if remark else answer
