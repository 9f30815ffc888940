"""Proper names in text: territories as documents and people write them, and the names a
question holds.

Pure. "Communauté d'agglomération du Val-d'Orbelune" is "le Val-d'Orbelune" in the notes
and in a question; the tables, the levers registry, a territory's fiche and the reading
of a question all find a territory by that part of its name. The names a question holds
(« Léonie Farandole », « ADEME », a place the documents never mention) are what its answer
must be about.
"""

from __future__ import annotations

import re

from vectorstore.french_text import fold

_INSTITUTION = re.compile(
    r"^(?:commune|ville|metropole|departement|region|communaute (?:de communes|d'agglomeration|urbaine)|"
    r"syndicat(?: mixte)?|pole d'equilibre territorial(?: et rural)?|parc naturel regional|pays)"
    r"\s+(?:de la |de l'|des |du |de |d')?",
)


def territory_key(name: str) -> str:
    """The distinctive part of a territory's name, folded: "Commune de Sauvelière" ->
    "sauveliere", "Communauté d'agglomération du Val-d'Orbelune" -> "val-d'orbelune",
    as notes and prose name them."""
    folded = " ".join(_apostrophes(fold(name)).split())
    return _INSTITUTION.sub("", folded, count=1) or folded


def mentions(text: str, territory: str) -> bool:
    """Whether ``text`` names the territory (by its distinctive part, as a whole word)."""
    key = re.escape(territory_key(territory))
    return re.search(rf"(?<![\w-]){key}(?![\w-])", _apostrophes(fold(text))) is not None


def _apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("ʼ", "'")


def mentioned_as(text: str, territory: str) -> str | None:
    """The words of ``text`` that name the territory (its distinctive part, as written), or
    ``None`` when ``text`` does not name it."""
    key = territory_key(territory)
    folded = _apostrophes(fold(text))
    match = re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", folded)
    if match is None or len(fold(text)) != len(text):
        return match and _written(text, key)
    return text[match.start() : match.end()]


def _written(text: str, key: str) -> str | None:
    """The words of ``text`` whose folded form is ``key`` (when folding changed lengths)."""
    words = text.split()
    size = len(key.split())
    for start in range(len(words) - size + 1):
        piece = " ".join(words[start : start + size])
        if _apostrophes(fold(piece)).strip(" ?!.,;:") == key:
            return piece.strip(" ?!.,;:")
    return None


# A proper name: a capitalised word (or several, joined by « de », « la »…) that is not the
# first word of the question, or that is but is followed by a comma (a fronted topic).
_NAME = re.compile(
    r"(?<![\w-])(?:[A-ZÀ-ÖØ-Ý][\w'’-]*)(?:[ -](?:(?:de|des|du|d'|d’|la|le|les|sur|en|aux|à)[ -])?"
    r"(?:[A-ZÀ-ÖØ-Ý][\w'’-]*))*"
)
_NOT_NAMES = frozenset(
    fold(word)
    for word in "Et Mais Puis Aussi Pareil Idem Même Sinon Ok Alors Pour Qui Quel Quelle Quels Quelles "
    "Combien Quand Où Comment Pourquoi Que Qu Qu'est-ce Est-ce Le La Les Un Une Des Ça Ca Cela C C'est "
    "Journée Journées Session Sessions Bilan Notes Je J Y Il Elle Ils Elles On Nous Vous Dans Au Aux "
    "À A En De Du D Sur Lors Selon Après Avant Depuis Chez Avec Par Ce Cette Ces Mon Ma Mes Son Sa Ses "
    "Leur Leurs Tu Dis Donne Liste Cite Peux Pouvez Savez Sais Est "
    # capitalised common nouns: a question may capitalise them, the documents need not
    "État Etat France Europe Internet Région Département Ministère Gouvernement Maire Président "
    "Monsieur Madame Mairie Ville Commune".split()
)


def proper_names(text: str) -> list[str]:
    """The proper names ``text`` holds, as written (« Léonie Farandole », « ADEME »). The
    question's first word is capitalised anyway: it is a name only when it is the topic a
    comma closes (« Frênebourg-les-Ondes, ça fait combien… »)."""
    found = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        if match.start() == 0 or not text[: match.start()].strip(" «\"'"):
            topic = text[match.end() : match.end() + 1] == "," and not _INVERTED.search(words[0])
            if not topic:
                words = words[1:]
        while words and (fold(words[0].rstrip("'’")) in _NOT_NAMES or words[0].islower()):
            words = words[1:]
        if words:
            found.append(" ".join(words))
    return found


_INVERTED = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on|nous|vous|je|tu)$|^[A-Za-z]['’]", re.IGNORECASE)
