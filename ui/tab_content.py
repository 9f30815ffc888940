"""What the tabs beyond the chat show, as tables, cards and Markdown: territories (table,
phone cards, fiche), discovery (timeline, tour and glossary topics), unanswered questions
(table, CSV), documents (table, status line, upload summary), and the header's sentence.

Pure. Everything that comes from a document is escaped (``escape_text``), as in the chat;
kinds of documents are named by ``assistant.wording``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assistant.answering import Citation
from assistant.journal import readable
from assistant.overview import DayCard, Topic
from assistant.rows import TerritoryRow
from assistant.wording import NO_PASSAGE_REASON
from ui.answer_markdown import format_citation, format_cited, kind_badge
from ui.escaping import escape_text

TERRITORY_HEADERS = ["Territoire", "Journée", "Attentes", "Suites données", "Source"]
UNANSWERED_HEADERS = ["Date", "Question", "Ce qui manque", "Filtres", "Passages les plus proches"]
DOCUMENT_HEADERS = [
    "Document",
    "Type",
    "Pages",
    "Passages",
    "Lignes de tableau",
    "Avertissements",
    "Indexé le",
]


def _column(row: TerritoryRow, *names: str) -> str:
    columns = {name.casefold(): value for name, value in row.columns}
    return next((columns[n.casefold()] for n in names if n.casefold() in columns), "")


def territory_table(rows: Sequence[TerritoryRow]) -> list[list[str]]:
    """One line per territory and day: what it expected, what followed, where it is written."""
    table, seen = [], set()
    for row in rows:
        expected = _column(row, "Attentes", "Attente")
        if (row.territory, row.session) in seen or not expected:
            continue  # the day tables, not the annex of head counts
        seen.add((row.territory, row.session))
        where = f"{row.source}, p. {row.page}" if row.page else row.source
        day = str(row.session) if row.session else ""
        table.append([row.territory, day, expected, _column(row, "Suites données", "Suites"), where])
    return table


def territory_cards(table: Sequence[Sequence[str]]) -> list[str]:
    """The territories table as cards (HTML, every document word escaped), one per line of
    it, for a phone: five columns do not fit in 390 pixels. A tap on a card opens its fiche
    (``ui.tabs``)."""
    cards = []
    for territory, day, expected, followed, where in table:
        lines = [f"<strong>{escape(territory)}</strong>" + (f" · journée {escape(day)}" if day else "")]
        lines.append(f"Attentes : {escape(expected)}")
        if followed:
            lines.append(f"Suites données : {escape(followed)}")
        lines.append(f"<em>Source : {escape(where)}</em>")
        cards.append("<br>".join(lines))
    return cards


def territory_sheet(territory: str, citations: Sequence[Citation]) -> str:
    """The "fiche territoire": every passage that names it, as citation cards."""
    if not citations:
        return f"Aucun passage ne mentionne « {escape_text(territory)} »."
    header = f"### Fiche territoire : {escape_text(territory)}\n\n{len(citations)} passage(s) le mentionnent."
    return "\n\n".join([header, *(format_citation(c) for c in citations)])


def format_topics(topics: Sequence[Topic], empty: str) -> str:
    """Tour cards or glossary entries, each shown once: a heading (level 3, under the tab's
    level 2), the cited text, and where it comes from in one line (``format_cited``)."""
    if not topics:
        return empty
    return "\n\n---\n\n".join(f"### {escape_text(t.title)}\n\n{format_cited(t.answer)}" for t in topics)


def format_timeline(days: Sequence[DayCard]) -> str:
    if not days:
        return "Aucune journée n'est décrite dans les documents indexés."
    cards = []
    for day in days:
        lines = [f"### Journée {day.day}" + (f" — {escape_text(day.theme)}" if day.theme else "")]
        if day.date or day.place:
            lines.append(" · ".join(escape_text(x) for x in (day.date, day.place) if x))
        if day.territories:
            lines.append("Territoires : " + ", ".join(escape_text(t) for t in day.territories))
        sources = [
            f"[{c.n}] `{kind_badge(c.kind)}` {escape_text(c.source)}" + (f", p. {c.page}" if c.page else "")
            for c in day.citations
        ]
        if sources:
            lines.append("Sources : " + " ; ".join(sources))
        cards.append("\n\n".join(lines))
    return "\n\n---\n\n".join(cards)


def _filters_text(filters: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in filters.items())


def _closest_text(closest: Sequence[Mapping[str, Any]]) -> str:
    return " | ".join(
        f"{c.get('source', '')}" + (f" p. {c['page']}" if c.get("page") else "") for c in closest
    )


_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def french_datetime(stamp: str, zone: str = "Europe/Paris") -> str:
    """An ISO time stamp (as the journals write it, in UTC) in French, in ``zone``'s local
    time: « 2 novembre 2026 à 11 h 00 ». A stamp that does not parse is shown as it is."""
    try:
        moment = datetime.fromisoformat(stamp)
        local = moment.astimezone(ZoneInfo(zone)) if moment.tzinfo else moment
    except (ValueError, ZoneInfoNotFoundError):
        return stamp
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} à {local.hour} h {local.minute:02d}"


def unanswered_table(entries: Sequence[Mapping[str, Any]], french: bool = True) -> list[list[str]]:
    """Newest first; dates in French local time (``french``), or as stamped (for the CSV).
    An entry with fields of odd types (``assistant.journal.readable``) is left out."""
    return [
        [french_datetime(str(e.get("at", ""))) if french else str(e.get("at", "")),
         str(e.get("question", "")), str(e.get("reason") or NO_PASSAGE_REASON),
         _filters_text(e.get("filters") or {}), _closest_text(e.get("closest") or [])]
        for e in reversed(entries)
        if readable(e)
    ]  # fmt: skip


def unanswered_count(count: int) -> str:
    """The line above the unanswered questions: how many, or that there are none yet."""
    if count == 0:
        return "Aucune question sans réponse pour l'instant : celles que l'assistant déclinera viendront ici."
    if count == 1:
        return "1 question sans réponse."
    return f"{count} questions sans réponse, les plus récentes en premier."


def skipped_lines(count: int) -> str:
    """What the facilitators are told of the journal lines that could not be read."""
    if count == 1:
        return "1 ligne illisible du journal ignorée."
    return f"{count} lignes illisibles du journal ignorées."


# What makes a spreadsheet read a cell as a formula (OWASP's list): such a cell is written
# with a leading apostrophe, which the spreadsheet shows as text and does not display.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """``value`` as a cell a spreadsheet shows and never runs (« =HYPERLINK(…) » stays text)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def unanswered_csv(entries: Sequence[Mapping[str, Any]]) -> str:
    """The CSV for French spreadsheets: « ; » between cells (the comma is the decimal
    mark), every cell safe to open; write it as UTF-8 with a BOM (``CSV_ENCODING``) so the
    accents open right."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(UNANSWERED_HEADERS)
    rows = unanswered_table(entries, french=False)  # sortable ISO stamps
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: how a spreadsheet knows the file is UTF-8


NO_PAGES = "—"  # a document without pages (notes in Markdown, text, Word): no « 0 »


def document_table(records: Sequence[Any], table_rows: Mapping[str, int]) -> list[list[str | int]]:
    """One line per document; ``table_rows`` counts the table rows read from each source.
    Pages only for what has pages (a PDF), the date in French local time."""
    return [
        [r.source, kind_badge(r.kind), r.pages or NO_PAGES, r.chunks, table_rows.get(r.source, 0),
         " ; ".join(r.warnings), french_datetime(r.indexed_at)]
        for r in records
    ]  # fmt: skip


LLM_MODE = "modèle de langue "  # how ``assistant.library.Status.answer_mode`` names a model
EXTRACTIVE_ANSWERS = "Réponses : citations des documents (sans modèle de langue)"


def answer_mode_words(mode: str) -> str:
    """The answer mode as a reader understands it: what the answers are made of."""
    if not mode.startswith(LLM_MODE):
        return EXTRACTIVE_ANSWERS
    model = escape_text(mode.removeprefix(LLM_MODE).strip())
    return f"Réponses : rédigées par le {LLM_MODE}{model}, chaque phrase vérifiée dans les documents"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n > 1 else ''}"


def format_status(documents: Sequence[str], chunks: int, model: str, mode: str) -> str:
    """The Documents tab's line: what is indexed, what the answers are made of, and the model
    that finds passages by meaning, on a discreet technical line."""
    if not documents:
        return "Aucun document indexé : lancez `python -m bilan ingest CHEMIN` puis rechargez la page."
    names = ", ".join(escape_text(name) for name in documents)
    indexed = f"{_plural(len(documents), 'document')} indexé{'s' if len(documents) > 1 else ''}"
    return (
        f"**{indexed}** ({_plural(chunks, 'passage')}) : {names}  \n"
        f"{answer_mode_words(mode)}  \n"
        f"*Recherche des passages par le sens : modèle {escape_text(model)}*"
    )


def ingest_summary(outcomes: Sequence[Any]) -> str:
    """One line per uploaded file: indexed (pages, passages), unchanged, or why it failed."""
    lines = []
    for outcome in outcomes:
        name = escape_text(outcome.path.rsplit("/", 1)[-1])
        if outcome.status == "indexed":
            lines.append(f"- {name} : indexé ({outcome.pages} pages, {outcome.chunks} passages)")
        elif outcome.status == "failed":
            lines.append(f"- {name} : échec — {escape_text(outcome.reason)}")
        else:
            lines.append(f"- {name} : inchangé")
        lines.extend(f"  - attention : {escape_text(w)}" for w in outcome.warnings)
    return "\n".join(lines) or "Aucun fichier lu."


_NUMBERS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix")


def _count(n: int, noun: str, feminine: bool = False) -> str:
    """« quatre séances » in words up to ten, figures beyond."""
    word = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    word = "une" if feminine and n == 1 else word
    return f"{word} {noun}{'s' if n > 1 else ''}"


def knowledge_sentence(records: Sequence[Any], days: int) -> str:
    """What the assistant knows, in one sentence a newcomer understands (no file names, no
    passages, no model: those are in the Documents tab)."""
    if not records:
        return "Aucun document n'est encore indexé : l'assistant ne peut encore rien répondre."
    reports = sum(1 for r in records if r.kind == "bilan")
    notes = sum(1 for r in records if r.kind == "notes")
    others = len(records) - reports - notes
    known = []
    if reports:
        known.append("le bilan des journées d'initiation" if reports == 1 else _count(reports, "bilan"))
    if notes:
        known.append("les notes d'une séance" if notes == 1 else f"les notes de {_count(notes, 'séance')}")
    if others:
        known.append(_count(others, "autre document"))
    listed = known[0] if len(known) == 1 else f"{', '.join(known[:-1])} et {known[-1]}"
    span = f" ({_count(days, 'journée', feminine=True)})" if days else ""
    return f"L'assistant connaît {listed}{span} ; chaque réponse cite les passages qui l'appuient."
