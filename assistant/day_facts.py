"""A day's facts read off its run-in fields, and the sentence that answers with one of them.

A report gives each day a line of run-in fields (« Date : jeudi 12 mars 2026 Lieu : Grange
des Trois-Ormeaux, à Brumeval Thème : … Participants : 11 personnes »). Quoted as they are,
they read as glued labels, with no sentence giving the figure or the place asked. When a
question asks how many people, where or when for one day, the answer opens with a sentence
made of that day's fields (« 11 personnes ont participé à la première journée, à
Brumeval. ») cited to the passage that holds them; the passage's own sentences follow.
Pure: the question's kind and day, and passages in, the sentence and its passage out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer_kinds import AnswerKind
from assistant.listing import day_name
from vectorstore.french_text import fold
from vectorstore.records import Chunk

# A label (one capitalised word, up to two more in lower case) and its value, up to the next
# label or the end of the line.
_LABEL = r"[A-ZÀ-ÖØ-Ý][a-zà-öø-ÿ'’-]+(?: [a-zà-öø-ÿ'’-]+){0,2}"
_FIELD = re.compile(rf"(?P<label>{_LABEL}) : (?P<value>.+?)(?=\s+{_LABEL} : |$)")
_PEOPLE = re.compile(r"^(?:participants?|personnes(?: presentes)?|presents?|effectifs?|inscrits?)$")
_PLACE = re.compile(r"^(?:lieu|adresse|salle|site)$")
_DATE = re.compile(r"^date$")
_THEME = re.compile(r"^(?:theme|sujet)$")
_PEOPLE_ASKED = re.compile(r"\b(?:personnes?|participants?|gens|monde|presents?|inscrits?)\b")
_MIN_FIELDS = 2  # one « Label : value » is a sentence like any other, not a line of fields


@dataclass(frozen=True)
class DayFact:
    """The sentence answering the question, and the passage (by rank) whose fields it reads."""

    sentence: str
    rank: int


def run_in_fields(text: str) -> dict[str, str]:
    """The run-in fields of the first line of ``text`` holding at least two, by folded
    label: {« lieu »: « Grange des Trois-Ormeaux, à Brumeval », …}."""
    for line in text.split("\n"):
        found = list(_FIELD.finditer(line.strip()))
        if len(found) >= _MIN_FIELDS and found[0].start() == 0:  # the line is fields from its start
            return {fold(m.group("label")): m.group("value").strip() for m in found}
    return {}


def day_fact(kind: AnswerKind, focus: str, day: int | None, chunks: Sequence[Chunk]) -> DayFact | None:
    """The sentence answering a count of people, a place or a date asked of ``day``, from the
    first of ``chunks`` (best first) of that day whose fields give it; None otherwise."""
    if day is None or kind not in (AnswerKind.COUNT, AnswerKind.PLACE, AnswerKind.DATE):
        return None
    if kind is AnswerKind.COUNT and not _PEOPLE_ASKED.search(fold(focus)):
        return None
    for rank, chunk in enumerate(chunks):
        if chunk.session != day or chunk.cells:
            continue
        fields = run_in_fields(chunk.text)
        sentence = _sentence(kind, day, fields) if fields else None
        if sentence:
            return DayFact(sentence, rank)
    return None


def _field(fields: dict[str, str], label: re.Pattern[str]) -> str:
    return next((value.rstrip(".") for name, value in fields.items() if label.match(name)), "")


def _sentence(kind: AnswerKind, day: int, fields: dict[str, str]) -> str | None:
    people, place, date = (_field(fields, p) for p in (_PEOPLE, _PLACE, _DATE))
    venue, _, town = place.rpartition(", à ")
    where = f", à {town}" if venue else (f" ({place})" if place else "")
    the_day = day_name(day)
    if kind is AnswerKind.COUNT and people and re.search(r"\d", people):
        count = people if re.search(r"[^\d\s]", people) else f"{people} personnes"
        return f"{count[0].upper()}{count[1:]} ont participé à {the_day}{where}."
    if kind is AnswerKind.PLACE and place:  # the place as written: no article to guess
        when = f" (le {date})" if date else ""
        return f"Lieu de {the_day} : {place}{when}."
    if kind is AnswerKind.DATE and date:
        return f"{_capitalised(the_day)} a eu lieu le {date}{where}."
    return None


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]
