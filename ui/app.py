"""The Gradio app: ``build_app(engine)`` and ``serve``.

Six tabs (Discuter, Territoires, Leviers, Découvrir, Questions sans réponse,
Documents) built by ``chat_tab`` and ``tabs``; their content is filled when the
page loads. Importing this module loads no model and touches no disk.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import gradio as gr
import gradio.queueing
import gradio.route_utils
import gradio.routes
from gradio.route_utils import CustomCORSMiddleware
from starlette.middleware import Middleware

from assistant.engine import Engine, StoreLayout
from assistant.settings import Settings
from assistant.users import Authenticator, LoginGuard
from ui.chat_tab import ChatTab
from ui.exchange import Exchange, process_exchange
from ui.gate import Gate, duration_text, error_line
from ui.levers_tab import LeversTab
from ui.origins import configured_origins, served_names
from ui.sessions import Sessions
from ui.tab_content import format_status, knowledge_sentence
from ui.tabs import (
    DocumentsTab,
    UnansweredTab,
    discover_tab,
    menu_choices,
    overview_texts,
    territories_tab,
    territory_rows,
)

TITLE = "Assistant du bilan des journées d'initiation"
HELP = """- Posez votre question avec vos mots, en français : « Qu'attendaient les territoires de la
  journée 2 ? », « Quels leviers pour associer les habitants ? », « Combien a coûté le cycle ? ».
- Chaque réponse renvoie à ses sources : cliquez sur [1] pour lire le passage et voir la page.
- Les filtres (document, journée, territoire) restreignent la recherche ; une question de
  suite (« et pour la journée 3 ? ») reprend la précédente.
- Les onglets Territoires, Leviers et Découvrir donnent une vue d'ensemble pour démarrer."""
ADDRESS_ATTEMPTS = 4  # a client address (an office behind one) may fail 4 times as often as a name
log = logging.getLogger("bilan.ui")


def build_app(
    engine: Engine, users: Authenticator | None = None, exchange: Exchange | None = None
) -> gr.Blocks:
    """The app; with ``users`` (the app runs behind a login), administrators may upload
    and remove documents and only they see the unanswered questions. Exports and uploads
    live in ``exchange`` (by default this process's private folder, ``ui.exchange``)."""
    exchange = (exchange or process_exchange()).given_to_gradio()

    def is_admin(request: gr.Request) -> bool:
        return users is not None and users.is_admin(getattr(request, "username", None))

    def facilitator(request: gr.Request) -> bool:
        return users is None or is_admin(request)

    def status() -> str:
        state = engine.status()
        names = [record.source for record in engine.documents()]
        return format_status(names, state.chunks, state.embedding_model, state.answer_mode)

    def header() -> str:
        days = len(engine.overview().timeline) if engine.store.count() else 0
        return f"# {TITLE}\n{knowledge_sentence(engine.documents(), days)}"

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        heading = gr.Markdown(f"# {TITLE}", elem_id="entete")
        with gr.Accordion("Comment poser une question ?", open=False, elem_id="aide"):
            gr.Markdown(HELP)
        with gr.Tabs(overflow_behavior="wrap") as tabs:  # every tab named, on a phone too
            with gr.Tab("Discuter", id="discuter"):
                chat = ChatTab(engine, tabs, exchange)
            with gr.Tab("Territoires", id="territoires"):
                table, cards, picked = territories_tab(engine, chat, tabs)
            with gr.Tab("Leviers", id="leviers"):
                levers = LeversTab(engine, chat)
            with gr.Tab("Découvrir", id="decouvrir"):
                timeline, tour, glossary = discover_tab(engine, chat)
            with gr.Tab("Questions sans réponse", id="sans-reponse"):
                unanswered = UnansweredTab(engine, facilitator, exchange)
            with gr.Tab("Documents", id="documents"):
                status_line = gr.Markdown(elem_id="status")
                documents = DocumentsTab(engine, is_admin, exchange)
        app.load(header, None, heading, api_visibility="private")
        app.load(chat.restore, chat.saved, [chat.chatbot, chat.answers], api_visibility="private")
        app.load(status, None, status_line, api_name="status")
        app.load(
            lambda: menu_choices(engine), None, [chat.document, chat.territory], api_visibility="private"
        )
        app.load(lambda: territory_rows(engine), None, [table, cards, picked], api_name="territories")
        app.load(lambda: overview_texts(engine), None, [timeline, tour, glossary], api_name="overview")
        app.load(levers.load, None, levers.load_outputs, api_name="levers")
        gated = [unanswered.notice, unanswered.content, unanswered.table, unanswered.count]
        app.load(unanswered.load, None, gated, api_visibility="private")
        app.load(
            documents.load, None, [documents.table, documents.admin, documents.choice], api_name="documents"
        )
    return app


def serve(engine: Engine, host: str, port: int, **extra: Any) -> None:
    """Load the model and the precomputed content, then serve the app until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s : %(message)s")
    engine.warm_up()
    if engine.store.count():
        engine.overview()
    users = Authenticator(engine.settings.auth) if engine.settings.auth else None
    exchange = process_exchange()
    launch(build_app(engine, users, exchange), engine.settings, users, host, port, exchange=exchange, **extra)


def launch(
    app: gr.Blocks,
    settings: Settings,
    users: Authenticator | None,
    host: str,
    port: int,
    *,
    exchange: Exchange | None = None,
    **extra: Any,
) -> None:
    """Start the server of ``app`` on ``host`` (loopback unless told otherwise): the gate in
    front of every route (``ui.gate``), a login with limited attempts when ``users`` is given,
    uploads capped at ``max_upload_mb``, and no file served but Gradio's own and the store's
    page pictures, and the private folder's files to their owners only (``ui.exchange``)."""
    exchange = (exchange or process_exchange()).given_to_gradio()
    names = LoginGuard(settings.login_attempts, settings.login_lockout)
    addresses = LoginGuard(settings.login_attempts * ADDRESS_ATTEMPTS, settings.login_lockout)
    hosts = served_names(host, settings.allowed_hosts)
    sessions = Sessions(settings.session_hours)
    gate = Middleware(
        Gate,
        users=users,
        names=names,
        addresses=addresses,
        hosts=hosts,
        origins=configured_origins(settings.allowed_hosts),
        sessions=sessions,
        exchange=exchange,
        api_docs=settings.api_docs,
    )
    # Gradio awaits a coroutine function: the password hashing runs in a worker thread.
    login = {"auth": users.check, "auth_message": login_message(settings)} if users else {}
    allowed, blocked = served_paths(StoreLayout(settings.store), users.path if users else None)
    # The server (uvicorn) takes the client's address from X-Forwarded-For when the connection
    # comes from an address it trusts, 127.0.0.1 by default: any local client could then reset
    # its login count with a header. Only the configured proxies are trusted.
    os.environ["FORWARDED_ALLOW_IPS"] = ",".join(settings.trusted_proxies)
    app.queue(default_concurrency_limit=settings.concurrency)
    quiet_gradio_errors()
    app.launch(
        server_name=host,
        server_port=port,
        show_error=False,
        max_file_size=settings.max_upload_mb * 1024 * 1024,
        allowed_paths=allowed,
        blocked_paths=blocked,
        app_kwargs={"middleware": [gate], "openapi_url": None, "lifespan": gate_outside_cors},
        enable_monitoring=False,
        ssr_mode=False,  # no Node proxy in front of the gate
        num_workers=0,  # no static file workers beside it either
        run_history=False,
        theme=THEME,
        footer_links=[],  # no « Use via API » (closed) nor settings: nothing that leads nowhere
        **login,
        **extra,
    )


@asynccontextmanager
async def gate_outside_cors(app: Any) -> AsyncIterator[None]:
    """At the server's start, before any request: put the gate in front of Gradio's CORS
    middleware, which ``launch`` puts in front of the middleware it is given. The gate then
    decides which origin may read a response: Gradio's grants any origin, with the
    cookies, under a public name, and any loopback port on loopback (a page on another
    local port read the session token). The stack is built again at the first request."""
    app.user_middleware = gate_before_cors(app.user_middleware)
    app.middleware_stack = None
    yield


def gate_before_cors(stack: list[Middleware]) -> list[Middleware]:
    """``stack`` (outermost first) with the gate moved just outside Gradio's CORS middleware,
    still inside its compression (the gate rewrites the page before it is compressed)."""
    gates = [layer for layer in stack if layer.cls is Gate]
    others = [layer for layer in stack if layer.cls is not Gate]
    cors = next(i for i, layer in enumerate(others) if layer.cls is CustomCORSMiddleware)
    return [*others[:cors], *gates, *others[cors:]]


class OneLineErrors:
    """Stands for the ``traceback`` module in Gradio's queue and routes, which print the whole
    traceback of any error of a call on stderr (1.3 to 3.8 KB for a malformed call: a client
    could flood the log). The error is one short French line of the log instead; the trace
    is logged at the debug level only."""

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    @staticmethod
    def print_exc(*_: Any, **__: Any) -> None:
        error = sys.exc_info()[1]
        log.error("erreur dans un appel : %s", error_line(error) if error else "inconnue")
        log.debug("trace de l'erreur", exc_info=True)


def quiet_gradio_errors() -> None:
    for module in (gradio.queueing, gradio.routes, gradio.route_utils):
        module.traceback = OneLineErrors()  # type: ignore[attr-defined]


# One font family for every text, the system's own: Gradio's Source Sans files are cut to a
# few characters in their semi-bold weight, so headings mixed it with a fallback; tables and
# badges took a monospace font (``font_mono``): the same family there too. Colours of
# at least 4.5:1 against their background (WCAG 2.1 AA): Gradio's orange button gave 2.8:1.
FONTS = ("system-ui", "-apple-system", "Segoe UI", "Roboto", "Liberation Sans", "Arial", "sans-serif")
THEME = gr.themes.Default(primary_hue=gr.themes.colors.blue, font=FONTS, font_mono=FONTS).set(
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_text_color="white",
    button_primary_background_fill_dark="*primary_700",
)


def login_message(settings: Settings) -> str:
    return (
        f"Connectez-vous pour consulter le bilan. Après {settings.login_attempts} essais manqués, "
        f"la connexion est suspendue {duration_text(settings.login_lockout)}."
    )


def served_paths(layout: StoreLayout, users_file: Path | None) -> tuple[list[str], list[str]]:
    """The folders Gradio may serve files from (the store's page pictures) and those it must
    never serve (the rest of the store: index, journals, uploaded files; the users file)."""
    layout = StoreLayout(layout.root.resolve())
    blocked = layout.private()
    if users_file is not None:
        blocked.append(users_file.resolve())
    return [str(layout.pages)], sorted({str(p) for p in blocked})
