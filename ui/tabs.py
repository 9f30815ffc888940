"""The tabs beyond the chat: Territoires, Leviers, Découvrir, Questions sans réponse,
Documents. Each is filled when the page loads, from content the engine keeps ready."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.engine import Engine
from assistant.errors import UserFacingError
from assistant.overview import SUGGESTED_QUESTIONS
from assistant.wording import ALL, MAX_FILTER_CHARS
from ui.chat_tab import ChatTab
from ui.downloads import handed_out, owner_of
from ui.escaping import escape_text
from ui.exchange import Exchange
from ui.inputs import choice, noted, refused
from ui.tab_content import (
    CSV_ENCODING,
    DOCUMENT_HEADERS,
    TERRITORY_HEADERS,
    UNANSWERED_HEADERS,
    document_table,
    format_timeline,
    format_topics,
    ingest_summary,
    skipped_lines,
    territory_cards,
    territory_sheet,
    territory_table,
    unanswered_count,
    unanswered_csv,
    unanswered_table,
)


def territories_tab(
    engine: Engine, chat: ChatTab, tabs: gr.Tabs
) -> tuple[gr.Dataframe, gr.Dataset, gr.Dropdown]:
    """The picker first, then the chosen territory's fiche, then every territory: a table
    (a click on a line opens its fiche) or, on a phone, cards (a tap does)."""
    gr.Markdown(
        "Les territoires des tableaux de participants : choisissez-en un pour voir sa fiche et "
        "lui poser une question, ou touchez sa ligne dans la liste ci-dessous."
    )
    with gr.Row(equal_height=True):
        picked = choice([], label="Territoire", elem_id="territoire-choisi", scale=3, min_width=200)
        ask = gr.Button(
            "Poser une question sur ce territoire", size="sm", scale=1, elem_id="demander-territoire"
        )
    sheet = gr.Markdown(elem_id="fiche")
    table = gr.Dataframe(
        headers=TERRITORY_HEADERS,
        interactive=False,
        show_search="search",
        wrap=True,
        column_widths=["20%", "8%", "30%", "27%", "15%"],
        elem_id="territoires",
    )
    cards = gr.Dataset(  # shown instead of the table on a phone (ui.french)
        components=["html"],  # its Markdown cards are cut at 60 characters
        samples=[],
        type="index",
        layout="gallery",
        samples_per_page=MAX_CARDS,
        label="Tous les territoires",
        elem_id="cartes-territoires",
    )

    def load() -> tuple[list[list[str]], Any, Any]:
        return territory_rows(engine)

    def select(event: gr.SelectData) -> str:
        row = event.row_value  # sent by the browser: checked by ``sheet_of`` when it lands in the menu
        return row[0] if isinstance(row, list) and row and isinstance(row[0], str) else ""

    def tapped(index: Any) -> Any:
        rows = territory_table(engine.territories())
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(rows):
            return gr.skip()  # a card the page never showed
        return rows[index][0]

    def sheet_of(territory: Any) -> str:
        if not territory:
            return ""
        if known_territory(engine, territory) is None:
            return noted(territory_refusal(territory))
        return territory_sheet(territory, engine.territory_passages(territory))

    def ask_about(territory: Any) -> str:
        if known_territory(engine, territory) is None:
            return ""  # the chat then says to choose one in the list
        return f"Qu'attendait le territoire {territory} et quelles suites ont été données ?"

    tabs.select(load, None, [table, cards, picked], api_visibility="private")  # fresh after an ingest
    table.select(select, None, picked, api_visibility="private")
    cards.click(tapped, cards, picked, api_visibility="private").then(None, js=SHOW_SHEET)
    picked.change(sheet_of, picked, sheet, api_name="territory_sheet")
    chat.send_on(ask, ask_about, picked, "Choisissez d'abord un territoire dans la liste.")
    return table, cards, picked


MAX_CARDS = 500  # one page of cards: no pagination to find a territory on a phone
SHOW_SHEET = "() => document.querySelector('#territoire-choisi')?.scrollIntoView({block: 'start'})"


UNKNOWN_TERRITORY = "Territoire inconnu : choisissez-le dans la liste des territoires."
TERRITORY_TOO_LONG = (
    f"Nom de territoire trop long ({MAX_FILTER_CHARS} caractères au plus) : choisissez-le dans la liste."
)


def known_territory(engine: Engine, value: Any) -> str | None:
    """``value`` when it names a territory of the documents' tables (the menu's choices),
    else ``None``. The browser may send anything: its length is checked before any work, so
    a name of megabytes costs no more than a short one (it was matched against every passage,
    its pattern compiled and cached by Python)."""
    if not isinstance(value, str) or not value or len(value) > MAX_FILTER_CHARS:
        return None
    return value if value in {row.territory for row in engine.territories()} else None


def territory_refusal(value: Any) -> str:
    """Why a territory sent to the fiche is refused, in French (the value is not quoted)."""
    return (
        TERRITORY_TOO_LONG if isinstance(value, str) and len(value) > MAX_FILTER_CHARS else UNKNOWN_TERRITORY
    )


def territory_rows(engine: Engine) -> tuple[list[list[str]], Any, Any]:
    rows = territory_table(engine.territories())
    cards = gr.Dataset(samples=[[card] for card in territory_cards(rows)])
    return rows, cards, gr.Dropdown(choices=sorted({row[0] for row in rows}))


def discover_tab(engine: Engine, chat: ChatTab) -> tuple[gr.Markdown, gr.Markdown, gr.Markdown]:
    # Headings go h1 (the page) → h2 (here) → h3 (each day, card, notion): none skipped.
    gr.Markdown("## Pour démarrer\nLes quatre journées, le bilan en quelques cartes, les notions clés.")
    with gr.Accordion("Les journées", open=True):
        timeline = gr.Markdown(elem_id="frise")
    with gr.Accordion("Visite guidée du bilan", open=False):
        tour = gr.Markdown(elem_id="visite")
    with gr.Accordion("Glossaire", open=False):
        glossary = gr.Markdown(elem_id="glossaire")
    gr.Markdown("## Questions suggérées\nUn clic pose la question dans l'onglet Discuter.")
    with gr.Row(elem_id="suggestions"):
        for question in SUGGESTED_QUESTIONS:
            button = gr.Button(question, size="sm")
            chat.send_on(button, lambda q=question: q, None, "")
    return timeline, tour, glossary


def overview_texts(engine: Engine) -> tuple[str, str, str]:
    """Timeline, tour and glossary, rendered (the engine keeps them precomputed)."""
    overview = engine.overview()
    return (
        format_timeline(overview.timeline),
        format_topics(overview.tour, "Le bilan n'est pas indexé."),
        format_topics(overview.glossary, "Aucune de ces notions n'est définie dans les documents."),
    )


class UnansweredTab:
    """The questions the assistant declined, for facilitators: administrators when the app
    runs behind a login, anyone on a local app without one."""

    def __init__(self, engine: Engine, allowed: Callable[[gr.Request], bool], exchange: Exchange) -> None:
        self.engine = engine
        self.allowed = allowed
        self.exchange = exchange
        self.notice = gr.Markdown(
            "Réservé aux administrateurs.", visible=False, elem_id="sans-reponse-reserve"
        )
        with gr.Column(visible=False) as self.content:
            gr.Markdown(
                "Les questions auxquelles l'assistant n'a pas su répondre, à rapporter à la prochaine séance."
            )
            self.count = gr.Markdown(elem_id="sans-reponse-compte")
            self.table = gr.Dataframe(
                headers=UNANSWERED_HEADERS, interactive=False, wrap=True, elem_id="sans-reponse"
            )
            with gr.Row():
                refresh = gr.Button("Actualiser", size="sm")
                export = gr.Button("Exporter en CSV", size="sm")
            exported = gr.File(label="Export CSV", visible=False)
        refreshed = refresh.click(self.rows, None, self.table, api_name="unanswered")
        refreshed.then(self.count_line, None, self.count, api_visibility="private")
        export.click(self.to_csv, None, exported, api_name="unanswered_csv")

    def _check(self, request: gr.Request) -> None:
        if not self.allowed(request):
            raise refused("Réservé aux administrateurs.")

    def entries(self) -> tuple[dict[str, Any], ...]:
        """The journal's entries; damaged lines are skipped, and said so in a notice."""
        journal = self.engine.unanswered()
        if journal.skipped:
            gr.Warning(skipped_lines(journal.skipped))
        return journal.entries

    def rows(self, request: gr.Request) -> list[list[str]]:
        self._check(request)
        return unanswered_table(self.entries())

    def to_csv(self, request: gr.Request) -> Any:
        self._check(request)
        text = unanswered_csv(self.entries())
        return handed_out(self.exchange, request, "questions-sans-reponse.csv", text, CSV_ENCODING)

    def count_line(self, request: gr.Request) -> str:
        """How many questions the refreshed table shows (its notice of damaged lines is said
        once, by ``rows``)."""
        self._check(request)
        return unanswered_count(len(unanswered_table(self.engine.unanswered().entries)))

    def load(self, request: gr.Request) -> tuple[Any, Any, list[list[str]], str]:
        allowed = self.allowed(request)
        rows = unanswered_table(self.entries()) if allowed else []
        return gr.Markdown(visible=not allowed), gr.Column(visible=allowed), rows, unanswered_count(len(rows))


FILE_TYPES = [".pdf", ".md", ".txt", ".docx", ".odt"]
NOT_YOUR_UPLOAD = "Fichier introuvable : déposez-le de nouveau avant d'indexer."


class DocumentsTab:
    """What is indexed, and for an administrator, upload and removal of files."""

    def __init__(self, engine: Engine, is_admin: Callable[[gr.Request], bool], exchange: Exchange) -> None:
        self.engine = engine
        self.is_admin = is_admin
        self.exchange = exchange
        gr.Markdown("Les documents indexés.")
        self.table = gr.Dataframe(headers=DOCUMENT_HEADERS, interactive=False, elem_id="documents")
        with gr.Column(visible=False, elem_id="admin-documents") as self.admin:
            gr.Markdown("### Ajouter ou retirer des documents (administrateurs)")
            files = gr.File(file_count="multiple", file_types=FILE_TYPES, label="Fichiers à indexer")
            index = gr.Button("Indexer", variant="primary", elem_id="indexer")
            self.report = gr.Markdown(elem_id="rapport")
            with gr.Row():
                self.choice = choice([], label="Document à retirer", scale=3)
                remove = gr.Button("Retirer", variant="stop", scale=1)
        index.click(self.upload, files, [self.report, self.table, self.choice], api_name="upload")
        remove.click(self.remove, self.choice, [self.report, self.table, self.choice], api_name="remove")

    def _refreshed(self, message: str) -> tuple[str, list[list[str | int]], Any]:
        sources = [record.source for record in self.engine.documents()]
        return message, documents_rows(self.engine), gr.Dropdown(choices=sources, value=None)

    def _check_admin(self, request: gr.Request) -> None:
        if not self.is_admin(request):
            raise refused("Réservé aux administrateurs : connectez-vous avec un compte administrateur.")

    def upload(
        self,
        files: list[str] | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio finds its progress bar by this default)
    ) -> tuple[str, list[list[str | int]], Any]:
        self._check_admin(request)
        if not files:
            return notice("Choisissez d'abord un ou plusieurs fichiers.")
        if not all(self.exchange.owns(f, owner_of(request)) for f in files):  # sent by someone else
            return notice(NOT_YOUR_UPLOAD)
        try:
            return self._indexed(files, progress)
        finally:  # the store keeps its own copy: the uploaded file is not kept, even on failure
            for path in files:
                self.exchange.discard(path)

    def _indexed(self, files: list[str], progress: gr.Progress) -> tuple[str, list[list[str | int]], Any]:
        done: list[Any] = []
        progress((0, len(files)), desc="Indexation…")

        def advance(outcome: Any) -> None:
            done.append(outcome)
            status = OUTCOME_WORDS.get(outcome.status, outcome.status)
            progress((len(done), len(files)), desc=f"{Path(outcome.path).name} : {status}")

        def embedding(embedded: int, total: int) -> None:  # batch by batch: a long file moves too
            progress((embedded, total), desc=f"Calcul des vecteurs : {embedded} sur {total} textes")

        try:
            uploaded = [Path(f) for f in files]
            report = self.engine.add_files(uploaded, on_outcome=advance, on_progress=embedding)
        except UserFacingError as exc:  # a file name with nothing left once made safe
            return notice(str(exc))
        return self._refreshed(ingest_summary(report.outcomes))

    def remove(self, source: str | None, request: gr.Request) -> tuple[str, list[list[str | int]], Any]:
        self._check_admin(request)
        if not source:
            return notice("Choisissez le document à retirer.")
        try:
            self.engine.remove(source)
        except UserFacingError as exc:
            return notice(str(exc))
        return self._refreshed(f"{escape_text(source)} a été retiré de l'index.")

    def load(self, request: gr.Request) -> tuple[list[list[str | int]], Any, Any]:
        sources = [record.source for record in self.engine.documents()]
        return (
            documents_rows(self.engine),
            gr.Column(visible=self.is_admin(request)),
            gr.Dropdown(choices=sources),
        )


OUTCOME_WORDS = {"indexed": "indexé", "failed": "échec", "unchanged": "inchangé", "removed": "retiré"}


def notice(message: str) -> tuple[Any, Any, Any]:
    """A user's mistake in the Documents tab: a French toast, and nothing on screen changes
    (an error would cover the table with an overlay)."""
    gr.Warning(message)
    return gr.skip(), gr.skip(), gr.skip()


def menu_choices(engine: Engine) -> tuple[Any, Any]:
    """The chat's document and territory menus, from what is indexed."""
    sources = [record.source for record in engine.documents()]
    territories = sorted({row.territory for row in engine.territories()})
    return gr.Dropdown(choices=[ALL, *sources]), gr.Dropdown(choices=[ALL, *territories])


def documents_rows(engine: Engine) -> list[list[str | int]]:
    return document_table(engine.documents(), engine.table_rows())
