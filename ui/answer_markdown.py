"""Answers as Markdown: the chat's messages (the answer with its markers linked, the
verifier's badge, the citation cards), a model's draft, the tour's and glossary's entries
(shown once, a line per source), and the conversation's export (plain Markdown).

What comes from a document, a model or a user goes through ``ui.escaping``; the words the
command line says too (kinds of documents, the verifier's line) come from
``assistant.wording``.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from assistant.answering import Answer, Citation
from assistant.verification import Verification
from assistant.wording import (
    DOCUMENT_KINDS,
    UNSUPPORTED_LEAD,
    citations_heading,
    kind_label,
    verification_line,
    verified_details,
)
from ui.escaping import escape_text, plain_markdown

_CLAIM_PARTS = re.compile(r" : | — | ; ")
_DAY_SUFFIX = re.compile(r"\s*\(journée \d+\)$")
_LIST_ITEM = re.compile(r"^[ \t]*[-*•][ \t]+")  # an answer's list item line (« - item [1] »)
_EXCERPT_CHARS = 400
DRAFT_NOTE = "Réponse en cours de rédaction ; chaque phrase sera recherchée dans les passages à la fin."
_CONTEXT_CHARS = 160  # passage text shown on each side of a highlighted sentence
UNKNOWN_KIND = "Document"  # the badge of a kind the app does not know: never the kind itself


def kind_badge(kind: Any) -> str:
    """« Bilan », « Notes de séance »; any other kind (only a forged state could hold one)
    is named neutrally, never echoed."""
    return kind_label(kind) if isinstance(kind, str) and kind in DOCUMENT_KINDS else UNKNOWN_KIND


def _escape_answer(text: str) -> str:
    """Escape an answer but keep its ``[n]`` markers readable and its list items a
    Markdown list: each item's text escaped, its « - » and line kept (blank lines around
    the list, so the lead sentence and what follows stay paragraphs of their own)."""
    return re.sub(r"\\\[(\d+)\\\]", r"[\1]", _answer_lines(text, escape_text))


def _answer_lines(text: str, escape: Callable[[str], str]) -> str:
    """The answer's lines, each escaped by ``escape``, its list items a Markdown list set
    apart from the text before and after it."""
    lines: list[str] = []
    in_list = False
    for line in text.split("\n"):
        item = _LIST_ITEM.match(line)
        if lines and lines[-1].strip() and line.strip() and bool(item) != in_list:
            lines.append("")
        lines.append(f"- {escape(line[item.end() :])}" if item else escape(line))
        in_list = bool(item)
    return "\n".join(lines)


def format_citation(
    citation: Citation, highlight: Sequence[str] = (), anchor: str = "", picture: str = ""
) -> str:
    """A citation card: anchor (``anchor`` names the answer it belongs to, so each answer's
    [1] leads to its own card), badge, document, page, section, the passage with the
    sentence the answer took from it highlighted, and its ``picture`` (HTML from
    ``ui.pictures``: the passage cut from its page, a link to the whole page)."""
    where = f", p. {citation.page}" if citation.page else ""
    section = f" — {escape_text(citation.section)}" if citation.section else ""
    badge = kind_badge(citation.kind)
    card = (
        f'<span id="{anchor}carte-{citation.n}"></span>**[{citation.n}]** `{badge}` '
        f"*{escape_text(citation.source)}*{where}{section}\n> {_excerpt(citation.text, highlight)}"
    )
    return f"{card}\n\n{picture}" if picture else card


# A list item of a passage (« - Pays de Brumeval : … »): kept on its own line in the card,
# through a mark no document holds (a private-use character) while spaces are evened out.
_LIST_ITEM = re.compile(r"(?:^|\n)[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+")
_ITEM_MARK = "\ue000"
_ITEM_BREAK = "<br>• "


def _excerpt(text: str, highlight: Sequence[str]) -> str:
    """The passage, escaped, from a little before its first highlighted sentence to a little
    after its last (each marked), or its start when nothing is highlighted; each list item
    of the passage on its own line."""
    text = _LIST_ITEM.sub(f" {_ITEM_MARK}", text.replace(_ITEM_MARK, ""))
    excerpt = _excerpt_of(" ".join(text.split()), highlight)
    if excerpt.startswith(_ITEM_MARK):  # the passage opens on an item: no break before it
        excerpt = "• " + excerpt[1:]
    return excerpt.replace(f" {_ITEM_MARK}", _ITEM_MARK).replace(_ITEM_MARK, _ITEM_BREAK)


def _excerpt_of(text: str, highlight: Sequence[str]) -> str:
    spans = sorted(
        {
            (at, at + len(s))
            for s in (" ".join(h.split()) for h in highlight)
            if s and (at := text.find(s)) >= 0
        }
    )
    if not spans:
        if len(text) > _EXCERPT_CHARS:
            text = text[:_EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
        return escape_text(text)
    start, end = max(0, spans[0][0] - _CONTEXT_CHARS), min(len(text), spans[-1][1] + _CONTEXT_CHARS)
    pieces, cursor = ["… " if start else ""], start
    for begin, finish in spans:
        if begin < cursor:
            continue  # overlaps a sentence already marked
        pieces += [escape_text(text[cursor:begin]), f"<mark>{escape_text(text[begin:finish])}</mark>"]
        cursor = finish
    pieces += [escape_text(text[cursor:end]), " …" if end < len(text) else ""]
    return "".join(pieces)


def source_name(citation: Citation) -> str:
    """What a marker leads to, said in words: « source 1 : bilan-exemple.pdf, page 8 »."""
    where = f", page {citation.page}" if citation.page else ""
    return f"source {citation.n} : {citation.source}{where}"


def _link_markers(escaped: str, anchor: str = "", citations: Sequence[Citation] = ()) -> str:
    """Each ``[n]`` of an escaped answer becomes a link to its citation card, titled with
    where it leads (the page makes the title the link's accessible name: ``ui.french``)."""
    names = {c.n: html.escape(source_name(c), quote=True) for c in citations}

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        title = f' title="{names[n]}"' if n in names else ""
        return f'<a class="renvoi" href="#{anchor}carte-{n}"{title}>[{n}]</a>'

    return re.sub(r"\[(\d+)\]", link, escaped)


def answer_anchor(answer: Answer) -> str:
    """A prefix naming one answer's cards (its question and text hashed), so two answers of
    a conversation never share a card's anchor."""
    digest = hashlib.sha1(f"{answer.question}\n{answer.text}".encode()).hexdigest()[:8]
    return f"r{digest}-"


def format_answer(
    answer: Answer, anchor: str | None = None, pictures: Mapping[int, str] | None = None
) -> str:
    """The chat message: the answer (markers linked to its own cards: ``anchor``, by default
    from the answer's content), its verification, then its citation cards, each with its
    picture from ``pictures`` (by citation number) when it has one."""
    anchor = answer_anchor(answer) if anchor is None else anchor
    pictures = pictures or {}
    parts = [_bold_gap(answer, _link_markers(_escape_answer(answer.text), anchor, answer.citations))]
    if not answer.refused:
        parts.append(format_verification(answer.verification, answer.checked, answer.gap))
    if answer.citations:
        highlights = answer.verification.claims_citing(answer.text)
        parts.append(f"**{citations_heading(answer.refused)}**")
        parts.extend(
            format_citation(c, _in_passage(highlights.get(c.n, ()), c.text), anchor, pictures.get(c.n, ""))
            for c in answer.citations
        )
    return "\n\n".join(parts)


def _bold_gap(answer: Answer, shown: str) -> str:
    """A partial answer looks partial: its first sentence, saying what is missing, in bold."""
    gap = escape_text(answer.gap)
    return f"**{gap}**{shown[len(gap) :]}" if answer.partial and shown.startswith(gap) else shown


_MARKER = re.compile(r" ?\[\d+\]")


def format_cited(answer: Answer) -> str:
    """An answer shown once, without cards (the tour's and the glossary's entries): its text,
    its ``[n]`` markers as text (none when every sentence cites one passage), the verifier's
    line only when it says more than the text (partial, something removed), then one line
    naming each source (``source_reference``)."""
    text = _escape_answer(answer.text)
    if len(answer.citations) == 1:
        text = _MARKER.sub("", text)
    parts = [_bold_gap(answer, text)]
    if not answer.refused and (answer.verification.flagged or answer.gap):
        parts.append(format_verification(answer.verification, answer.checked, answer.gap))
    if len(answer.citations) == 1:
        parts.append(f"*Source : {source_reference(answer.citations[0])}*")
    elif answer.citations:
        lines = (f"[{c.n}] {source_reference(c)}" for c in answer.citations)
        parts.append("*Sources :*  \n" + "  \n".join(lines))
    return "\n\n".join(parts)


def source_reference(citation: Citation) -> str:
    """Where a passage is, in one line: « bilan-exemple.pdf, p. 2 — 1. Les intentions de départ »."""
    where = f", p. {escape_text(citation.page)}" if citation.page else ""
    section = f" — {escape_text(citation.section)}" if citation.section else ""
    return f"{escape_text(citation.source)}{where}{section}"


def _in_passage(claims: Sequence[str], passage: str) -> list[str]:
    """What of each claim the passage shows, as the passage writes it: the claim itself, or
    else its parts (a list item « Commune de Sauvelière : Sortir des réunions… » is the
    row's cells; « Le tirage au sort… (journée 2) » a piece of an enumeration)."""
    flat = " ".join(passage.split())
    lowered = flat.lower()
    found = []
    for written in claims:
        claim = " ".join(written.split())
        if claim in flat:
            found.append(claim)
            continue
        for part in _CLAIM_PARTS.split(_DAY_SUFFIX.sub("", claim)):
            at = lowered.find(part.strip().lower()) if len(part.split()) >= 2 else -1
            if at >= 0:
                found.append(flat[at : at + len(part.strip())])
    return found


def format_verification(check: Verification, checked: str = "", gap: str = "") -> str:
    """The verifier's word (``verification_line``): a discreet badge that opens on what was
    checked when the answer gives the thing asked or the question is open; a visible line
    when the answer is partial (``gap``) or something was removed, with the claims removed."""
    line = verification_line(check, checked, gap)
    if not check.flagged and not gap:  # HTML: its text is escaped as HTML, not Markdown
        details = html.escape(verified_details(check, checked, gap), quote=False)
        summary = html.escape(line, quote=False)
        return f'<details class="verification"><summary>{summary}</summary>\n\n{details}\n\n</details>'
    line = escape_text(line)
    if not check.unsupported:
        return f"**{line}**"
    claims = "\n".join(f"- {escape_text(claim)}" for claim in check.unsupported)
    return f"**{line}**\n\n{UNSUPPORTED_LEAD}\n{claims}"


def format_draft(text: str) -> str:
    """A language model's reply while it is being written, before verification."""
    return f"{_escape_answer(text)} ▌\n\n*{DRAFT_NOTE}*"


def format_understood(asked: str, understood: str) -> str:
    """A line saying how a follow-up question was understood, or nothing."""
    if " ".join(asked.split()) == understood:
        return ""
    return f"*Question comprise : {escape_text(understood)}*\n\n"


def conversation_markdown(answers: Sequence[Answer]) -> str:
    """The conversation as a Markdown document a person reads in any editor, each answer
    followed by its sources. Every text in it came from a person or a document: written as
    it is, only what would be markup escaped (``plain_markdown``), so a Markdown viewer shows
    no HTML, fetches no image, holds no link and keeps the document's structure."""
    parts = ["# Conversation avec l'assistant du bilan"]
    for i, answer in enumerate(answers, start=1):
        parts.append(f"## {i}. {_plain_line(answer.question)}")
        parts.append(_plain_answer(answer.text))
        if answer.citations:  # a line of its own: an answer's list and its sources stay two lists
            parts.append(f"{citations_heading(answer.refused)} :")
        for c in answer.citations:
            badge = kind_badge(c.kind)
            excerpt = plain_markdown(" ".join(c.text.split()))
            parts.append(f"- [{c.n}] {badge} : {_plain_where(c)}\n  > {excerpt}")
    return "\n\n".join(parts) + "\n"


def _plain_line(text: str) -> str:
    """A document's or a person's text on one line, inside a line of ours."""
    return plain_markdown(" ".join(text.split()), block=False)


def _plain_where(citation: Citation) -> str:
    """« bilan-exemple.pdf, p. 8 — 3.1 Quelques chiffres », as plain Markdown."""
    where = f", p. {_plain_line(citation.page)}" if citation.page else ""
    section = f" — {_plain_line(citation.section)}" if citation.section else ""
    return f"{_plain_line(citation.source)}{where}{section}"


# A marker of ours, escaped with the text: written back as « [1] » unless what follows would
# make it a link (« [1]: adresse » defines one, « [1](adresse) » and « [1][x] » are ones).
_PLAIN_MARKER = re.compile(r"\\\[(\d+)\\\](?![:(])")


def _plain_answer(text: str) -> str:
    """An answer as plain Markdown: its lines and list items, its ``[n]`` markers as written."""
    return _PLAIN_MARKER.sub(r"[\1]", _answer_lines(text, plain_markdown))
