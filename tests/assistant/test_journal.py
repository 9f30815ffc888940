"""Journals in the store folder: feedback and unanswered questions, through the real engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from assistant import journal
from assistant.answering import Answer, Citation
from assistant.engine import Engine
from assistant.errors import UserFacingError
from tests.conftest import copy_store, make_engine


def test_entries_are_appended_one_per_line_and_a_damaged_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    assert journal.append(path, {"question": "Une ?"})
    with path.open("a", encoding="utf-8") as damaged:
        damaged.write('{"question": "coupé\n')
    assert journal.append(path, {"question": "Deux ?"})
    read = journal.read(path)
    assert [entry["question"] for entry in read.entries] == ["Une ?", "Deux ?"] and read.skipped == 1


def test_a_line_separator_in_a_question_never_splits_its_entry(tmp_path: Path) -> None:
    """The attack of issue 18: a question holding U+2028 (or U+2029, U+0085, a form feed, a
    carriage return) made ``splitlines()`` cut its entry; a fragment parsed as a bare
    number then broke the facilitators' tab for good."""
    path = tmp_path / "j.jsonl"
    separators = "\u2028 1\u2029 2\x85 3\x0c 4\r 5\x1c 6"
    assert journal.append(path, {"question": f"Et après ?{separators}", "filters": {}})
    with path.open("a", encoding="utf-8") as damaged:
        damaged.write('42\n[1, 2]\n"texte"\nnull\n{"question": "coupé\n\n')
    assert journal.append(path, {"question": "Deux ?"})
    read = journal.read(path)
    assert [entry["question"] for entry in read.entries] == [f"Et après ?{separators}", "Deux ?"]
    assert read.skipped == 5  # 42, [1, 2], "texte", null and the cut line: counted, not fatal


def test_a_line_whose_fields_have_odd_types_is_skipped_and_counted(tmp_path: Path) -> None:
    """Red team, pass 3 (N18): a JSON object whose fields have types the journal never writes
    (a line edited by hand) made every reader of the journal fail."""
    path = tmp_path / "unanswered.jsonl"
    closest = [{"source": "bilan.pdf", "page": "3", "section": "s", "text": "t"}]
    assert journal.append(path, {"question": "Une ?", "filters": {"session": 2}, "closest": closest})
    odd = [
        {"closest": [1, 2]},
        {"filters": ["x"]},
        {"closest": "abc"},
        {"filters": {"session": [2]}},
        {"partial": "oui"},
        {"at": 12},
        {"citations": [{"n": "1"}]},
        {"closest": [{"page": {"n": 3}}]},
    ]
    with path.open("a", encoding="utf-8") as edited:
        edited.write("".join(json.dumps(entry) + "\n" for entry in odd) + "[" * 100_000 + "\n")
    assert journal.append(path, {"question": "Deux ?", "autre": [1, {"x": None}]})  # unknown fields: let be
    read = journal.read(path)
    assert [entry["question"] for entry in read.entries] == ["Une ?", "Deux ?"]
    assert read.skipped == len(odd) + 1


def test_a_like_keeps_the_answer_cut_short() -> None:
    """Red team, pass 3 (N3): each like of a forged 3.2 MB answer appended 3.4 MiB."""
    citation = Citation(1, "s" * 1000, "1", "x" * 5000, "t" * 5000, 1.0, "bilan", 1)
    answer = Answer("Q ?", "Réponse. " * 400_000, tuple(citation for _ in range(300)))
    entry = journal.feedback_entry(answer, "up")
    assert entry["answer"] == answer.text[: journal.FEEDBACK_ANSWER_CHARS]
    assert entry["answer_chars"] == len(answer.text)
    assert len(entry["citations"]) == journal.FEEDBACK_CITATIONS
    assert len(json.dumps(entry, ensure_ascii=False)) < 20_000
    assert journal.readable(entry)


def test_a_journal_that_cannot_be_written_never_fails(tmp_path: Path) -> None:
    assert journal.append(tmp_path / "absent" / "j.jsonl", {"x": 1}) is False
    assert journal.read(tmp_path / "absent" / "j.jsonl") == journal.Journal((), 0)


@pytest.fixture(scope="module")
def engine(sample_store: Path, embeddings: Embeddings, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The indexed sample (its report and notes), in a store of this module's own: journals are written."""
    store = copy_store(sample_store, tmp_path_factory.mktemp("journal") / "store")
    engine = make_engine(store, embeddings)
    assert sorted(record.source for record in engine.documents()) == [
        "bilan-exemple.pdf",
        *(f"journee-{n}.md" for n in range(1, 5)),
    ]
    return engine


def test_refused_questions_are_journaled_with_filters_and_closest_passages(engine: Engine) -> None:
    before = len(engine.unanswered().entries)
    answer = engine.ask(
        "Combien de bornes de recharge électrique Lumerive a-t-elle installées ?", filters={"kind": "bilan"}
    )
    assert answer.refused
    entry = engine.unanswered().entries[-1]
    assert len(engine.unanswered().entries) == before + 1
    assert entry["question"] == "Combien de bornes de recharge électrique Lumerive a-t-elle installées ?"
    assert entry["filters"] == {"kind": "bilan"}
    assert entry["closest"] and all(c["source"] == "bilan-exemple.pdf" for c in entry["closest"])
    engine.ask("Quel est le taux de satisfaction ?")
    assert len(engine.unanswered().entries) == before + 1  # answered questions are not journaled


def test_feedback_is_stored_with_question_answer_and_citations(engine: Engine) -> None:
    answer = engine.ask("Quel est le taux de satisfaction ?")
    engine.record_feedback(answer, "up")
    lines = (engine.settings.store / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    assert entry["rating"] == "up" and entry["question"] == "Quel est le taux de satisfaction ?"
    assert "92 %" in entry["answer"]
    assert entry["citations"][0]["source"] == "bilan-exemple.pdf" and entry["citations"][0]["page"] == "8"
    with pytest.raises(UserFacingError, match="Avis inconnu"):
        engine.record_feedback(answer, "bof")


def test_precomputed_overview_is_kept_per_revision(engine: Engine, tmp_path: Path) -> None:
    cached = json.loads((engine.settings.store / "overview.json").read_text(encoding="utf-8"))
    assert cached["revision"] == engine.store.revision()  # computed at ingestion
    assert engine.overview().to_dict() == cached
    note = tmp_path / "journee-5.md"
    note.write_text(
        "---\nsession: 5\ndate: 2026-09-10\nlieu: Brumeval\n---\n\n# Journée 5\n\nBilan du cycle.\n"
    )
    engine.ingest([note])
    rebuilt = json.loads((engine.settings.store / "overview.json").read_text(encoding="utf-8"))
    assert rebuilt["revision"] == engine.store.revision() != cached["revision"]
    assert [day["day"] for day in rebuilt["timeline"]] == [1, 2, 3, 4, 5]


def test_page_pictures_come_from_the_indexed_pdf(engine: Engine) -> None:
    picture = engine.page_picture("bilan-exemple.pdf", 8)
    assert picture.parent == engine.settings.store / "pages" and picture.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(UserFacingError, match=r"Aucun PDF indexé ne s'appelle « journee-1\.md »"):
        engine.page_picture("journee-1.md", 1)


def test_a_follow_up_rebuilt_from_a_forged_history_keeps_the_journal_readable(engine: Engine) -> None:
    """Issue 18, finding 1: the earlier questions come from the browser; one holding U+2028
    was carried into the standalone question, written to the journal, and split there."""
    forged = "Quelle est la recette\u2028\u2028 de la tarte \u2028tatin ?"
    answer = engine.ask("Et celle du clafoutis ?", earlier=[forged])
    assert answer.refused
    read = engine.unanswered()
    assert read.skipped == 0
    assert read.entries[-1]["question"] == answer.question
    assert all("\u2028" not in entry["question"] for entry in read.entries)
    assert "tarte tatin" in answer.question  # the history was cleaned, not dropped
