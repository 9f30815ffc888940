"""The Gradio app: ``build_app(engine)`` and ``serve``.

Six tabs (Discuter, Territoires, Leviers, Découvrir, Questions sans réponse,
Documents) built by ``chat_tab`` and ``tabs``; their content is filled when the
page loads. Importing this module loads no model and touches no disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.engine import Engine
from assistant.settings import Settings
from assistant.users import Authenticator, LoginGuard
from ui.chat_tab import ChatTab
from ui.formatting import format_status
from ui.gate import Gate, duration_text
from ui.tabs import (
    DocumentsTab,
    UnansweredTab,
    discover_tab,
    levers_tab,
    menu_choices,
    overview_texts,
    territories_tab,
    territory_rows,
)

TITLE = "Assistant du bilan des journées d'initiation"
ADDRESS_ATTEMPTS = 4  # a client address (an office behind one) may fail 4 times as often as a name


def build_app(engine: Engine, users: Authenticator | None = None) -> gr.Blocks:
    """The app; with ``users`` (the app runs behind a login), administrators may upload
    and remove documents and only they see the unanswered questions."""

    def is_admin(request: gr.Request) -> bool:
        return users is not None and users.is_admin(getattr(request, "username", None))

    def facilitator(request: gr.Request) -> bool:
        return users is None or is_admin(request)

    def status() -> str:
        state = engine.status()
        names = [record.source for record in engine.documents()]
        return format_status(names, state.chunks, state.embedding_model, state.answer_mode)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        gr.Markdown(
            f"# {TITLE}\nPosez une question sur le bilan et les notes des séances : "
            "chaque réponse cite les passages qui l'appuient."
        )
        status_line = gr.Markdown(elem_id="status")
        with gr.Tabs() as tabs:
            with gr.Tab("Discuter", id="discuter"):
                chat = ChatTab(engine)
            with gr.Tab("Territoires", id="territoires"):
                table, picked = territories_tab(engine, chat, tabs)
            with gr.Tab("Leviers", id="leviers"):
                levers = levers_tab(engine)
            with gr.Tab("Découvrir", id="decouvrir"):
                timeline, tour, glossary = discover_tab(engine, chat)
            with gr.Tab("Questions sans réponse", id="sans-reponse"):
                unanswered = UnansweredTab(engine, facilitator)
            with gr.Tab("Documents", id="documents"):
                documents = DocumentsTab(engine, is_admin)
        app.load(status, None, status_line, api_name="status")
        app.load(
            lambda: menu_choices(engine), None, [chat.document, chat.territory], api_visibility="private"
        )
        app.load(lambda: territory_rows(engine), None, [table, picked], api_name="territories")
        app.load(
            lambda: overview_texts(engine), None, [levers, timeline, tour, glossary], api_name="overview"
        )
        gated = [unanswered.notice, unanswered.content, unanswered.table]
        app.load(unanswered.load, None, gated, api_visibility="private")
        app.load(
            documents.load, None, [documents.table, documents.admin, documents.choice], api_name="documents"
        )
    return app


def serve(engine: Engine, host: str, port: int, **extra: Any) -> None:
    """Load the model and the precomputed content, then serve the app until interrupted."""
    engine.warm_up()
    if engine.store.count():
        engine.overview()
    users = Authenticator(engine.settings.auth) if engine.settings.auth else None
    launch(build_app(engine, users), engine.settings, users, host, port, **extra)


def launch(
    app: gr.Blocks, settings: Settings, users: Authenticator | None, host: str, port: int, **extra: Any
) -> None:
    """Start the server of ``app`` on ``host`` (loopback unless told otherwise): the gate in
    front of every route (``ui.gate``), a login with limited attempts when ``users`` is given,
    uploads capped at ``max_upload_mb``, and no file served but Gradio's own and the store's
    page pictures."""
    names = LoginGuard(settings.login_attempts, settings.login_lockout)
    addresses = LoginGuard(settings.login_attempts * ADDRESS_ATTEMPTS, settings.login_lockout)
    gate = Middleware(Gate, users=users, names=names, addresses=addresses)
    login = {"auth": users, "auth_message": login_message(settings)} if users else {}
    allowed, blocked = served_paths(settings.store, users.path if users else None)
    app.queue(default_concurrency_limit=settings.concurrency)
    app.launch(
        server_name=host,
        server_port=port,
        show_error=False,
        max_file_size=settings.max_upload_mb * 1024 * 1024,
        allowed_paths=allowed,
        blocked_paths=blocked,
        app_kwargs={"middleware": [gate], "openapi_url": None},
        enable_monitoring=False,
        ssr_mode=False,  # no Node proxy in front of the gate
        num_workers=0,  # no static file workers beside it either
        run_history=False,
        footer_links=["api", "settings"],
        head=FRENCH_PAGE,
        **login,
        **extra,
    )


# The page is French whatever the browser's language: Gradio sets <html lang> from the
# browser's locale (« en » in an English browser, so a screen reader would read French with
# an English voice); this keeps it « fr », even when Gradio sets it again.
FRENCH_PAGE = """<script>
(() => {
  const french = () => {
    if (document.documentElement.lang !== "fr") document.documentElement.lang = "fr";
  };
  french();
  const watched = {attributes: true, attributeFilter: ["lang"]};
  new MutationObserver(french).observe(document.documentElement, watched);
})();
</script>"""


def login_message(settings: Settings) -> str:
    return (
        f"Connectez-vous pour consulter le bilan. Après {settings.login_attempts} essais manqués, "
        f"la connexion est suspendue {duration_text(settings.login_lockout)}."
    )


def served_paths(store: Path, users_file: Path | None) -> tuple[list[str], list[str]]:
    """The folders Gradio may serve files from (the store's page pictures) and those it must
    never serve (the rest of the store: index, journals, uploaded files; the users file)."""
    store = store.resolve()
    pages = store / "pages"
    inside = sorted(p for p in store.iterdir() if p != pages) if store.is_dir() else []
    blocked = [*inside, store / "fichiers", store / "chroma.sqlite3"]
    if users_file is not None:
        blocked.append(users_file.resolve())
    return [str(pages)], sorted({str(p) for p in blocked})
