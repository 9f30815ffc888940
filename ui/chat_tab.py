"""The "Discuter" tab: the chat with its filters, citation cards (each with its page picture), feedback
and export. Handlers stay short: the engine answers, pure formatters render."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from assistant.answering import Answer
from assistant.engine import Engine
from assistant.errors import UserFacingError
from assistant.user_text import cleaned, storable
from assistant.wording import ALL, DOCUMENT_KINDS, menu_filters
from ui.answer_markdown import (
    answer_anchor,
    conversation_markdown,
    format_answer,
    format_draft,
    format_understood,
)
from ui.downloads import handed_out
from ui.escaping import escape_text, message_text
from ui.exchange import Exchange
from ui.inputs import Seal, choice, noted, saved_conversation
from ui.pictures import picture_html

MAX_EXCHANGES = 50  # questions in one conversation: the browser sends it back with each one
LONG_CONVERSATION = (
    f"Cette conversation compte déjà {MAX_EXCHANGES} questions : exportez-la si besoin, "
    "puis cliquez sur « Nouvelle conversation » pour continuer."
)
EXAMPLES = [
    "Qu'est-ce qu'une communauté apprenante ?",
    "Quels leviers ont été identifiés lors de la journée 2 ?",
    "Qu'attendaient les territoires de la première journée ?",
    "Combien de territoires ont participé aux journées ?",
]
CHAT_MIN_HEIGHT = "10rem"  # the empty chat: the question box stays on a phone's first screen
Message = dict[str, str]
Reply = tuple[list[Message], str, list[dict[str, Any]]]  # the chat, the question box, the answers


MENUS = {  # the filter menus beside the chat, in their order, by filter key
    "source": "Document",
    "kind": "Type de document",
    "part": "Partie du bilan",
    "session": "Journée",
    "territory": "Territoire",
}
NUMBERS = ["1", "2", "3", "4"]  # the parts of the report, the days


def not_a_choice(key: str) -> str:
    return f"Choix inconnu dans le menu « {MENUS[key]} » : choisissez une valeur de la liste."


def filters_from(*menus: Any) -> dict[str, str | int]:
    """The engine's filters from the filter menus ("Tous" or nothing means no filter), read
    by the rules of ``ask --filter`` (``assistant.wording``). A browser may send any JSON
    value: one that is not text is refused in French, like a value the rules refuse."""
    chosen = dict(zip(MENUS, menus, strict=True))
    for key, value in chosen.items():
        if value is not None and not isinstance(value, str):
            raise UserFacingError(not_a_choice(key))
    return menu_filters({key: value or "" for key, value in chosen.items()})


def card_pictures(engine: Engine, answer: Answer) -> dict[int, str]:
    """Each cited PDF passage's picture (cut from its page, linked to the whole page), by
    citation number, once per answer (``Engine.answer_pictures``: one snapshot for all)."""
    return {n: picture_html(picture) for n, picture in engine.answer_pictures(answer).items()}


def new_conversation() -> tuple[list[Message], str, list[dict[str, Any]], Any, dict[str, Any]]:
    """Empty chat, question box and answers, the export hidden, nothing saved."""
    return [], "", [], gr.File(value=None, visible=False), {}


def liked_answer(answers: Any, index: Any) -> Answer | None:
    """The answer a like or dislike is about: ``index`` is its message's (an int, or a pair
    whose first is; user and assistant messages alternate); ``None`` for anything else."""
    if isinstance(index, list | tuple) and index:
        index = index[0]
    if not isinstance(index, int) or isinstance(index, bool) or not isinstance(answers, list):
        return None
    position = index // 2
    if not 0 <= position < len(answers):
        return None
    try:
        return Answer.from_dict(answers[position])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


# The chat does not scroll to its end (the last source card): the view goes to the start of
# the new answer, in the chat's own scroll area and in the page (a phone shows one at a time).
SCROLL_TO_ANSWER = """() => {
  const answers = document.querySelectorAll("#chat .message-row.bot-row, #chat [data-testid='bot']");
  const last = answers[answers.length - 1];
  if (last) last.scrollIntoView({block: "start"});
}"""


SHOW_EXPORT = "() => document.querySelector('#export')?.scrollIntoView({block: 'center'})"


class ChatTab:
    """The components of the tab, so the other tabs can send a question to it."""

    def __init__(self, engine: Engine, tabs: gr.Tabs, exchange: Exchange) -> None:
        self.engine = engine
        self.exchange = exchange
        self.tabs = tabs
        with gr.Row():
            with gr.Column(scale=3):
                self.chatbot = gr.Chatbot(
                    label="Discussion",
                    show_label=False,  # a floating label covered the top of the messages
                    height=None,  # grows with its messages: the page is the one scrolling area
                    min_height=CHAT_MIN_HEIGHT,
                    buttons=["copy", "copy_all"],
                    feedback_options=("Like", "Dislike"),
                    placeholder="Les réponses apparaîtront ici, avec leurs sources.",
                    elem_id="chat",
                    autoscroll=False,
                )
                # Kept at the bottom of the screen while the messages scroll (``ui.french``): a
                # phone shows where to type on arrival and after every answer.
                with gr.Row(elem_id="saisie", equal_height=True):
                    self.question = gr.Textbox(
                        show_label=False,
                        placeholder="Posez votre question…",
                        max_length=engine.settings.max_question_chars,
                        scale=8,
                        min_width=120,
                        elem_id="question",
                    )
                    send = gr.Button("Envoyer", variant="primary", scale=1, min_width=80, elem_id="send")
                gr.Examples(EXAMPLES, inputs=self.question, label="Exemples de questions")
                with gr.Row():
                    fresh = gr.Button("Nouvelle conversation", size="sm", elem_id="nouvelle")
                    export = gr.Button("Exporter la conversation (Markdown)", size="sm")
                    exported = gr.File(label="Conversation exportée", visible=False, elem_id="export")
            with gr.Column(scale=1, min_width=240), gr.Accordion("Filtres", open=True):
                self.document = choice([ALL], value=ALL, label="Document")
                self.kind = choice([ALL, *DOCUMENT_KINDS], value=ALL, label="Type de document")
                self.part = choice([ALL, "1", "2", "3", "4"], value=ALL, label="Partie du bilan")
                self.day = choice([ALL, "1", "2", "3", "4"], value=ALL, label="Journée")
                self.territory = choice([ALL], value=ALL, label="Territoire")
        self.answers = gr.State([])
        self.rated: gr.State = gr.State([])  # the likes and dislikes already kept, this session
        self.pending = gr.State("")  # a question another tab sends
        # The conversation in the browser's storage, sealed by this instance (``ui.inputs.Seal``:
        # Gradio's encryption is the browser's own): a reload of the page gives it back;
        # « Nouvelle conversation » empties it.
        self.seal = Seal(engine.layout.conversation_key)  # kept across restarts
        self.saved = gr.BrowserState({})
        inputs = [self.question, self.chatbot, self.answers, self.document, self.kind, self.part, self.day,
                  self.territory]  # fmt: skip
        outputs = [self.chatbot, self.question, self.answers]
        self.inputs, self.outputs = inputs, outputs
        self.sent_inputs = [self.pending, *inputs[1:]]
        for asked in (
            self.question.submit(self.respond, inputs, outputs, api_name="respond"),
            send.click(self.respond, inputs, outputs, api_visibility="private"),
        ):
            self.after_answer(asked)
        self.chatbot.like(
            self.on_feedback, [self.answers, self.rated], [self.rated], api_visibility="private"
        )
        exporting = export.click(self.export, [self.answers], [exported], api_name="export")
        exporting.then(None, js=SHOW_EXPORT)  # the file to download, not below the screen
        # A new conversation leaves nothing of the last one: messages, answers, export, storage.
        everything = [self.chatbot, self.question, self.answers, exported, self.saved]
        fresh.click(new_conversation, None, everything, api_visibility="private")
        self.chatbot.clear(new_conversation, None, everything, api_visibility="private")

    def send_on(self, button: gr.Button, question_of: Callable[..., str], inputs: Any, missing: str) -> None:
        """``button`` (on another tab) asks ``question_of(inputs)`` in the chat: the question
        shows in the box, the Discuter tab opens and the answer comes. With no question (nothing
        chosen), a French notice says what to do and nothing else changes."""

        def fill(*values: Any) -> tuple[Any, Any, str]:
            question = question_of(*values)
            if not question:
                gr.Warning(missing)
                return gr.skip(), gr.skip(), ""
            return question, gr.Tabs(selected="discuter"), question

        filled = button.click(
            fill, inputs, [self.question, self.tabs, self.pending], api_visibility="private"
        )
        self.after_answer(
            filled.then(self.respond_sent, self.sent_inputs, self.outputs, api_visibility="private")
        )

    def respond_sent(self, question: str, *rest: Any) -> Iterator[Reply]:
        """The answer to a question another tab sent; nothing when it sent none."""
        if question:
            yield from self.respond(question, *rest)

    def after_answer(self, answered: Any) -> None:
        """Once an answer is shown: the view goes to its start, the conversation is saved."""
        answered.then(None, js=SCROLL_TO_ANSWER).then(
            self.save, [self.chatbot, self.answers], self.saved, api_visibility="private"
        )

    def save(self, messages: list[Message] | None, answers: list[dict[str, Any]] | None) -> dict[str, str]:
        """The conversation for the browser to keep, sealed."""
        return self.seal.sealed({"messages": messages or [], "answers": answers or []})

    def restore(self, saved: Any) -> tuple[Any, Any]:
        """The conversation saved in the browser, after a reload: only what this instance
        sealed, unchanged and within bounds (``ui.inputs``); anything else is dropped. Nothing
        to restore changes nothing: on a busy server this load event may end after a first
        question was answered, and an empty restore would then wipe that answer."""
        restored = saved_conversation(self.seal.opened(saved), MAX_EXCHANGES)
        if restored is None or not restored[0]:
            if saved:
                noted("conversation enregistrée non restaurée : scellé absent ou altéré, ou contenu invalide")
            return gr.skip(), gr.skip()
        return restored

    def respond(
        self, question: str, history: list[Message] | None, answers: list[dict[str, Any]] | None, *menus: str
    ) -> Iterator[Reply]:
        if len(answers or []) >= MAX_EXCHANGES or len(history or []) >= 2 * MAX_EXCHANGES:
            gr.Warning(LONG_CONVERSATION)  # bounded: what the browser sends back, and keeps
            yield history or [], storable(question), answers or []
            return
        earlier = [message_text(m["content"]) for m in history or [] if m.get("role") == "user"]
        shown = [*(history or []), {"role": "user", "content": escape_text(question)}]  # shown as text
        draft = ""
        try:
            for event in self.engine.ask_stream(question, filters=self.filters(*menus), earlier=earlier):
                if isinstance(event, str):  # a language model writing: show it as it comes
                    draft += event
                    reply = {"role": "assistant", "content": format_draft(draft)}
                    yield [*shown, reply], "", answers or []
                else:
                    notice = f"*{escape_text(event.notice)}*\n\n" if event.notice else ""  # model failed
                    anchor = f"r{len(answers or []) + 1}-"  # this answer's cards, not an earlier one's
                    cards = format_answer(event, anchor, card_pictures(self.engine, event))
                    content = format_understood(question, event.question) + notice + cards
                    reply = {"role": "assistant", "content": content}
                    done = [*(answers or []), event.to_dict()]
                    yield [*shown, reply], "", done
        except UserFacingError as exc:  # a toast; the question stays in the box to be corrected
            if self.engine.settings.debug:
                raise
            gr.Warning(noted(str(exc)))
            yield history or [], storable(question), answers or []

    def filters(self, *menus: Any) -> dict[str, str | int]:
        """``filters_from`` the menus, each value one of its menu's choices (the documents and
        territories indexed, the kinds, parts and days), or a French ``UserFacingError``."""
        filters = filters_from(*menus)
        for key, value in filters.items():
            if str(value) not in self.menu_choices(key):
                raise UserFacingError(not_a_choice(key))
        return filters

    def menu_choices(self, key: str) -> set[str]:
        """The choices of the menu of filter ``key``, as ``menu_filters`` reads them."""
        if key == "source":
            names = [record.source for record in self.engine.documents()]
        elif key == "territory":
            names = [row.territory for row in self.engine.territories()]
        else:
            names = list(DOCUMENT_KINDS) if key == "kind" else NUMBERS
        return {cleaned(name, "Le filtre") for name in names}

    def on_feedback(self, answers: list[dict[str, Any]], rated: list[str], data: gr.LikeData) -> Any:
        """Keep a like or dislike, once per answer and rating in a session (the journal
        cuts the answer short: ``assistant.journal``)."""
        answer = liked_answer(answers, data.index)
        if answer is None or not isinstance(data.liked, bool):
            return gr.skip()
        rating = "up" if data.liked else "down"
        key = f"{rating}-{answer_anchor(answer)}"
        if key in (rated or []):
            gr.Info("Votre avis sur cette réponse est déjà enregistré.")
            return gr.skip()
        self.engine.record_feedback(answer, rating)
        gr.Info("Merci : votre avis est enregistré.")
        return [*(rated or []), key]

    def export(self, answers: list[dict[str, Any]], request: gr.Request) -> Any:
        """The conversation as Markdown, for the person who asked only."""
        if not answers:
            gr.Warning("La conversation est vide : rien à exporter.")
            return gr.skip()
        text = conversation_markdown([Answer.from_dict(a) for a in answers])
        return handed_out(self.exchange, request, "conversation.md", text)
