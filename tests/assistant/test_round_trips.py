"""One question reads the store's revision once and makes at most two Chroma round trips
(the revision, the dense search), whatever path it takes; an answer's pictures one more.

Counted on the real sample store by wrapping chromadb's ``Collection`` methods, as
``bench/round_trips.py`` does for the figures in the README.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection

from assistant.engine import Engine
from vectorstore.store import ChromaStore

CALLS = ("get", "query", "count", "upsert", "add", "update", "delete", "modify", "peek")
QUESTIONS = [
    "Qu'attendaient les territoires de la deuxième journée ?",  # a list, scoped to one day
    "Combien a coûté le cycle de journées ?",  # a figure
    "Quels territoires ont participé à la journée 3 ?",  # read off the tables
    "De quoi parlent les documents ?",  # the tour
    "Quelle est la recette de la tarte tatin ?",  # refused, journaled
]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()

    def counting(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[label] += 1
            return function(*args, **kwargs)

        return wrapper

    for name in CALLS:
        monkeypatch.setattr(Collection, name, counting("chroma", getattr(Collection, name)))
    monkeypatch.setattr(ChromaStore, "revision", counting("revision", ChromaStore.revision))
    return calls


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_question_reads_one_revision_in_two_round_trips(
    sample_engine: Engine, question: str, request: pytest.FixtureRequest
) -> None:
    sample_engine.ask(question)  # warm: indexes and manifest of this revision read once
    counted = request.getfixturevalue("counted")
    answer = sample_engine.ask(question)
    assert answer.text
    assert counted["revision"] == 1
    assert 1 <= counted["chroma"] <= 2


def test_an_answers_pictures_come_from_one_snapshot(sample_engine: Engine, counted: Counter[str]) -> None:
    answer = sample_engine.ask("Qu'attendaient les territoires de la deuxième journée ?")
    counted.clear()
    pictures = sample_engine.answer_pictures(answer)
    assert counted["revision"] == 1 and counted["chroma"] == 1
    assert sorted(pictures) == [1, 2, 3]  # each territory's row, cut from page 4
    assert all(picture.page == 4 and picture.located for picture in pictures.values())
    assert len({picture.crop for picture in pictures.values()}) == 3
