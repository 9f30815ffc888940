"""Questions about the corpus as a whole (``understanding.is_corpus_question``), answered from
the guided tour.

« Je débute, que faut-il savoir ? », « De quoi parle ce bilan ? », « Quelles sont les
grandes parties ? »: no single passage answers these, so a search finds passages that
merely share a word and the assistant used to decline. The guided tour (computed at
ingestion, one card per part of the report, each from the report's own opening
sentences) is the answer: one cited line per part. Pure: question in, answer out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering import Answer, Citation
from assistant.overview import Topic
from assistant.verification import verify
from vectorstore.french_text import split_sentences

LEAD = "Pour commencer, voici ce que présente le bilan, partie par partie :"
_NUMBERED = re.compile(r"^\d{1,2}\. ")  # « 1. Les intentions de départ »: a Markdown numbered item


def corpus_answer(question: str, tour: Sequence[Topic]) -> Answer | None:
    """One line per part of the report, its opening sentence cited; None without a tour."""
    lines, citations = [], []
    for card in tour:
        source = card.answer.citations[0] if card.answer.citations else None
        sentences = split_sentences(source.text) if source else []
        if not source or not sentences:
            continue
        n, opening = len(citations) + 1, sentences[0]
        # a numbered title is the list's own number (« 1. … »): a bullet before it showed « ○ 1. »
        bullet = "" if _NUMBERED.match(card.title) else "- "
        lines.append(f"{bullet}{card.title} : {opening} [{n}]")
        citations.append(
            Citation(
                n,
                source.source,
                source.page,
                source.section,
                source.text,
                1.0,
                source.kind,
                source.first_page,
            )
        )
    if not lines:
        return None
    text, check = verify("\n".join([LEAD, *lines]), {c.n: c.text for c in citations})
    return Answer(question, text, tuple(citations), verification=check)
