"""Whether a hyphen at a line end cuts a word or belongs to a compound.

Pure decisions, one per line end: « maté- » + « riel » is « matériel », but
« centre- » + « bourg » is « centre-bourg » and « Saint- » + « Ormel » is
« Saint-Ormel ». The document's own vocabulary decides first (a word written
whole elsewhere, or with its hyphen in the middle of a line, says which form the
author uses); where it is silent, French word frequencies (``wordfreq``, bundled
data, no download) say whether the joined form is a French word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

COMPOUND_GAP = 2.5  # zipf points between a compound's rarer half and its joined form
SOFT_HYPHEN = "\u00ad"  # kept at a line end by the readers: a certain cut
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """The casefolded words and hyphenated compounds written in ``texts``, a line end's
    hyphen left out (it is what is being decided)."""
    words: set[str] = set()
    for text in texts:
        for match in _WORD.finditer(text):
            end = match.end()
            if end < len(text) and text[end] == "-" and end == len(text.rstrip()) - 1:
                continue  # the last word of a line, before its hyphen
            words.add(match.group().casefold())
    return frozenset(words)


def is_french_word(word: str) -> bool:
    """Whether ``word`` is in the French word list (a frequency above zero)."""
    return _zipf(word.casefold()) > 0.0


@lru_cache(maxsize=8192)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "fr"))


def keeps_hyphen(head: str, tail: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether « head- » at a line end and « tail » at the next line's start form a
    hyphenated compound (True) or one word cut in two (False).

    ``head`` and ``tail`` are the word pieces without the hyphen (``tail`` with the rest
    of its compound, if any: « le-Vieux », or its apostrophe: « d' »); ``known`` is the
    document's vocabulary.
    """
    # « Saint-Ormel »; a next line going on with a compound (« Montcaillou- » + « le-Vieux »,
    # « Val- » + « d'Orbelune »)
    if head and head.islower() and "-" in tail and tail.split("-", 1)[0].isalpha():
        return keeps_hyphen(head, tail.split("-", 1)[0], known)  # « cli- » + « mat-air-énergie »
    if not head or not tail or tail[0].isupper() or "-" in tail or tail.endswith(("'", "\u2019")):
        return True
    last = head.rsplit("-", 1)[-1]  # « arc-en- » + « ciel »: decide on « en » + « ciel »
    joined, compound = (last + tail).casefold(), f"{last}-{tail}".casefold()
    if (compound in known) != (joined in known):  # the document writes one of the two
        return compound in known
    if last != head:  # the line ends inside a compound already (« arc-en- » + « ciel »)
        return True
    if head[0].isupper() and min(len(last), len(tail)) < 4:  # a name cut (« Ver- » + « dan »)
        return False
    # A compound's halves are common words and its joined form is rare or no word
    # (« vice » + « président »: 4.7 against 1.3); a cut word's joined form is about as
    # common as its pieces, or they are no words (« maté » + « riel »). Measured on 32
    # pairs: compounds 3.2 and more apart, cut words 1.9 and less.
    return min(_zipf(last.casefold()), _zipf(tail.casefold())) - _zipf(joined) >= COMPOUND_GAP
