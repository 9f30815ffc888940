"""What kind of answer a question expects, and whether a sentence gives one.

Pure: a question in, a kind out; a kind and a sentence in, a fit out. Asked in
everyday words (« Les rencontres commençaient à quelle heure ? », « Ça revient à
combien par personne ? »), a question often shares few words with the sentence
that answers it, but it says what shape that answer has: an hour, a date, a sum,
a duration, a count, a rhythm, a person. The sentence that has that shape is
more likely the answer than a neighbour that only shares the topic. Both sides
are read in ``fold`` form (casefolded, accents stripped), names excepted.
"""

from __future__ import annotations

import re
from enum import Enum

from vectorstore.french_text import fold


class AnswerKind(Enum):
    HOUR = "heure"
    DATE = "date"
    AMOUNT = "montant"
    DURATION = "durée"
    FREQUENCY = "fréquence"
    COUNT = "nombre"
    PERSON = "personne"


_NUMBER_WORDS = (
    r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize"
    r"|vingt|trente|quarante|cinquante|soixante|cent|cents|mille|moitie|tiers|quart|quarts"
    r"|dizaine|douzaine|quinzaine|vingtaine|trentaine|centaine|millier|milliers|majorite|minorite"
)
_NUMBER = rf"(?:\d|\b(?:{_NUMBER_WORDS})\b)"
_MONTHS = r"janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_UNITS = (
    r"minutes?|heures?|h|jours?|journees?|demi-journees?|semaines?|mois|ans|annees?|trimestres?|semestres?"
)

# The question's cue for each kind, in the order they are tried (folded text):
# « combien de temps » is a duration before it is a count.
_QUESTION_CUES: tuple[tuple[AnswerKind, re.Pattern[str]], ...] = (
    (AnswerKind.HOUR, re.compile(r"\b(?:a quelle heure|quelle heure|quels? horaires?|de quelle heure)\b")),
    (
        AnswerKind.FREQUENCY,
        re.compile(
            r"\b(?:a quel rythme|a quelle frequence|quel rythme|quelle frequence|tous les combien"
            r"|combien de fois)\b"
        ),
    ),
    (
        AnswerKind.DURATION,
        re.compile(
            r"\b(?:combien de temps|pendant combien|quelle (?:etait la |est la |a ete la )?duree"
            r"|en combien de temps|combien d'(?:annees|heures)|combien de (?:jours|mois|semaines"
            r"|minutes|demi-journees|journees de travail))\b"
        ),
    ),
    (
        AnswerKind.DATE,
        re.compile(
            r"\b(?:quand|a quelle date|quelle date|quel jour|en quelle annee|quelle annee|quel mois"
            r"|a quelle periode|depuis quand|a partir de quand|jusqu'a quand|a quel moment de l'annee)\b"
        ),
    ),
    (
        AnswerKind.AMOUNT,
        re.compile(
            r"\b(?:prix|cout\w*|coute\w*|montant|budget|combien d'euros|euros|payer|paye\w*|verse\w*"
            r"|depense\w*|finance\w*|tarif\w*|frais|revient a combien|combien par)\b"
        ),
    ),
    (
        AnswerKind.COUNT,
        re.compile(
            r"\b(?:combien|quel(?:le)?s? (?:est |etait |a ete |sont |etaient )?(?:le |la |l'|les )?"
            r"(?:nombre|taux|pourcentage|proportion|part|effectif|population|superficie|surface"
            r"|distance|age)|quelle part)\b"
        ),
    ),
    (
        AnswerKind.PERSON,
        re.compile(
            r"(?:^|[.?!]\s+|,\s*)(?:qui|par qui|avec qui|de qui|a qui)\b|\bcomment s'appelle"
            r"|\bquel est le nom|\bquel est le prenom"
        ),
    ),
)

_FITS: dict[AnswerKind, re.Pattern[str]] = {
    AnswerKind.HOUR: re.compile(
        r"\b\d{1,2} ?h(?: ?\d{2})?\b|\bmidi\b|\bheures? (?:du matin|du soir)\b"
        r"|\ben (?:soiree|matinee)\b"
    ),
    AnswerKind.DATE: re.compile(
        rf"\b(?:{_MONTHS})\b|\b\d{{3,4}}\b|\b\d{{1,2}}/\d{{1,2}}\b|\bsiecles?\b|\bannees \d0\b"
        r"|\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
        r"|\b(?:printemps|ete|automne|hiver|rentree)\b"
    ),
    AnswerKind.AMOUNT: re.compile(r"€|\beuros?\b|\b\d+ ?(?:k|m)€"),
    AnswerKind.DURATION: re.compile(rf"{_NUMBER}[\w ,]{{0,12}}?\b(?:{_UNITS})\b"),
    AnswerKind.FREQUENCY: re.compile(
        r"\b(?:quotidien\w*|hebdomadaire\w*|mensuel\w*|bimestriel\w*|trimestriel\w*"
        r"|semestriel\w*|annuel\w*|chaque (?:jour|semaine|mois|trimestre|annee|an)"
        r"|tous les (?:jours|mois|ans|trimestres)|par (?:jour|semaine|mois|an)"
        r"|\bfois\b)"
    ),
    AnswerKind.COUNT: re.compile(rf"{_NUMBER}|%"),
}

# Two capitalised words in a row, the first not opening the sentence: a person's name
# (« Léonie Farandole », « Odile Pervenchère »), or an organisation's.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÉÈÀÂÎÔ][a-zéèêëàâîïôûüç]+(?:[ -][A-ZÉÈÀÂÎÔ][a-zéèêëàâîïôûüç]+)+")


def expected_kind(question: str) -> AnswerKind | None:
    """The kind of answer ``question`` asks for, or ``None`` when it asks for an
    explanation, a list or a description (« comment », « pourquoi », « quels leviers »)."""
    folded = fold(question)
    for kind, cue in _QUESTION_CUES:
        if cue.search(folded):
            return kind
    return None


def fits(kind: AnswerKind | None, sentence: str) -> float:
    """1 when ``sentence`` gives an answer of ``kind``, -1 when it cannot, 0 when no kind
    is asked. A person may be named or described by a role, so a sentence without a
    name is not ruled out (0)."""
    if kind is None:
        return 0.0
    if kind is AnswerKind.PERSON:
        return 1.0 if _NAME.search(sentence) else 0.0
    return 1.0 if _FITS[kind].search(fold(sentence)) else -1.0
