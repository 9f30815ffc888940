"""French text analysis shared by retrieval, answering and evaluation.

``fold`` is the comparison form used for gold answers (casefold, accents
stripped, whitespace collapsed). ``terms`` is the analysed form used to match a
question against sentences: elisions removed, stop words dropped, Snowball
French stems.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Bump when ``terms`` changes: saved lexical indexes are keyed by it.
ANALYZER_VERSION = "fr-5"

_WORD = re.compile(r"[^\W_]+(?:[.,][0-9]+)*")
_ELISION = re.compile(r"\b(?:[lmtsdnjc]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w)", re.IGNORECASE)

FRENCH_STOP_WORDS = frozenset(
    """
    a ai aie ainsi alors as au aucun aucune aupres aussi autre autres aux avaient avais avait avec
    avez avoir avons bien c ca car ce ceci cela celle celles celui ces cet cette ceux chaque chez
    comme comment d dans de des donc dont du elle elles en encore entre est et etaient etais etait
    ete etre eu eux faire fait font ici il ils j je l la le les leur leurs lui m ma mais me meme
    memes mes moi mon n ne ni nos notre nous on ont ou par parce pas peu peut plus pour pourquoi
    qu quand que quel quelle quelles quels qui quoi s sa sans se ses si sien soit sommes son sont
    sous sur t ta te tes toi ton tous tout toute toutes tres tu un une vers vos votre vous y
    est-ce combien lequel laquelle lesquels lesquelles ete etes selon
    lors afin aupres parmi pendant durant lorsque puisque tandis cependant toutefois
    """.split()
)


# Ordinals written out become numbers, so "deuxième journée" meets "Journée 2".
_ORDINALS = {
    "premier": "1", "premiere": "1", "1er": "1", "1re": "1", "1ere": "1",
    "deuxieme": "2", "second": "2", "seconde": "2", "2e": "2", "2eme": "2",
    "troisieme": "3", "3e": "3", "3eme": "3",
    "quatrieme": "4", "4e": "4", "4eme": "4",
    "cinquieme": "5", "5e": "5", "5eme": "5",
}  # fmt: skip


# Snowball leaves some forms of one word family apart; the report's own vocabulary
# ("Qu'attendait X ?" against a column "Attentes") needs them together.
_STEM_ALIASES = {"attendr": "attend", "attent": "attend", "attendu": "attend", "attendus": "attend"}


@lru_cache(maxsize=1)
def _combining_marks() -> re.Pattern[str]:
    """Every combining character (about 900), as one class: a regex removes them far faster
    than a Python loop over each character (built on first use, about 0.1 s)."""
    marks = "".join(chr(c) for c in range(0x110000) if unicodedata.combining(chr(c)))
    return re.compile(f"[{re.escape(marks)}]")


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return _combining_marks().sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Casefold, strip accents, collapse whitespace: the form answers are compared in."""
    return " ".join(strip_accents(text.casefold()).split())


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("french")


def words(text: str) -> list[str]:
    """Folded words, elisions (l', qu', d'...) removed."""
    return _WORD.findall(fold(_ELISION.sub("", text)))


def terms(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order, accents folded.

    Stemming runs on the accented word (Snowball's French rules need the
    accents) and the stem is folded afterwards, so "élus", "elus" and "Élu"
    meet on one term.
    """
    accented = _WORD.findall(" ".join(_ELISION.sub("", text).casefold().split()))
    kept = [word for word in accented if _folded_word(word) not in FRENCH_STOP_WORDS]
    stems = _stemmer().stemWords(kept)
    folded = [_ORDINALS.get(_folded_word(w), _folded_word(stem)) for w, stem in zip(kept, stems, strict=True)]
    return [_STEM_ALIASES.get(stem, stem) for stem in folded]


@lru_cache(maxsize=1 << 16)
def _folded_word(word: str) -> str:
    """``strip_accents`` of one word, kept: a corpus repeats its words (indexing 100k
    passages folds millions of them)."""
    return strip_accents(word)


# A sentence ends at its final mark before a capital, or at a line break, except a break
# inside the sentence (the next line goes on in lower case) and one after « : » that brings
# the line it introduces (« s'élève à : » then the formula); a list's item still starts anew.
_SENTENCE_END = re.compile(
    r"(?<=[.!?…»])\s+(?=[«A-ZÀ-ÖØ-Ý0-9\"-])|(?<=[.!?…»;])\n+|(?<=:)\n+(?=[-•–])"
    r"|(?<![.!?…»;:\n])\n+(?![a-zà-ÿ])"
)
_LABEL_WORDS = 3  # a "sentence" this short that ends with a period is a run-in label


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; a run-in label ("Leviers identifiés.") stays with the
    sentence it introduces, since alone it says nothing."""
    sentences: list[str] = []
    label = ""
    for piece in _SENTENCE_END.split(text):
        part = piece.strip().replace("\n", " ") if piece else ""
        if not part:
            continue
        if _is_label(part):
            label = f"{label} {part}".strip()
            continue
        sentences.append(f"{label} {part}".strip())
        label = ""
    return [*sentences, label] if label else sentences


def _is_label(part: str) -> bool:
    """A run-in label (« Leviers identifiés. »), or a key figure set alone above the sentence
    that says what it counts (« 898 » then « Tel est le nombre de réseaux… »)."""
    if not re.search(r"[^\W\d_]{2,}", part) and len(part) <= 12:
        return True
    return part.endswith(".") and len(part.split()) <= _LABEL_WORDS and not part[:1].isdigit()
