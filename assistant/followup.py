"""Follow-up questions made standalone without a model.

"Quels leviers lors de la journée 1 ?" then "et pour la journée 3 ?": the second
question only makes sense with the first. A short question that opens like a
continuation ("et …", "même chose …") or has almost no content word of its own
takes the previous question: a day it names replaces the previous day, anything
else it says is added to the previous question.
"""

from __future__ import annotations

import re

from vectorstore.french_text import fold, terms

_CONTINUATION = re.compile(
    r"^\s*(?:et|mais|puis|aussi|pareil|idem|m[eê]me chose|de m[eê]me)\b", re.IGNORECASE
)
_DAY = re.compile(r"\b(journ[ée]e|session)\s*(?:n°\s*)?(\d{1,2})\b", re.IGNORECASE)
_ORDINAL_DAY = re.compile(
    r"\b(premi[èe]re|deuxi[èe]me|seconde|troisi[èe]me|quatri[èe]me)\s+(journ[ée]e|session)\b", re.IGNORECASE
)
_MAX_FOLLOW_UP_TERMS = 3


def standalone_question(question: str, previous: str | None) -> str:
    """``question`` as it reads on its own, given the question asked just before it."""
    if not previous or not is_follow_up(question):
        return question
    day = named_day(question)
    if day is not None and named_day(previous) is not None:
        rewritten = _ORDINAL_DAY.sub(f"journée {day}", previous)
        return _DAY.sub(lambda m: f"{m.group(1)} {day}", rewritten)
    addition = " ".join(_CONTINUATION.sub("", question).split()).strip(" ?!.")
    return f"{previous.rstrip(' ?!.')} ({addition}) ?" if addition else previous


def standalone_from_history(question: str, earlier: list[str]) -> str:
    """``question`` made standalone from the user's earlier questions (oldest first)."""
    previous: str | None = None
    for asked in earlier:
        previous = standalone_question(asked, previous)
    return standalone_question(question, previous)


def is_follow_up(question: str) -> bool:
    content = terms(question)
    return len(content) <= _MAX_FOLLOW_UP_TERMS and (bool(_CONTINUATION.match(question)) or len(content) <= 1)


def named_day(text: str) -> int | None:
    """The one day (journée) a question names, if it names exactly one."""
    folded = fold(text)
    if not re.search(r"journ|session", folded):
        return None
    numbers = {int(term) for term in terms(text) if term.isdigit() and 1 <= int(term) <= 20}
    return numbers.pop() if len(numbers) == 1 else None
