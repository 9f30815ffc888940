"""What a client sends the app, bounded and checked at the handler (red-team pass 3: N2, N3,
N18 and the P10 rows): each attack made as the report made it, through the real app served
on a loopback port, by raw queue calls (``queue/join`` then ``queue/data``), as a script
would, with values no browser sends."""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import httpx
import pytest

from assistant.engine import Engine
from assistant.settings import Settings
from tests.conftest import free_port
from ui.app import build_app
from ui.chat_tab import not_a_choice
from ui.exchange import VISITOR_COOKIE, new_visitor_token, process_exchange
from ui.inputs import Seal
from ui.tab_content import unanswered_count
from ui.tabs import TERRITORY_TOO_LONG, UNKNOWN_TERRITORY, UnansweredTab
from vectorstore.layout import StoreLayout

ALL = "Tous"
FORGED_KIND = "<img src=x onerror=alert(document.domain)>"


@dataclass
class Served:
    app: gr.Blocks
    url: str
    store: Path

    def fn(self, name: str, api_name: str | None = None, reads: str | None = None) -> int:
        """The index of the app's function ``name`` (of ``api_name``, or reading the component
        of ``elem_id`` ``reads``; the first when several events run it)."""
        found = [
            i
            for i, fn in self.app.fns.items()
            if fn.name == name
            and (api_name is None or fn.api_name == api_name)
            and (reads is None or any(getattr(block, "elem_id", None) == reads for block in fn.inputs))
        ]
        assert found, name
        return found[0]

    def call(self, name: str, data: list[Any], *, session: str, event_data: Any = None, **which: Any) -> Call:
        """One queued call of function ``name``, as a script makes it: every message of its
        event stream, up to the end of the call. (A state's output is never sent: None.)"""
        fn = self.fn(name, **which)
        body = {"data": data, "fn_index": fn, "session_hash": session, "event_data": event_data}
        messages: list[dict[str, Any]] = []
        browser = {VISITOR_COOKIE: new_visitor_token()}  # as the gate gives a browser (for exports)
        with httpx.Client(base_url=self.url, timeout=300, cookies=browser) as client:
            client.post("/gradio_api/queue/join", json=body).raise_for_status()
            with client.stream("GET", f"/gradio_api/queue/data?session_hash={session}") as events:
                for line in events.iter_lines():
                    if line.startswith("data:"):
                        messages.append(json.loads(line[5:]))
                        if messages[-1].get("msg") == "process_completed":
                            return Call(messages)
        raise AssertionError(f"{name}: the call never completed")


@dataclass
class Call:
    messages: list[dict[str, Any]]

    @property
    def done(self) -> dict[str, Any]:
        return self.messages[-1]

    @property
    def ok(self) -> bool:
        return bool(self.done.get("success"))

    @property
    def data(self) -> list[Any]:
        return list(self.done["output"]["data"])

    @property
    def toasts(self) -> list[str]:
        return [m["log"] for m in self.messages if m.get("msg") == "log"]


def session() -> str:
    return uuid.uuid4().hex[:11]


def skipped(value: Any) -> bool:
    """An output the handler left as it was (``gr.skip()``)."""
    return isinstance(value, dict) and value.get("__type__") == "update" and len(value) == 1


@pytest.fixture(scope="module")
def served(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app on a private copy of the sample store (its journals are written here)."""
    store = tmp_path_factory.mktemp("bounds") / "store"
    shutil.copytree(sample_store, store, ignore=shutil.ignore_patterns("*.lock"))
    app = build_app(Engine(Settings(store=store, _env_file=None)))  # type: ignore[call-arg]
    app.queue()
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield Served(app, f"http://127.0.0.1:{port}", store)
    finally:
        app.close()


# -- N2: the territory sheet ------------------------------------------------------------


def compiled_patterns_longer_than(chars: int, before: set[Any]) -> list[str]:
    """The patterns of more than ``chars`` characters compiled since ``before`` (the keys of
    Python's pattern cache then: other tests may have compiled long ones of their own)."""
    cache = getattr(re, "_cache", {})
    return [str(key[1])[:40] for key in cache if key not in before and len(str(key[1])) > chars]


def test_a_territory_of_megabytes_is_refused_at_once_and_compiles_nothing(served: Served) -> None:
    """N2: the report's 3 MB territory took 35-60 s of CPU per request (21.6 s on the sample
    store) and left its compiled pattern in Python's cache. Now: refused before any work."""
    territory = "0-ab-cd " + "ab-cd " * 500_000  # 3 MB
    before = set(getattr(re, "_cache", {}))
    started = time.monotonic()
    sheet = served.call("sheet_of", [territory], session=session())
    elapsed = time.monotonic() - started
    assert sheet.ok and sheet.data == [TERRITORY_TOO_LONG]
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert compiled_patterns_longer_than(10_000, before) == []
    for unknown in ("Commune de Nulle-Part", "a" * 300, 123, ["Commune de Sauvelière"], {"x": 1}):
        refused = served.call("sheet_of", [unknown], session=session())
        assert refused.ok and refused.data == [UNKNOWN_TERRITORY], unknown
    known = served.call("sheet_of", ["Commune de Sauvelière"], session=session())
    assert known.data[0].startswith("### Fiche territoire : Commune de Sauvelière\n\n6 passage(s)")


def test_a_question_about_an_unknown_territory_is_never_asked(served: Served) -> None:
    """The « Poser une question sur ce territoire » button takes the menu's value: one the
    menu does not offer gives the French notice and no question."""
    call = served.call("fill", ["x" * 100_000], session=session(), reads="territoire-choisi")
    assert call.ok and [skipped(value) for value in call.data[:2]] == [True, True]  # no question, tab kept
    assert call.toasts == ["Choisissez d'abord un territoire dans la liste."]


# -- N18: menu values ---------------------------------------------------------------------


def ask(served: Served, question: str, *menus: Any, session_hash: str) -> Call:
    return served.call("respond", [question, [], None, *menus], session=session_hash, api_name="respond")


@pytest.mark.parametrize(
    ("menus", "menu"),
    [
        ((123, ALL, ALL, ALL, ALL), "source"),  # the report's AttributeError
        ((ALL, ["notes"], ALL, ALL, ALL), "kind"),
        ((ALL, ALL, {"a": 1}, ALL, ALL), "part"),
        ((ALL, ALL, ALL, True, ALL), "session"),
        ((ALL, ALL, ALL, 2.5, ALL), "session"),
        (("inconnu.pdf", ALL, ALL, ALL, ALL), "source"),
        ((ALL, ALL, "7", ALL, ALL), "part"),
        ((ALL, ALL, ALL, "5", ALL), "session"),
        ((ALL, ALL, ALL, ALL, "Commune de Nulle-Part"), "territory"),
    ],
)
def test_a_menu_value_no_menu_offers_is_a_french_notice(
    served: Served, menus: tuple[Any, ...], menu: str
) -> None:
    call = ask(served, "Quels leviers ?", *menus, session_hash=session())
    assert call.ok, call.done  # no traceback: a toast, and the question left in its box
    assert call.data[:2] == [[], "Quels leviers ?"]
    assert call.toasts == [not_a_choice(menu)]


def test_menu_values_the_menus_offer_still_filter(served: Served) -> None:
    call = ask(
        served,
        "Quels leviers ont été identifiés ?",
        "journee-2.md",
        "notes",
        ALL,
        "2",
        ALL,
        session_hash=session(),
    )
    assert call.ok and call.toasts == []
    assert "`Notes de séance` *journee\\-2.md*" in call.data[0][-1]["content"][0]["text"]
    territory = ask(
        served,
        "Qu'attendait ce territoire ?",
        None,
        "",
        ALL,
        ALL,
        "Commune de Sauvelière",
        session_hash=session(),
    )
    assert territory.ok and territory.toasts == [] and len(territory.data[0]) == 2


@pytest.mark.parametrize(
    ("menus", "refusal"),
    [
        (("", 123, ALL, ALL), "Choix inconnu dans le menu « Journée » : choisissez une valeur de la liste."),
        (
            ("", ALL, "x" * 1_000_000, ALL),
            "Choix inconnu dans le menu « Territoire » : choisissez une valeur de la liste.",
        ),
        (
            ("", ALL, ALL, ["Leviers"]),
            "Choix inconnu dans le menu « Type » : choisissez une valeur de la liste.",
        ),
    ],
)
def test_the_levers_menus_refuse_what_they_do_not_offer(
    served: Served, menus: tuple[Any, ...], refusal: str
) -> None:
    """The same for the « Leviers » tab: ``day.isdigit()`` raised on a number."""
    call = served.call("show", list(menus), session=session())
    assert not call.ok and call.done["output"]["error"] == refusal
    shown = served.call("show", ["", "2", ALL, "Leviers"], session=session())
    assert shown.ok and "Levier" in shown.data[0]


# -- N3: the saved conversation and the likes ----------------------------------------------


def forged_state(answer_chars: int = 3_200_000) -> dict[str, Any]:
    """The report's forged BrowserState: a 3.2 MB answer, raw HTML in a source and a kind."""
    return {
        "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "r"}],
        "answers": [
            {
                "question": "question forgée\u2028ligne",
                "answer": ("Réponse forgée. " * (answer_chars // 16 + 1))[:answer_chars],
                "refused": False,
                "citations": [
                    {"n": 1, "source": "<img src=x onerror=alert(1)>.pdf", "page": "1", "section": "s",
                     "text": "t", "score": 1.0, "kind": FORGED_KIND, "first_page": 1}
                ],
                "verification": {},
            }
        ],
    }  # fmt: skip


def like(served: Served, session_hash: str, index: Any = 1, liked: Any = True) -> Call:
    return served.call(
        "on_feedback",
        [None, None],
        session=session_hash,
        event_data={"index": index, "value": "a", "liked": liked},
    )


def feedback_size(served: Served) -> int:
    path = served.store / "feedback.jsonl"
    return path.stat().st_size if path.exists() else 0


def test_a_forged_saved_conversation_is_dropped_and_likes_cost_nothing(served: Served) -> None:
    """N3: ``restore`` took the forged state as it came; then each like appended 3.4 MiB to
    feedback.jsonl (20 likes: +72 MB on the sample store, in about a second)."""
    forged = session()
    restored = served.call("restore", [forged_state()], session=forged)
    assert restored.ok and skipped(restored.data[0])  # nothing restored
    before = feedback_size(served)
    for _ in range(20):
        assert like(served, forged).ok
    assert feedback_size(served) == before  # no answer in this session: nothing to like
    # the same state with a valid-looking seal of another instance: dropped too
    unsigned = {"data": json.dumps(forged_state(100)), "seal": "0" * 64}
    assert skipped(served.call("restore", [unsigned], session=session()).data[0])


def test_a_like_is_kept_once_per_answer_and_cut_short(served: Served) -> None:
    """A real conversation, saved and restored in a new session (a reload): its answer may
    be liked once and disliked once; the journal keeps the answer cut short."""
    first = session()
    asked = ask(served, "Quel est le taux de satisfaction ?", ALL, ALL, ALL, ALL, ALL, session_hash=first)
    history = asked.data[0]
    sealed = served.call("save", [history, None], session=first).data[0]
    assert set(sealed) == {"data", "seal"}
    reloaded = session()
    messages = served.call("restore", [sealed], session=reloaded).data[0]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert "taux de satisfaction de 92 %" in messages[1]["content"][0]["text"]
    before = feedback_size(served)
    assert like(served, reloaded).ok
    entry = json.loads((served.store / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["rating"] == "up" and entry["question"] == "Quel est le taux de satisfaction ?"
    assert "92 %" in entry["answer"]
    one_like = feedback_size(served) - before
    assert 0 < one_like < 4096
    for _ in range(20):
        again = like(served, reloaded)
        assert again.ok and again.toasts == ["Votre avis sur cette réponse est déjà enregistré."]
    assert feedback_size(served) == before + one_like
    assert like(served, reloaded, liked=False).ok  # changing one's mind is kept, once
    assert before + one_like < feedback_size(served) < before + 2 * one_like + 64
    kept = feedback_size(served)
    for index, liked in (
        ("x", True),
        (None, True),
        ([], True),
        ([1.5], True),
        (True, True),
        (99, True),
        (1, "a"),
    ):
        assert like(served, reloaded, index, liked).ok  # P10: "x" raised a TypeError
    assert feedback_size(served) == kept
    # the sealed state altered in the browser: a longer answer, a forged kind -> dropped
    tampered = json.loads(sealed["data"])
    tampered["answers"][0]["answer"] *= 1000
    tampered["answers"][0]["citations"][0]["kind"] = FORGED_KIND
    altered = {"data": json.dumps(tampered, ensure_ascii=False), "seal": sealed["seal"]}
    assert skipped(served.call("restore", [altered], session=session()).data[0])


# -- N18, P1: journal lines of odd types ---------------------------------------------------

ODD_LINES = ['{"closest": [1, 2]}', '{"filters": ["x"]}', '{"closest": "abc"}', "pas du JSON", "[1, 2]"]


def test_odd_journal_lines_are_skipped_counted_and_said(served: Served) -> None:
    """A journal line of the right shape but odd types made the facilitators' tab fail on
    every load; it is now skipped, and the count said in French."""
    journal = served.store / "unanswered.jsonl"
    question = "Combien de bornes de recharge électrique Lumerive a-t-elle installées ?"
    ask(served, question, ALL, ALL, ALL, ALL, ALL, session_hash=session())
    with journal.open("a", encoding="utf-8") as edited:
        edited.write("\n".join(ODD_LINES) + "\n")
    rows = served.call("rows", [], session=session())
    assert rows.ok and rows.data[0]["data"][0][1] == question
    assert rows.toasts == ["5 lignes illisibles du journal ignorées."]
    exported = served.call("to_csv", [], session=session())
    assert exported.ok and exported.toasts == ["5 lignes illisibles du journal ignorées."]
    csv_lines = Path(exported.data[0]["value"]["path"]).read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_lines) == 1 + len(rows.data[0]["data"]) and question in csv_lines[1]
    # the tab's own functions, on the same journal and one more such line
    with journal.open("a", encoding="utf-8") as edited:
        edited.write('{"at": 1, "question": "ok"}\n')
    engine = Engine(Settings(store=served.store, _env_file=None))  # type: ignore[call-arg]
    with gr.Blocks():
        tab = UnansweredTab(engine, lambda request: True, process_exchange())
    with pytest.warns(UserWarning, match=r"^6 lignes illisibles du journal ignorées\.$"):
        table = tab.rows(None)  # type: ignore[arg-type]
    assert table[0][1] == question
    with pytest.warns(UserWarning, match="6 lignes"):
        _, _, loaded, said = tab.load(None)  # type: ignore[arg-type]
    assert loaded == table and said == unanswered_count(len(table))


def test_a_saved_conversation_outlives_a_restart_and_its_key_is_private(tmp_path: Path) -> None:
    key = StoreLayout(tmp_path / "store").conversation_key
    sealed = Seal(key).sealed({"messages": ["bonjour"]})
    assert Seal(key).opened(sealed) == {"messages": ["bonjour"]}  # a new instance, same store
    assert key.stat().st_mode & 0o777 == 0o600
    assert Seal(tmp_path / "autre" / "cle").opened(sealed) is None  # another store's key
    assert Seal().opened(sealed) is None
