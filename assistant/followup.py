"""Follow-up questions made standalone without a model.

"Quels leviers lors de la journée 1 ?" then "et pour la journée 3 ?": the second
question only makes sense with the first. A question is a follow-up when it opens like a
continuation ("et …", "même chose …") and says little of its own, or when it asks nothing
it could be answered for alone (« Pourquoi ? », « C'était quand ? », « Qui l'a animée ? »).
A question that asks a kind of thing about something (« ça a coûté combien tout ça ? »)
stands on its own, whatever « ça » it holds. A follow-up takes the previous question:
the day it names replaces the previous day (« et pour la troisième ? »), the territory or
place it names replaces the previous one (« et Lumerive ? »), anything else it says is
added to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer_kinds import AnswerKind, read_question
from assistant.names import mentioned_as, proper_names
from vectorstore.french_text import fold, terms

_CONTINUATION = re.compile(
    r"^\s*(?:et|mais|puis|aussi|pareil|idem|m[eê]me chose|de m[eê]me|sinon|ok et|d'accord et|alors)\b",
    re.IGNORECASE,
)
_DAY = re.compile(r"\b(journ[ée]e|session)\s*(?:n°\s*)?(\d{1,2})\b", re.IGNORECASE)
_ORDINAL_DAY = re.compile(
    r"\b(premi[èe]re|deuxi[èe]me|seconde|troisi[èe]me|quatri[èe]me|cinqui[èe]me|sixi[èe]me)\s+"
    r"(journ[ée]e|session)\b",
    re.IGNORECASE,
)
# A day named without the word « journée », in a follow-up only: « et pour la troisième ? »,
# « et la 3 ? », « la 3e ? ».
_BARE_DAY = re.compile(
    r"\b(?:la|le|de la|pour la|à la|a la)\s+(?:n°\s*)?(premi[èe]re|deuxi[èe]me|seconde|troisi[èe]me"
    r"|quatri[èe]me|cinqui[èe]me|sixi[èe]me|\d{1,2}(?:e|è|ème|eme|re|ère)?)\b(?!\s*\w)",
    re.IGNORECASE,
)
# An object pronoun before the verb refers to something named earlier (« Qui l'a animée ? »).
_ANAPHORIC_OBJECT = re.compile(
    r"\b(?:l'|l’|le |la |les |lui |leur |y |en )(?:a|ont|avait|avaient|a-t-|ont-)", re.I
)
_MAX_FOLLOW_UP_TERMS = 4


@dataclass(frozen=True)
class Standalone:
    """A question as it reads on its own, and the earlier question it completes (``""``
    when it stood alone)."""

    text: str
    inherited: str = ""


def is_follow_up(question: str) -> bool:
    """Whether ``question`` only makes sense after another (see the module docstring)."""
    content = [t for t in terms(question) if not t.isdigit()]
    asked = read_question(question)
    if _CONTINUATION.match(question):
        return len(content) <= _MAX_FOLLOW_UP_TERMS
    if asked.kind not in {AnswerKind.OPEN, AnswerKind.YES_NO} and content:
        return bool(_ANAPHORIC_OBJECT.search(question)) and len(content) <= 1
    return len(content) <= 1


def standalone_question(question: str, previous: str | None, places: Sequence[str] = ()) -> Standalone:
    """``question`` as it reads on its own, given the (standalone) question asked just before
    it. ``places``: the territories the documents know, whose names a follow-up may swap."""
    if not previous or not is_follow_up(question):
        return Standalone(question)
    day = named_day(question) or (bare_day(question) if named_day(previous) is not None else None)
    if day is not None and named_day(previous) is not None:
        return Standalone(_with_day(previous, day), previous)
    new_place = _place(question, places)
    old_place = _place(previous, places)
    if new_place and old_place and fold(new_place) != fold(old_place):
        return Standalone(_swap(previous, old_place, new_place), previous)
    addition = " ".join(_CONTINUATION.sub("", question).split()).strip(" ?!.")
    if day is not None:
        addition = f"lors de la journée {day}"
    text = f"{previous.rstrip(' ?!.')} ({addition}) ?" if addition else previous
    return Standalone(text, previous)


def standalone_from_history(question: str, earlier: Sequence[str], places: Sequence[str] = ()) -> Standalone:
    """``question`` made standalone from the user's earlier questions (oldest first)."""
    previous: str | None = None
    for asked in earlier:
        previous = standalone_question(asked, previous, places).text
    return standalone_question(question, previous, places)


def _with_day(previous: str, day: int) -> str:
    rewritten = _ORDINAL_DAY.sub(f"journée {day}", previous)
    return _DAY.sub(lambda m: f"{m.group(1)} {day}", rewritten)


def _place(text: str, places: Sequence[str]) -> str | None:
    """The territory (of ``places``) or, failing that, the proper name ``text`` names, as
    written in ``text``."""
    for place in places:
        written = mentioned_as(text, place)
        if written:
            return written
    names = proper_names(text)
    return names[-1] if names else None


def _swap(previous: str, old: str, new: str) -> str:
    return previous.replace(old, new, 1)


_ORDINAL_NUMBERS = {
    "premiere": 1, "deuxieme": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5, "sixieme": 6,
}  # fmt: skip


def bare_day(text: str) -> int | None:
    """The day a follow-up names without the word « journée » (« et pour la troisième ? »)."""
    match = _BARE_DAY.search(text)
    if not match:
        return None
    word = fold(match.group(1))
    digits = re.match(r"\d+", word)
    return int(digits.group(0)) if digits else _ORDINAL_NUMBERS.get(word)


def named_day(text: str) -> int | None:
    """The one day (journée) a question names, if it names exactly one."""
    folded = fold(text)
    if not re.search(r"journ|session", folded):
        return None
    numbers = {int(term) for term in terms(text) if term.isdigit() and 1 <= int(term) <= 20}
    return numbers.pop() if len(numbers) == 1 else None
