"""Language-model answers: passages in, streamed tokens and a verified ``Answer`` out.

The model is anything with ``stream(messages) -> Iterator[str]`` (``chat.ChatModel``);
what it writes goes through the same verifier as an extractive answer, then each of its
sentences must earn its place (``model_claims``): one that copies the prompt, repeats the
question or says nothing checkable is dropped, and one counts as supported only when its
content is found in the passage it cites, by words or by meaning; unsupported sentences
are dropped too, and listed. The sentences kept are checked against what was asked, as
an extractive answer is (``coverage``): when they do not give the thing asked, the answer
says so first. When nothing supported remains, the extractive answer is shown, with a
notice: never the model's text as checked. Weak evidence is refused before the model is
asked, with the extractive gate, and a model that says the documents do not answer (it
may decline) gets the same refusal. A model that fails (``ModelUnavailable``: down, too
slow, a server error, an unreadable or cut reply) gives way to the extractive answer,
with a notice saying why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from assistant.answering import GAP_INTRO, Answer, citation_for, compose_answer, counted_in, refusal
from assistant.coverage import checked_thing, gap_sentence, text_gives
from assistant.errors import UserFacingError
from assistant.model_claims import Embed, kept_claims, rebuilt, rebuilt_lines
from assistant.prompts import Message, answer_messages, rewrite_messages, strip_fences
from assistant.relevance import TermStatistics, UniformTerms, Vector, weak_evidence
from assistant.understanding import Question, as_question
from assistant.verification import Verification, verify
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


MODEL_DECLINED = (
    "Le modèle de langue n'a pas trouvé de réponse dans les passages ; voici la phrase des documents "
    "qui donne ce qui est demandé."
)
NOTHING_CHECKABLE = (
    "La réponse du modèle de langue n'a pas pu être vérifiée dans les passages : "
    "voici une réponse extraite des documents."
)


def says_no_answer(text: str) -> bool:
    """Whether a model's reply is its way of saying the documents do not answer."""
    return bool(_NO_ANSWER.search(fold(text)))


def generate_answer(
    question: str | Question,
    hits: Sequence[Hit],
    model: ChatModel,
    *,
    stats: TermStatistics | None = None,
    question_vector: Vector = None,
    embed: Embed | None = None,
) -> Iterator[str | Answer]:
    """Text pieces as the model writes them, then the verified answer (always last).

    If the model fails, even after some pieces, the last item is the extractive answer
    with the failure's notice: it supersedes whatever pieces came before. ``embed`` gives
    a sentence's vector, to find a model's sentence in its passage by meaning.
    """
    asked = as_question(question)
    if not hits or weak_evidence(asked.text, hits, stats, question_vector):
        yield refusal(asked.text, hits)
        return
    pieces = []
    try:
        for piece in model.stream(answer_messages(asked.text, hits)):
            pieces.append(piece)
            yield piece
    except ModelUnavailable as fault:
        yield replace(
            compose_answer(asked, hits, stats=stats, question_vector=question_vector), notice=fault.notice
        )
        return
    yield finish_generated(
        asked, "".join(pieces), hits, stats=stats, question_vector=question_vector, embed=embed
    )


def finish_generated(
    question: str | Question,
    reply: str,
    hits: Sequence[Hit],
    *,
    stats: TermStatistics | None = None,
    question_vector: Vector = None,
    embed: Embed | None = None,
) -> Answer:
    """The model's reply as an ``Answer``: its supported sentences, verified and cited, and
    checked against what was asked; an honest refusal when it declines; the extractive
    answer with a notice when none of its sentences can be checked."""
    asked = as_question(question)
    reply = strip_fences(reply).strip()
    if says_no_answer(reply):
        # A small model declines what a sentence of the documents gives: that sentence, said so.
        extractive = compose_answer(asked, hits, stats=stats, question_vector=question_vector)
        if extractive.checked and not extractive.refused and not extractive.partial:
            return replace(extractive, notice=MODEL_DECLINED)
        return refusal(asked.text, hits)
    passages = {n: hit.chunk.text for n, hit in enumerate(hits, start=1)}
    _, check = verify(reply, passages)
    kept, dropped = kept_claims(asked, check.checked or (), hits, embed) if reply else ([], ())
    if not kept:
        extractive = compose_answer(asked, hits, stats=stats, question_vector=question_vector)
        return extractive if extractive.refused else replace(extractive, notice=NOTHING_CHECKABLE)
    cited = tuple(sorted({n for _, markers in kept for n in markers}))
    verified = Verification(cited, check.removed_markers, dropped, check.removed_quotes, tuple(kept), True)
    citations = tuple(citation_for(n, hits[n - 1]) for n in cited)
    stats = stats or UniformTerms()
    thing = checked_thing(asked, stats)
    body = rebuilt(kept)
    cited_text = " ".join(hits[n - 1].chunk.text for n in cited)
    if text_gives(asked, body, cited_text, stats, counted_in(stats, hits)):
        return Answer(asked.text, body, citations, verification=verified, checked=thing)
    gap = gap_sentence(asked, (), stats)
    lines = "\n".join(f"- {line}" for line in rebuilt_lines(kept))
    return Answer(asked.text, f"{gap} {GAP_INTRO}\n{lines}", citations, verification=verified, gap=gap)


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
