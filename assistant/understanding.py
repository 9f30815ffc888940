"""A question understood once: what it asks, about what, of which day, place and document.

Pure: the question (and the conversation before it) in, one frozen ``Question`` out, built
once at the start of the question's path and passed down. Every part of the answer reads
the question from it instead of re-reading its words: the follow-up it completes, the day
and territory it names, whether it asks for a list or about the documents as a whole, the
kind of answer it expects and its *target*, what that answer must be about: « habitants »
(its focus) of « Frênebourg-les-Ondes » (what it is about). The answer is then checked
against the target (``assistant.coverage``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answer_kinds import AnswerKind, Asked, read_question
from assistant.followup import Standalone, named_day, standalone_from_history
from assistant.listing import ListingQuestion, listing_question
from assistant.names import mentioned_as, proper_names
from assistant.relevance import asked_terms
from vectorstore.french_text import FRENCH_STOP_WORDS, fold, terms

# Words of a question that say how it asks, not what about (« dire », « savoir »): left out
# of the target. Verbs of being and having, of saying and knowing, question framings.
_FRAMING = frozenset(
    terms(
        "est sont était étaient sera seront été être avoir a ont avait avaient aura fait font faire "
        "dire dit disent savoir sait connaître connaît trouver trouve peut peuvent pouvez pourrait "
        "dois doit faut fallu falloir veux veut voudrais voulait aimerais exactement précisément "
        "vraiment donc alors bref gros déjà aussi encore svp merci bonjour ça cela tout tous "
        "quelqu chose quelque combien quel quelle quels quelles lequel laquelle qui quoi où quand "
        "comment pourquoi évoqué évoqués évoquée abordé abordés mentionné mentionnés discuté "
        "documents document bilan rapport notes passage passages texte selon après va vont allait "
        "allaient peux pourrais pourriez voulez vouliez savez sauriez"
    )
)
_DOCUMENT = re.compile(
    r"\b(?:dans|selon|d'apres|d'après|que disent|que dit|d'après)\s+(?:le |les |la )?"
    r"(?P<doc>notes?(?: de s[ée]ance)?|bilan|rapport)\b",
    re.IGNORECASE,
)


# -- the documents as a whole, every territory -------------------------------------

# Folded forms: what a newcomer asks about the whole, not about one fact.
_CORPUS_QUESTION = re.compile(
    r"\b(?:je (?:debute|commence|decouvre|suis (?:nouveau|nouvelle|novice|debutant\w*))"
    r"|(?:je )?viens d'?(?:arriver|integrer|rejoindre)"
    r"|(?:que|qu'est-ce que) (?:dois-je|je dois|faut-il|il faut|doit-on|on doit) (?:savoir|connaitre|retenir)"
    r"(?!\s+(?:sur|de|du|des|a propos|au sujet|concernant|quand|pour)\b)"
    r"|de quoi (?:parle|traite)"
    r"|(?:grandes|principales|differentes) parties"
    r"|comment (?:est )?(?:organise|structure|construit) (?:le|ce) (?:bilan|rapport|document)"
    r"|(?:resume|synthese|l'essentiel|grandes lignes|vue d'ensemble|en bref)\b.{0,30}"
    r"\b(?:bilan|rapport|documents?)"
    r"|par ou commencer"
    r"|(?:que|qu'est-ce qu'?il y a dans|que contient|que raconte) (?:le|ce) (?:bilan|rapport))"
)


def is_corpus_question(question: str) -> bool:
    """Whether ``question`` asks about the documents as a whole (see the module docstring)."""
    return bool(_CORPUS_QUESTION.search(fold(question).replace("’", "'")))


# Words a listing question may hold besides "territoires" and a day number.
_LISTING_TERMS = set(
    terms(
        "territoires collectivités participé participants participaient inscrits présents venus journée cycle"
    )
    + terms("liste ensemble tous toutes ont été venu accueilli reçu")
)
_LISTING_START = re.compile(r"^\s*(?:quels?|quelles?|combien|liste[rz]?|donne[rz]?|cite[rz]?)\b")


@dataclass(frozen=True)
class ListingRequest:
    session: int | None
    count: bool


def listing_request(question: str) -> ListingRequest | None:
    """The listing the question asks for, or None when it asks something else."""
    question_terms = terms(question)
    if "territoir" not in question_terms or not _LISTING_START.match(fold(question)):
        return None
    numbers = [int(term) for term in question_terms if term.isdigit()]
    if set(question_terms) - _LISTING_TERMS - {str(n) for n in numbers} or len(numbers) > 1:
        return None  # the question is about something more specific: search for it
    return ListingRequest(numbers[0] if numbers else None, "combien" in fold(question))


@dataclass(frozen=True)
class Target:
    """What the answer must be about: its ``focus`` (the noun its value is of, « habitants »,
    « coût », « logiciel »; ``""`` when none) and what the question is ``about`` (the rest of
    its content words, the names it holds among them)."""

    focus: str = ""
    about: frozenset[str] = frozenset()  # analysed terms, the focus's left out
    names: tuple[str, ...] = ()  # proper names as written (« Frênebourg-les-Ondes », « ADEME »)

    @property
    def focus_terms(self) -> frozenset[str]:
        return frozenset(terms(self.focus))


@dataclass(frozen=True)
class Question:
    """One question, understood once (see the module docstring). ``text`` is the question
    as it reads on its own, what is searched and answered; ``asked`` what the person
    typed."""

    text: str
    asked: str = ""
    inherited: str = ""  # the earlier question a follow-up completes ("" when it stands alone)
    day: int | None = None
    territory: str | None = None  # a territory of the documents' tables, by its full name
    document: str | None = None  # « bilan » or « notes » when the question asks of one kind
    listing: ListingQuestion | None = None
    territories: ListingRequest | None = None  # every territory (of a day) asked for
    corpus: bool = False  # about the documents as a whole
    kind: AnswerKind = AnswerKind.OPEN
    target: Target = field(default_factory=Target)
    terms: frozenset[str] = frozenset()  # the content terms a sentence must cover

    @property
    def follow_up(self) -> bool:
        return bool(self.inherited)

    @property
    def checked(self) -> bool:
        """Whether the kind of answer asked has a shape the answer can be checked for."""
        return self.kind.checked


def understand(question: str, earlier: Sequence[str] = (), territories: Sequence[str] = ()) -> Question:
    """``question`` understood, made standalone from ``earlier`` questions (oldest first)
    when it is a follow-up; ``territories``: the territories the documents' tables name."""
    standalone = (
        standalone_from_history(question, list(earlier), territories) if earlier else Standalone(question)
    )
    return read(standalone.text, territories, asked=question, inherited=standalone.inherited)


def read(text: str, territories: Sequence[str] = (), *, asked: str = "", inherited: str = "") -> Question:
    """The standalone question ``text`` understood (no conversation)."""
    reading = read_question(text)
    listing = listing_question(text)
    kind = AnswerKind.LIST if listing is not None and not reading.kind.checked else reading.kind
    territory = next((name for name in territories if mentioned_as(text, name)), None)
    return Question(
        text=text,
        asked=asked or text,
        inherited=inherited,
        day=named_day(text),
        territory=territory,
        document=_document(text),
        listing=listing,
        territories=listing_request(text),
        corpus=is_corpus_question(text),
        kind=kind,
        target=target_of(text, reading, territory),
        terms=frozenset(asked_terms(text)),
    )


def as_question(question: str | Question) -> Question:
    """A question understood, from its text when it is not yet (tests, precomputed content)."""
    return question if isinstance(question, Question) else read(question)


def target_of(text: str, reading: Asked, territory: str | None = None) -> Target:
    """The focus the kind of answer attaches to, and what the question is about; the
    ``territory`` the question names stands for the pieces of its name (« Communauté de
    communes des Hautes-Saulaies » is « Hautes-Saulaies », as the documents write it)."""
    focus_terms = set(terms(reading.focus))
    about = {t for t in terms(text) if t not in _FRAMING and not _is_stop(t)} - focus_terms
    years = re.findall(r"\b(?:1[5-9]|20)\d\d\b", text)
    focus = written(text, reading.focus) if reading.focus else ""
    names = proper_names(text)
    if territory is not None:
        whole = fold(territory)
        names = [name for name in names if fold(name) not in whole]
        names.insert(0, mentioned_as(text, territory) or territory)
    return Target(focus, frozenset(about), tuple(dict.fromkeys([*names, *years])))


def written(text: str, folded: str) -> str:
    """The words of ``text`` whose folded form is ``folded``, as written (« coopérative »
    for ``cooperative``); ``folded`` itself when ``text`` does not hold them."""
    wanted = folded.split()
    words = re.findall(r"[\w'’-]+", text)
    for start in range(len(words) - len(wanted) + 1):
        piece = words[start : start + len(wanted)]
        if [
            fold(w).replace("’", "'").split("'")[-1] if i == 0 else fold(w).replace("’", "'")
            for i, w in enumerate(piece)
        ] == wanted:
            found = " ".join(piece).split("'")[-1].split("’")[-1]
            return found[0].lower() + found[1:] if start == 0 else found
    return folded


def _is_stop(term: str) -> bool:
    return term in FRENCH_STOP_WORDS or len(term) < 2


def _document(text: str) -> str | None:
    match = _DOCUMENT.search(text)
    if not match:
        return None
    return "notes" if fold(match.group("doc")).startswith("note") else "bilan"
