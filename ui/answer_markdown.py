"""Pure formatters from engine results to the Markdown the app shows.

Document text, model output and questions are untrusted: ``escape_text`` shows them as
text. HTML (``<img>``, ``<link>``, ``<iframe>``, ``<style>`` and its ``url()``, scripts) is
escaped; a Markdown image becomes its alt text and a Markdown link its text and target, as
text; bare addresses (``http://…``, ``www.…``, e-mail) are kept from becoming links. Nothing
in them is rendered, run or fetched.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from assistant.verification import claims

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
_MARKDOWN_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+!|~>-])")
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(([^)\n]*)\)")
_CLAIM_PARTS = re.compile(r" : | — | ; ")
_DAY_SUFFIX = re.compile(r"\s*\(journée \d+\)$")
_LIST_ITEM = re.compile(r"^[ \t]*[-*•][ \t]+")  # an answer's list item line (« - item [1] »)
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
# What a Markdown renderer turns into a link by itself: "://", "www.", an e-mail's "@".
_AUTOLINK = re.compile(r"(:)(?=//)|(?<![\w.-])(www)(\.)|(@)", re.IGNORECASE)
_ENTITIES = {":": "&#58;", ".": "&#46;", "@": "&#64;"}
KIND_LABELS = {"bilan": "Bilan", "notes": "Notes de séance"}
_EXCERPT_CHARS = 400
_CONTEXT_CHARS = 160  # passage text shown on each side of a highlighted sentence


class CitationLike(Protocol):
    n: int
    source: str
    page: str
    section: str
    text: str
    kind: str


class VerificationLike(Protocol):
    removed_markers: int
    removed_quotes: int

    @property
    def cited(self) -> Sequence[int]: ...

    @property
    def unsupported(self) -> Sequence[str]: ...

    def summary(self) -> str: ...

    @property
    def flagged(self) -> bool: ...


class AnswerLike(Protocol):
    question: str
    text: str
    refused: bool

    @property
    def citations(self) -> Sequence[CitationLike]: ...

    @property
    def verification(self) -> VerificationLike: ...


def escape_text(text: str) -> str:
    """Text shown literally by a Markdown renderer: no HTML, no links, no images."""
    text = plain_links(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _AUTOLINK.sub(_entity, _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def plain_links(text: str) -> str:
    """Markdown images as their alt text, Markdown links as their text and target."""
    text = _MARKDOWN_IMAGE.sub(lambda m: m.group(1).strip(), text)
    return _MARKDOWN_LINK.sub(_link_text, text)


def _link_text(match: re.Match[str]) -> str:
    label, target = match.group(1).strip(), match.group(2).strip()
    return f"{label} ({target})" if label and target and target != label else label or target


def _entity(match: re.Match[str]) -> str:
    return "".join(_ENTITIES.get(part, part) for part in match.groups() if part)


def unescape_text(escaped: str) -> str:
    """The text behind ``escape_text`` (images and links stay as it shows them)."""
    return html.unescape(_MARKDOWN_ESCAPED.sub(r"\1", escaped))


def _escape_answer(text: str) -> str:
    """Escape an answer but keep its ``[n]`` markers readable and its list items a
    Markdown list: each item's text escaped, its « - » and line kept (blank lines around
    the list, so the lead sentence and what follows stay paragraphs of their own)."""
    lines: list[str] = []
    in_list = False
    for line in text.split("\n"):
        item = _LIST_ITEM.match(line)
        if lines and lines[-1].strip() and line.strip() and bool(item) != in_list:
            lines.append("")  # the list set apart from the text before and after it
        lines.append(f"- {escape_text(line[item.end() :])}" if item else escape_text(line))
        in_list = bool(item)
    return re.sub(r"\\\[(\d+)\\\]", r"[\1]", "\n".join(lines))


def format_citation(
    citation: CitationLike, highlight: Sequence[str] = (), anchor: str = "", picture: str = ""
) -> str:
    """A citation card: anchor (``anchor`` names the answer it belongs to, so each answer's
    [1] leads to its own card), badge, document, page, section, the passage with the
    sentence the answer took from it highlighted, and its ``picture`` (HTML from
    ``ui.pictures``: the passage cut from its page, a link to the whole page)."""
    where = f", p. {citation.page}" if citation.page else ""
    section = f" — {escape_text(citation.section)}" if citation.section else ""
    badge = KIND_LABELS.get(citation.kind, citation.kind)
    card = (
        f'<span id="{anchor}carte-{citation.n}"></span>**[{citation.n}]** `{badge}` '
        f"*{escape_text(citation.source)}*{where}{section}\n> {_excerpt(citation.text, highlight)}"
    )
    return f"{card}\n\n{picture}" if picture else card


def _excerpt(text: str, highlight: Sequence[str]) -> str:
    """The passage, escaped, from a little before its first highlighted sentence to a little
    after its last (each marked), or its start when nothing is highlighted."""
    text = " ".join(text.split())
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


def supporting_sentences(answer_text: str) -> dict[int, list[str]]:
    """For each citation number, the claims of the answer that cite it (markers removed)."""
    found: dict[int, list[str]] = {}
    for claim, markers in claims(answer_text):
        for n in markers:
            found.setdefault(n, []).append(claim)
    return found


def source_name(citation: CitationLike) -> str:
    """What a marker leads to, said in words: « source 1 : bilan-exemple.pdf, page 8 »."""
    where = f", page {citation.page}" if citation.page else ""
    return f"source {citation.n} : {citation.source}{where}"


def _link_markers(escaped: str, anchor: str = "", citations: Sequence[CitationLike] = ()) -> str:
    """Each ``[n]`` of an escaped answer becomes a link to its citation card, titled with
    where it leads (the page makes the title the link's accessible name: ``ui.french``)."""
    names = {c.n: html.escape(source_name(c), quote=True) for c in citations}

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        title = f' title="{names[n]}"' if n in names else ""
        return f'<a class="renvoi" href="#{anchor}carte-{n}"{title}>[{n}]</a>'

    return re.sub(r"\[(\d+)\]", link, escaped)


def answer_anchor(answer: AnswerLike) -> str:
    """A prefix naming one answer's cards (its question and text hashed), so two answers of
    a conversation never share a card's anchor."""
    digest = hashlib.sha1(f"{answer.question}\n{answer.text}".encode()).hexdigest()[:8]
    return f"r{digest}-"


def format_answer(
    answer: AnswerLike, anchor: str | None = None, pictures: Mapping[int, str] | None = None
) -> str:
    """The chat message: the answer (markers linked to its own cards: ``anchor``, by default
    from the answer's content), its verification, then its citation cards, each with its
    picture from ``pictures`` (by citation number) when it has one."""
    anchor = answer_anchor(answer) if anchor is None else anchor
    pictures = pictures or {}
    parts = [_link_markers(_escape_answer(answer.text), anchor, answer.citations)]
    if not answer.refused:
        parts.append(format_verification(answer.verification))
    if answer.citations:
        highlights = supporting_sentences(answer.text)
        parts.append("**Passages les plus proches**" if answer.refused else "**Sources**")
        parts.extend(
            format_citation(c, _in_passage(highlights.get(c.n, ()), c.text), anchor, pictures.get(c.n, ""))
            for c in answer.citations
        )
    return "\n\n".join(parts)


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


VERIFIED = (
    "Chaque phrase de la réponse renvoie à un passage cité ; l'assistant a vérifié que ces "
    "passages existent, que les citations entre guillemets y figurent mot pour mot et que "
    "chaque affirmation y trouve ses mots."
)


def format_verification(check: VerificationLike) -> str:
    """The verifier's word: a discreet badge (« ✓ 3 sources vérifiées ») that opens on what
    was checked; when something was removed or flagged, a visible warning instead, with the
    claims no cited passage supports."""
    line = escape_text(check.summary())
    if not check.flagged:
        cited = ", ".join(f"[{n}]" for n in check.cited)
        details = f"{VERIFIED} Passages cités : {cited}." if cited else VERIFIED
        return f'<details class="verification"><summary>{line}</summary>\n\n{details}\n\n</details>'
    if not check.unsupported:
        return f"**{line}**"
    claims = "\n".join(f"- {escape_text(claim)}" for claim in check.unsupported)
    return f"**{line}**\n\nÀ vérifier, aucun passage cité ne les appuie :\n{claims}"


def format_draft(text: str) -> str:
    """A language model's reply while it is being written, before verification."""
    return f"{_escape_answer(text)} ▌\n\n*Réponse en cours de rédaction ; elle sera vérifiée à la fin.*"


def format_status(documents: Sequence[str], chunks: int, model: str, mode: str) -> str:
    if not documents:
        return "Aucun document indexé : lancez `python -m assistant ingest CHEMIN` puis rechargez la page."
    names = ", ".join(escape_text(name) for name in documents)
    return (
        f"**{len(documents)} document(s) indexé(s)** ({chunks} passages) : {names}  \n"
        f"Mode de réponse : {mode} · modèle d'embeddings : {escape_text(model)}"
    )


def message_text(content: object) -> str:
    """The text of a chat message as written (messages are shown escaped), whether Gradio
    gives a string or a list of parts."""
    if isinstance(content, str):
        return unescape_text(content)
    if isinstance(content, list):
        return " ".join(
            unescape_text(str(part.get("text", ""))) for part in content if isinstance(part, dict)
        )
    return ""


def format_understood(asked: str, understood: str) -> str:
    """A line saying how a follow-up question was understood, or nothing."""
    if " ".join(asked.split()) == understood:
        return ""
    return f"*Question comprise : {escape_text(understood)}*\n\n"
