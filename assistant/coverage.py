"""Whether the answer gives the thing asked: each candidate sentence checked against the
question's target, and the plain sentence saying what the documents do not give.

Pure: the understood question, the candidate sentences and their passages in, an
``Assessment`` out. Classical question answering did this long before language models:
know what kind of thing is asked, about what, and check that the chosen sentence carries
it. A sentence *gives the thing asked* when

- it holds a value of the asked shape that the question does not already hold (a count of
  the asked unit, a sum, a date, a name…: ``answer_kinds``), and
- it is about the question's target: the names the question holds appear in its passage,
  and most of the target's words the documents know appear in the sentence, its section
  heading or the sentence before it.

Words the documents never use (everyday words: « l'asso », « paysans ») cannot be checked
by words; they are left to the meaning, which chose the sentence. When no candidate gives
the thing asked, the answer says so first (``gap_sentence``: « Les documents ne donnent pas
le nombre d'habitants de Frênebourg-les-Ondes. »), then shows what the documents do say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from assistant.answer_kinds import (
    AnswerKind,
    contact_values,
    counts,
    defines,
    enumerates,
    named_things,
    person_names,
    person_nouns,
    place_names,
    roles,
    shape_values,
)
from assistant.gap_wording import definiendum, gap_sentence, missing_thing, written_words
from assistant.relevance import Candidate, TermStatistics
from assistant.understanding import Question
from vectorstore.french_text import fold, terms
from vectorstore.records import Chunk, Hit

MAX_MISSING = 0.5  # share (idf-weighted) of the target's known words a sentence may lack
PROMOTE_RATIO = 0.5  # a sentence that gives the thing asked leads if it scores this share of the best
PROMOTE_SLACK = 0.3  # and if it lacks at most this much more of the target's words than the best
# Units counted in general, whose members answer for one another: people (« combien de
# monde » is answered by « 11 personnes »), local authorities, meetings.
_UNIT_FAMILIES = tuple(
    frozenset(terms(words))
    for words in (
        "personnes participants participantes gens monde présents présentes inscrits membres individus "
        "jeunes filles garçons hommes femmes enfants élèves étudiants joueurs adultes vies victimes morts",
        "territoires collectivités communes intercommunalités villes intercos structures",
        "rencontres journées séances sessions réunions ateliers",
    )
)


@dataclass(frozen=True)
class Fit:
    """How one sentence meets the question's target."""

    shape: bool  # a value of the asked kind (a count of the asked unit…), the question's own left out
    missing_names: tuple[str, ...]  # names of the question its passage does not hold
    missing_share: float  # idf-weighted share of the target's known words its context lacks
    missing_words: tuple[str, ...]  # those words, as the question writes them

    @property
    def gives(self) -> bool:
        return self.shape and not self.missing_names


@dataclass(frozen=True)
class Assessment:
    """The check of an answer against the question: the sentence that gives the thing asked
    (``None`` when none does), and, when none does, the sentence that says so."""

    lead: Candidate | None
    gap: str = ""  # « Les documents ne donnent pas … » ("" when the answer gives the thing asked)
    checked: str = ""  # the thing checked for (« le montant »), "" when the kind has no shape


def assess(
    question: Question,
    candidates: Sequence[Candidate],
    hits: Sequence[Hit],
    stats: TermStatistics,
    counted: Collection[str] = (),
) -> Assessment:
    """The candidate that gives the thing asked, best first, if one scores at least
    ``PROMOTE_RATIO`` of the best; else the gap sentence naming what is missing.
    ``counted``: the units the documents count somewhere (``units_counted``)."""
    ranked = sorted(candidates, key=lambda c: -c.score)
    if not ranked:
        return Assessment(None)
    best = ranked[0].score
    checked = checked_thing(question, stats)
    top = fit(question, ranked[0], hits[ranked[0].hit_rank].chunk, stats, counted)
    if top.gives:
        return Assessment(ranked[0], checked=checked)
    for candidate in ranked[1:]:  # only those near the best are worth checking
        if candidate.score < PROMOTE_RATIO * best:
            break
        found = fit(question, candidate, hits[candidate.hit_rank].chunk, stats, counted)
        # A sentence chosen over the best one must be about as much of the target.
        if found.gives and found.missing_share <= top.missing_share + PROMOTE_SLACK:
            return Assessment(candidate, checked=checked)
    return Assessment(None, gap_sentence(question, top.missing_names, stats), checked)


def fit(
    question: Question,
    candidate: Candidate,
    chunk: Chunk,
    stats: TermStatistics,
    counted: Collection[str] = (),
) -> Fit:
    """How ``candidate`` (a sentence of ``chunk``) meets the question's target."""
    sentences = chunk.sentences
    at = candidate.position
    before = sentences[at - 1] if 0 < at < len(sentences) else ""
    after = sentences[at + 1] if at + 1 < len(sentences) else ""
    context = f"{candidate.sentence} {before} {chunk.context}"
    context_terms = set(terms(context))
    if _BULLET.match(candidate.sentence):  # a list item speaks of its own line only
        before = after = ""
        context = f"{candidate.sentence} {chunk.context}"
    scope = fold(f"{context} {after} {chunk.territory or ''}")
    missing_names = tuple(name for name in question.target.names if not _named_in(name, scope))
    known = {t for t in question.target.about if stats.document_frequency(t) > 0}
    missing = known - context_terms
    weight = sum(stats.idf(t) for t in known) or 1.0
    share = sum(stats.idf(t) for t in missing) / weight if known else 0.0
    shape = _shape(question, candidate.sentence, before, stats, counted)
    return Fit(shape is not False, missing_names, share, tuple(written_words(question.text, missing)))


def text_gives(
    question: Question, text: str, cited: str, stats: TermStatistics, counted: Collection[str] = ()
) -> bool:
    """Whether ``text`` (a language model's answer, its ``cited`` passages' text beside it)
    gives the thing asked: a value of the asked shape, about the names the question holds."""
    scope = fold(f"{text} {cited}")
    if any(not _named_in(name, scope) for name in question.target.names):
        return False
    return _shape(question, text, "", stats, counted) is not False


def checked_thing(question: Question, stats: TermStatistics) -> str:
    """The thing an answer to ``question`` was checked to give (« le montant »), "" when the
    question asks for nothing a sentence can be checked for."""
    if question.kind in _ALWAYS_CHECKED or _checked_now(question, stats):
        return missing_thing(question)
    return ""


_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s")
_ALWAYS_CHECKED = frozenset(kind for kind in AnswerKind if kind.checked)
_ASKS_A_NAME = re.compile(
    r"\b(?:s'appel\w*|se nomm\w*|appelle-t-on|nomme-t-on|quel (?:est|etait) (?:le|son|leur) nom)\b"
    r"|\b(?:quel|quels) (?:nom|noms|titre|intitule|surnom)\b"
)
_NAMING_NOUNS = frozenset("nom noms titre titres intitule surnom appellation denomination".split())


def _checked_now(question: Question, stats: TermStatistics) -> bool:
    """Kinds checked for some questions only: the name of a tool when the question asks for
    a name or uses a word the documents never use (« quel logiciel »), a definition, a list
    of a given number of items (« les dix indicateurs »)."""
    kind, focus = question.kind, fold(question.target.focus)
    if kind is AnswerKind.NAME:
        if _ASKS_A_NAME.search(fold(question.text)):
            return True
        head = terms(focus)[:1]
        return bool(head and stats.document_frequency(head[0]) == 0)
    if kind is AnswerKind.DEFINITION:
        return True
    if kind is AnswerKind.LIST:
        return _listed_count(question.text) >= 2
    return False


def _shape(
    question: Question, sentence: str, before: str, stats: TermStatistics, counted: Collection[str]
) -> bool | None:
    """Whether the sentence holds a value of the asked kind the question does not hold
    (``None``: nothing to check for this question)."""
    if not (question.kind.checked or _checked_now(question, stats)):
        return None
    check = _SHAPE_CHECKS.get(question.kind, _has_shape)
    return check(question, sentence, before, counted)


def _asked(question: Question) -> str:
    return fold(question.text).replace("’", "'")


def _has_shape(question: Question, sentence: str, before: str, counted: Collection[str]) -> bool:
    return _new(shape_values(question.kind, sentence) or [], _asked(question))


def _has_count(question: Question, sentence: str, before: str, counted: Collection[str]) -> bool:
    if question.target.focus:
        return _counts_unit(question, sentence, counted)
    return _has_shape(question, sentence, before, counted)


def _has_person(question: Question, sentence: str, before: str, counted: Collection[str]) -> bool:
    """A person's name, or a role (« directeur des services ») when the question names none.
    A name set beside a role the question names (« la cheffe de projet sortante, Clémence
    Aubépin ») is that role's holder: it answers « qui est… », not « qui remplace… »."""
    asked = _asked(question)
    names = person_names(sentence)
    if not _IDENTITY.search(asked):
        roles_asked = {word for word in asked.split() if word in person_nouns()}
        names = [name for name in names if not _beside_role(sentence, name, roles_asked)]
    if _new(names, asked):
        return True
    return not _PERSON_IN_QUESTION.search(asked) and _new(roles(sentence), asked)


_IDENTITY = re.compile(r"\bqui (?:est|etait|sont|etaient)\b|\bc'est qui\b|\bs'appel|\bse nomm|\bnom\b")


def _beside_role(sentence: str, name: str, roles_asked: set[str]) -> bool:
    """Whether ``name`` stands in apposition to one of ``roles_asked`` in ``sentence``."""
    at = sentence.find(name)
    window = fold(sentence[max(0, at - 40) : at])
    return at >= 0 and any(re.search(rf"\b{re.escape(role)}\b", window) for role in roles_asked)


def _has_contact(question: Question, sentence: str, before: str, counted: Collection[str]) -> bool:
    return _new(contact_values(question.target.focus, sentence), _asked(question))


def _has_name(question: Question, sentence: str, before: str, counted: Collection[str]) -> bool:
    return _new(named_things(sentence), _asked(question))


def _has_definition(question: Question, sentence: str, before: str, counted: Collection[str]) -> bool:
    term = fold(definiendum(question))
    return defines(sentence, term) or (bool(before) and defines(before, term))


def _has_place(question: Question, sentence: str, before: str, counted: Collection[str]) -> bool:
    """A place; a named one when the question asks which town, country or region."""
    if fold(question.target.focus).rstrip("s") in _NAMED_PLACES:
        return _new(place_names(sentence), _asked(question))
    return _has_shape(question, sentence, before, counted)


_NAMED_PLACES = frozenset("ville commune pay region departement localite village capitale continent".split())


def _has_list(question: Question, sentence: str, before: str, counted: Collection[str]) -> bool:
    return enumerates(sentence)


_SHAPE_CHECKS: dict[AnswerKind, Callable[[Question, str, str, Collection[str]], bool]] = {
    AnswerKind.COUNT: _has_count,
    AnswerKind.PERSON: _has_person,
    AnswerKind.CONTACT: _has_contact,
    AnswerKind.NAME: _has_name,
    AnswerKind.DEFINITION: _has_definition,
    AnswerKind.LIST: _has_list,
    AnswerKind.PLACE: _has_place,
}


def _new(values: Sequence[str], asked: str) -> bool:
    """Whether one of ``values`` is not already in the (folded) question."""
    return any(fold(value).replace("’", "'") not in asked for value in values)


_PERSON_IN_QUESTION = re.compile(
    r"\b(?:" + "|".join(sorted(person_nouns())) + r"|tuteur|tutrice|nom|prenom|s'appel\w*)s?\b"
)
_LISTED_COUNT = re.compile(
    r"\b(?:les|des|ces) (?P<n>\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt)\b"
)
_SMALL_NUMBERS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
                  "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20}  # fmt: skip


def _listed_count(text: str) -> int:
    """How many items a list question asks for (« Quels sont les dix indicateurs ? »: 10)."""
    match = _LISTED_COUNT.search(fold(text))
    if not match:
        return 0
    n = match.group("n")
    return int(n) if n.isdigit() else _SMALL_NUMBERS[n]


def _counts_unit(question: Question, sentence: str, counted: Collection[str]) -> bool:
    """A count of the asked unit (« habitants »), or a measure of the asked quantity
    (« population »: habitants; « superficie »: hectares…). People counted in general
    (personnes, participants, gens) answer for one another; other units must be the asked
    one, by its word: the documents' own words say what they count."""
    focus = fold(question.target.focus)
    found = [c for c in counts(sentence) if fold(c.value) not in fold(question.text)]
    measure = _MEASURES.get(focus.split()[0]) if focus else None
    if measure is not None:
        return bool(measure.search(fold(sentence)))
    unit = terms(focus.replace("œ", "oe"))[:1]
    if not unit:
        return bool(found)
    head = unit[0]
    for count in found:
        units = set(terms(count.unit.replace("œ", "oe")))
        if head in units or any(_same_stem(head, unit) for unit in units):
            return True
        if any(head in family and units & family for family in _UNIT_FAMILIES):
            return True
    return False


def _same_stem(one: str, other: str) -> bool:
    """« spectateur » in « téléspectateur »: one unit's stem ends the other's (five letters at least)."""
    shorter, longer = sorted((one, other), key=len)
    return len(shorter) >= 5 and longer.endswith(shorter)


_MEASURES = {
    noun: re.compile(pattern)
    for nouns, pattern in (
        ("population", r"\d[\d .]*\s*habitants\b"),
        ("age", r"\b\d+\s*ans\b"),
        ("superficie surface", r"\d[\d ,.]*\s*(?:km2|km²|hectares?|ha|m2|m²|ares?)\b"),
        (
            "distance longueur hauteur altitude profondeur largeur",
            r"\d[\d ,.]*\s*(?:km|kilometres?|metres?|m)\b",
        ),
        (
            "taux pourcentage proportion part",
            r"%|\bpour ?cent\b|\b\d+ (?:sur|des?) \d+\b|\b(?:moitie|tiers|quart)\b",
        ),
        ("note", r"\d+(?:[.,]\d+)?\s*/\s*\d+|\bsur (?:5|10|20|100)\b"),
        (
            "frequentation",
            r"\d[\d .]*\s*(?:voyageurs|passagers|visiteurs|usagers|entrees|personnes|lecteurs)",
        ),
        ("poids", r"\d[\d ,.]*\s*(?:kg|kilos?|tonnes?|grammes?|g)\b"),
        ("volume", r"\d[\d ,.]*\s*(?:m3|m³|litres?|l)\b"),
        ("puissance", r"\d[\d ,.]*\s*(?:[kmg]w|kilowatts?|megawatts?|watts?)\b"),
        ("consommation production", r"\d[\d ,.]*\s*(?:[kmgt]wh|tonnes?|litres?|m3)\b"),
        ("temperature", r"\d+\s*(?:°|degres)"),
    )
    for noun in nouns.split()
}


def units_counted(texts: Iterable[str]) -> frozenset[str]:
    """The analysed nouns the documents count somewhere (« 5 000 habitants », « cinq agents »,
    « Personnes présentes : 4 »): a question's unit among them can be checked by its word."""
    found: set[str] = set()
    for text in texts:
        for count in counts(text):
            found.update(terms(count.unit)[:1])
    return frozenset(found)


def _named_in(name: str, folded_scope: str) -> bool:
    """Whether the scope names ``name``: as written, or with its hyphens, apostrophes and dots
    aside (« Marie Antoinette », « J.-C. »), or each of its words nearly (a letter apart: a
    name is often misspelt in a question), or, for a year, one at most five years off."""
    key = _plain(name)
    scope = _plain(folded_scope)
    if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", scope):
        return True
    if re.fullmatch(r"1[5-9]\d\d|20\d\d", key):
        return any(
            abs(int(year) - int(key)) <= YEAR_SLACK for year in re.findall(r"\b(?:1[5-9]|20)\d\d\b", scope)
        )
    words = set(scope.split())
    return all(any(_nearly(part, word) for word in words) for part in key.split() if len(part) > 2)


YEAR_SLACK = 5  # a year asked about is met by one this close (« de 1630 » / « de 1635 »)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[-'’.]", " ", fold(text)).split())


def _nearly(one: str, other: str) -> bool:
    """Equal, or one letter apart (changed, added or dropped) for words of five letters or more."""
    if one == other:
        return True
    if min(len(one), len(other)) < 5 or abs(len(one) - len(other)) > 1:
        return False
    if len(one) == len(other):
        return sum(a != b for a, b in zip(one, other, strict=True)) == 1
    longer, shorter = (one, other) if len(one) > len(other) else (other, one)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
