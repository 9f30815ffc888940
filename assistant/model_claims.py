"""Which sentences of a language model's answer earn their place: each checked against the
passage it cites.

Pure (the sentence vectors come through ``embed``): the verified claims of a model's reply
in, the ones kept and the ones dropped out. A small model copies its prompt (« Première
affirmation [1]. »), repeats the question, cites a passage for a sentence it does not
hold, or changes a figure. A sentence is kept only when

- it cites a passage that was given; a sentence without any marker (small models forget
  them) is given the marker of the first passage that holds it, by the tests below;
- it is not a copy of the prompt's rules nor the question again, nor a bare value (« 4 »,
  « 38 400 € »: what it counts or costs is not said, so nothing can be checked);
- its figures and its names are in the passage it cites (a figure changed is a claim
  invented, whatever the words around it);
- its content is in that passage, by words (half of what it says beyond the question's own
  words) or by meaning (its vector near one of the passage's sentences: a paraphrase).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import islice

import numpy as np

from assistant.prompts import ANSWER_RULES, REWRITE_RULES
from assistant.understanding import Question
from assistant.verification import Claim
from vectorstore.french_text import fold, split_sentences, terms
from vectorstore.records import Hit
from vectorstore.sentence_vectors import similarities

Embed = Callable[[str], Sequence[float]]  # a sentence's vector, as a question's is computed

# A paraphrase of a passage's sentence sits above this cosine with it (measured with
# multilingual-e5-small: paraphrases 0.87-0.93, other claims on the same topic 0.77-0.85
# once a changed figure, which a vector barely sees and is checked apart, is left out).
MEANING_SUPPORT = 0.87
NEW_SUPPORT = 0.5  # share of what a sentence says beyond the question that its passage must hold
_COPY_WORDS = 5  # this many words in a row from the prompt's rules: a copy of the prompt
_WORD = re.compile(r"[^\W\d_]{3,}")  # a claim with no such word is a bare value
_FIGURE = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?")
# A capitalised word inside a sentence (after a lower-case word or a comma): a name.
_NAME = re.compile(r"(?<=[a-zà-ÿ,;:'’] )[A-ZÀ-ÖØ-Ý][\w'’-]+")


def kept_claims(
    question: Question, claims: Sequence[Claim], hits: Sequence[Hit], embed: Embed | None = None
) -> tuple[list[Claim], tuple[str, ...]]:
    """The claims that earn their place (see the module docstring), and the ones dropped."""
    prompt = _word_runs(f"{ANSWER_RULES} {REWRITE_RULES}")
    kept: list[Claim] = []
    dropped: list[str] = []
    # each sentence of a claim stands alone: « A. B [1] » is two claims citing [1]
    sentences = [(sentence, written) for claim, written in claims for sentence in split_sentences(claim)]
    for claim, written in sentences:
        if _copies(claim, prompt) or _repeats(claim, question) or not _WORD.search(claim):
            dropped.append(claim)
            continue
        markers = tuple(written) or _holding(claim, hits, embed, question.text)
        cited = [hits[n - 1] for n in markers if 0 < n <= len(hits)]
        if cited and _supported(claim, cited, embed, question.text):
            kept.append((claim, markers))
        else:
            dropped.append(claim)
    return kept, tuple(dropped)


def _holding(claim: str, hits: Sequence[Hit], embed: Embed | None, question_text: str) -> tuple[int, ...]:
    """The marker of the first passage that holds a claim written without one, or none."""
    found = (n for n, hit in enumerate(hits, start=1) if _supported(claim, [hit], embed, question_text))
    return tuple(islice(found, 1))


def _word_runs(text: str) -> set[tuple[str, ...]]:
    words = fold(text).replace("’", "'").split()
    return {tuple(words[i : i + _COPY_WORDS]) for i in range(len(words) - _COPY_WORDS + 1)}


def _copies(claim: str, prompt: set[tuple[str, ...]]) -> bool:
    """Whether the claim holds a run of the prompt's words (« Première affirmation… »)."""
    return bool(_word_runs(claim) & prompt) or bool(
        re.search(r"\b(?:premi|deuxi|troisi)\w+ affirmation", fold(claim))
    )


def _repeats(claim: str, question: Question) -> bool:
    """A question (the user's again, or another), or nothing the question does not say."""
    if claim.rstrip(" .…").endswith("?"):
        return True
    said = set(terms(claim))
    return bool(said) and said <= set(terms(question.text))


def _supported(claim: str, cited: Sequence[Hit], embed: Embed | None, question_text: str = "") -> bool:
    """Whether the claim's figures (those the question gives aside) and names are in its
    passages, and its content too, by words or by meaning."""
    passages = " ".join(hit.chunk.text for hit in cited)
    folded = fold(passages).replace("\u00a0", " ").replace("\u202f", " ")
    asked = _plain_number(fold(question_text))
    for figure in _FIGURE.findall(claim):
        number = _plain_number(figure)
        if number not in _plain_number(folded) and number not in asked:
            return False
    for name in _NAME.findall(claim):
        if terms(name) and fold(name) not in folded:
            return False
    said = _figures_as_digits(terms(claim)) - _figures_as_digits(terms(question_text))
    found = _figures_as_digits(terms(passages))
    if said and len(said & found) >= NEW_SUPPORT * len(said):
        return True
    if embed is None:
        return False
    vector = embed(claim)
    return any(
        float(np.max(found)) >= MEANING_SUPPORT
        for hit in cited
        if (found := similarities(hit.chunk, vector)) is not None and len(found)
    )


_NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        "zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
        "dix-sept dix-huit dix-neuf vingt".split()
    )
} | {"trente": "30", "quarante": "40", "cinquante": "50", "soixante": "60", "cent": "100", "mille": "1000"}


def _figures_as_digits(found: Sequence[str]) -> set[str]:
    """Analysed terms with figures written in words as digits (« onze » meets « 11 »)."""
    return {_NUMBER_WORDS.get(term, term) for term in found}


def _plain_number(text: str) -> str:
    return re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3})", "", text).replace(",", ".")


def rebuilt(kept: Sequence[Claim]) -> str:
    """The kept claims as text again, each closed by its markers and a period."""
    return " ".join(rebuilt_lines(kept))


def rebuilt_lines(kept: Sequence[Claim]) -> list[str]:
    """The kept claims, one line each, closed by its markers and a period."""
    pieces = []
    for claim, markers in kept:
        text = claim.rstrip()
        closing = "."
        if text and text[-1] in ".!…":
            text, closing = text[:-1].rstrip(), text[-1]
        marks = "".join(f"[{n}]" for n in markers)
        pieces.append(f"{text} {marks}{closing}")
    return pieces
