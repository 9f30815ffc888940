"""What a person types is cleaned at the edge: the attacks of issue 18 end as clean text or
a French refusal, never in a journal line, a log line or a crash."""

from __future__ import annotations

import pytest

from assistant.errors import UserFacingError
from assistant.user_text import MAX_EARLIER, bounded_history, cleaned, shown, storable
from assistant.wording import parse_filters


def test_separators_controls_and_format_characters_are_cleaned() -> None:
    typed = "Et\u2028pour la\u2029journée\x853 ?\r\n\t\x00\x1b[31m \u202eénnod\u202c\u200b"
    assert cleaned(typed) == "Et pour la journée 3 ? [31m énnod"
    assert cleaned("  Quels   leviers ?  ") == "Quels leviers ?"


def test_a_lone_surrogate_is_a_french_refusal_and_the_box_keeps_a_storable_copy() -> None:
    with pytest.raises(UserFacingError, match=r"^La question contient un caractère invalide"):
        cleaned("Quels leviers \ud800 ?")
    assert storable("Quels leviers \ud800 ?") == "Quels leviers ? ?"
    storable("Quels leviers \ud800 ?").encode("utf-8")  # now writable anywhere


def test_the_history_a_browser_sends_is_bounded_and_cleaned() -> None:
    earlier = [f"Question {n}\u2028suite" for n in range(50)] + ["x" * 10_000]
    kept = bounded_history(earlier, 500)
    assert len(kept) == MAX_EARLIER and kept[-1] == "x" * 500
    assert kept[0] == "Question 41 suite"
    with pytest.raises(UserFacingError, match=r"^Une question précédente contient un caractère invalide"):
        bounded_history(["\udfff"], 500)


def test_filter_values_are_bounded_and_quoted_short() -> None:
    with pytest.raises(UserFacingError) as huge:
        parse_filters(["source=" + "a" * 5_000_000])
    assert len(str(huge.value)) < 120 and "300 caractères au plus" in str(huge.value)
    with pytest.raises(UserFacingError, match=r"^Le filtre contient un caractère invalide"):
        parse_filters(["territory=Sauveli\udce8re"])
    assert parse_filters(["territory=Commune de\u2028Sauvelière"]) == {"territory": "Commune de Sauvelière"}
    assert shown("x" * 100) == "x" * 39 + "…"
