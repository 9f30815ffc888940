"""Language-model answers: passages in, streamed tokens and a verified ``Answer`` out.

The model is anything with ``stream(messages) -> Iterator[str]`` (``chat.ChatModel``);
what it writes goes through the same verifier as an extractive answer. Weak
evidence is refused before the model is asked, with the extractive gate, and a
model that says the documents do not answer gets the same refusal. A model that
fails (``ModelUnavailable``: down, too slow, a server error, an unreadable or cut
reply) gives way to the extractive answer, with a notice saying why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from assistant.answering import Answer, citation_for, compose_answer, refusal
from assistant.errors import UserFacingError
from assistant.prompts import Message, answer_messages, rewrite_messages, strip_fences
from assistant.relevance import TermStatistics, Vector, weak_evidence
from assistant.verification import verify
from vectorstore.french_text import fold, terms
from vectorstore.records import Hit

_NO_ANSWER = re.compile(
    r"\b(?:documents?|passages?|textes?)\b[^.]{0,40}\bne (?:permet|contien|mentionn|di[st]|parl|precis)\w*"
    r"|\bje ne (?:sais|trouve|peux)\b|\baucune information\b|\bpas d'information\b"
)


class ModelUnavailable(UserFacingError):
    """The language model did not give a usable reply; ``reason`` says how, in plain French
    ("indisponible", "délai dépassé", "erreur du serveur", "réponse interrompue"…)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason

    @property
    def notice(self) -> str:
        """The one line shown above the extractive answer that stands in for the model's."""
        return (
            f"Le modèle de langue n'a pas répondu ({self.reason}) : voici une réponse extraite des passages."
        )


class ChatModel(Protocol):
    """A chat model that streams its reply as text pieces; it raises ``ModelUnavailable``
    when it fails, possibly after some pieces."""

    def stream(self, messages: Sequence[Message]) -> Iterator[str]: ...


def says_no_answer(text: str) -> bool:
    """Whether a model's reply is its way of saying the documents do not answer."""
    return bool(_NO_ANSWER.search(fold(text)))


def generate_answer(
    question: str,
    hits: Sequence[Hit],
    model: ChatModel,
    stats: TermStatistics | None = None,
    question_vector: Vector = None,
) -> Iterator[str | Answer]:
    """Text pieces as the model writes them, then the verified answer (always last).

    If the model fails, even after some pieces, the last item is the extractive answer
    with the failure's notice: it supersedes whatever pieces came before.
    """
    if not hits or weak_evidence(question, hits, stats, question_vector):
        yield refusal(question, hits)
        return
    pieces = []
    try:
        for piece in model.stream(answer_messages(question, hits)):
            pieces.append(piece)
            yield piece
    except ModelUnavailable as fault:
        yield replace(
            compose_answer(question, hits, stats=stats, question_vector=question_vector), notice=fault.notice
        )
        return
    yield finish_generated(question, "".join(pieces), hits)


def finish_generated(question: str, reply: str, hits: Sequence[Hit]) -> Answer:
    """The model's reply as an ``Answer``: verified, cited, or an honest refusal."""
    reply = strip_fences(reply).strip()
    if not reply or says_no_answer(reply):
        return refusal(question, hits)
    passages = {n: hit.chunk.text for n, hit in enumerate(hits, start=1)}
    text, check = verify(reply, passages)
    # Only the passages the answer cites; if it cites none, all it was given, to check by hand.
    shown = check.cited or tuple(passages)
    citations = tuple(citation_for(n, hits[n - 1]) for n in shown)
    return Answer(question, text, citations, verification=check)


def rewrite_question(question: str, earlier: Sequence[str], model: ChatModel) -> str | None:
    """The follow-up as the model makes it standalone, or ``None`` if its reply is unusable
    or the model failed (the caller then rewrites it by rule, without a word to the user).

    A usable rewrite is one line, a question of reasonable length that keeps at
    least one content word of the follow-up or of the earlier questions.
    """
    try:
        reply = "".join(model.stream(rewrite_messages(question, earlier))).strip()
    except ModelUnavailable:
        return None
    line = reply.splitlines()[0].strip(" \"'«»") if reply else ""
    known = set(terms(question)) | {term for asked in earlier for term in terms(asked)}
    if not line or len(line) > 3 * len(question) + 200 or not known & set(terms(line)):
        return None
    return line
