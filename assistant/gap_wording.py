"""The sentence that says what the documents do not give, named as the question names it.

Pure: an understood question in, one French sentence out: « Les documents ne donnent pas le
nombre d'habitants de la commune de Sauvelière. », « Les documents ne définissent pas
« marche exploratoire ». », « Les documents ne parlent pas de « Valbrise-sur-Loue ». ». It
opens a partial answer (``coverage``), and names the thing asked (its kind and focus: the
number of a unit, a sum, a date, a name…) and what it is of (the question's subject: the
noun phrase it asks about, or the names it holds).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer_kinds import AnswerKind
from assistant.understanding import Question
from vectorstore.french_text import fold, terms

GENERIC_GAP = "Les documents ne répondent pas précisément à cette question."  # nothing better to say
_WHAT: dict[AnswerKind, str] = {
    AnswerKind.AMOUNT: "le montant",
    AnswerKind.DATE: "la date",
    AnswerKind.DURATION: "la durée",
    AnswerKind.HOUR: "l'horaire",
    AnswerKind.FREQUENCY: "la fréquence",
    AnswerKind.PLACE: "le lieu",
    AnswerKind.PERSON: "le nom de la personne",
    AnswerKind.ORGANISATION: "le nom de l'organisme",
    AnswerKind.CONTACT: "les coordonnées",
    AnswerKind.NAME: "le nom",
    AnswerKind.COUNT: "le nombre",
    AnswerKind.DEFINITION: "une définition",
    AnswerKind.LIST: "la liste demandée",
}
_NOUN_FORMS = {
    # verbs and forms a question uses for a sum, as the noun an answer names
    "couter": "le coût", "coute": "le coût", "coutera": "le coût", "coutent": "le coût", "coute ": "le coût",
    "coutait": "le coût", "coutaient": "le coût", "cout": "le coût", "couts": "les coûts", "prix": "le prix",
    "montant": "le montant", "budget": "le budget", "salaire": "le salaire", "subvention": "la subvention",
    "tarif": "le tarif", "tarifs": "les tarifs", "enveloppe": "l'enveloppe", "frais": "les frais",
    "loyer": "le loyer", "financement": "le financement", "finance": "le financement",
    "financera": "le financement", "financer": "le financement", "remuneration": "la rémunération",
    "numero": "le numéro de téléphone", "numero de telephone": "le numéro de téléphone",
    "telephone": "le numéro de téléphone", "mail": "l'adresse e-mail", "e-mail": "l'adresse e-mail",
    "email": "l'adresse e-mail", "courriel": "l'adresse e-mail", "adresse": "l'adresse",
    "coordonnees": "les coordonnées",
}  # fmt: skip
_FEMININE_ENDINGS = (
    "tion", "sion", "té", "ure", "ence", "ance", "ette", "ine", "ie", "ise", "ée", "elle", "forme", "ive",
    "ière", "euse", "trice", "ade", "ude", "aine", "ole", "esse", "ité",
)  # fmt: skip
_INVARIABLE = frozenset("taux prix poids choix temps corps pays cours bus mois fois discours".split())
_VOWEL = re.compile(r"^[aeiouyhâàéèêîïôûœ]", re.IGNORECASE)


def gap_sentence(question: Question, missing_names: Sequence[str] = (), stats: object | None = None) -> str:
    """« Les documents ne disent pas combien d'habitants compte la commune de Sauvelière. »: what
    the documents do not give (``missing_names``: names of the question the closest passage
    does not hold, said first when the documents know nothing of them)."""
    unknown = [name for name in missing_names if _unknown(name, stats)]
    if unknown:
        return _not_about(unknown)
    special = _definition_or_list(question)
    if special:
        return special
    what = missing_thing(question)
    if not what:
        return _not_about(missing_names) if missing_names else GENERIC_GAP
    topic = _TOPIC.match(question.text.strip())
    naming = question.kind in {AnswerKind.NAME, AnswerKind.PERSON, AnswerKind.ORGANISATION}
    if topic and naming and fold(question.target.focus) in fold(topic.group("topic")):
        return f"Les documents ne donnent pas le nom {_of(_lower_article(topic.group('topic').strip()))}."
    said = indirect(question.text)
    if said:
        return f"Les documents ne disent pas {said}."
    return f"Les documents ne donnent pas {what}{_subject(question)}."


def _not_about(names: Sequence[str]) -> str:
    return "Les documents ne parlent pas de " + " et ".join(f"« {name} »" for name in names) + "."


def _definition_or_list(question: Question) -> str:
    """« Les documents ne définissent pas « … ». », « … ne donnent pas la liste des dix … »."""
    if question.kind is AnswerKind.DEFINITION:
        term = definiendum(question)
        return (
            f"Les documents ne définissent pas « {term} »."
            if term
            else "Les documents ne donnent pas de définition."
        )
    listed = re.search(r"\b(?:les|des|ces) (?:\d+|[a-zéèêû]+) [^?]+", question.text.rstrip("?! ."))
    if question.kind is AnswerKind.LIST and listed:
        return f"Les documents ne donnent pas la liste {_of(_cut(listed.group(0)))}."
    return ""


def _unknown(name: str, stats: object | None) -> bool:
    """Whether the documents never write ``name`` (by ``stats``' term counts)."""
    frequency = getattr(stats, "document_frequency", None)
    return frequency is not None and all(frequency(term) == 0 for term in terms(name))


def missing_thing(question: Question) -> str:
    """« le nombre d'habitants », « le coût », « le nom du logiciel »… (for a question
    without a thing to name, an explanation or a yes or no: "")."""
    kind, focus = question.kind, question.target.focus
    folded = fold(focus)
    if kind is AnswerKind.COUNT:
        if not focus:
            return "le nombre demandé"
        head = folded.split()[0]
        return _with_article(focus) if head in _QUANTITIES else f"le nombre {_of(focus)}"
    if kind is AnswerKind.AMOUNT:
        noun = _NOUN_FORMS.get(folded)
        return noun or (_with_article(focus) if focus and not _is_verb(folded) else _WHAT[kind])
    if kind is AnswerKind.CONTACT:
        return _NOUN_FORMS.get(folded, _WHAT[kind])
    if kind in {AnswerKind.NAME, AnswerKind.PERSON, AnswerKind.ORGANISATION} and focus:
        return "le nom" if folded in _NAMING_NOUNS else f"le nom {_of(_with_article(focus))}"
    return _WHAT.get(kind, "")


_QUANTITIES = frozenset(
    "nombre taux pourcentage proportion population superficie part distance age frequentation effectif "
    "note moyenne surface volume longueur poids puissance capacite consommation production quantite".split()
)
_NAMING_NOUNS = frozenset("nom noms titre titres intitule surnom appellation denomination".split())


def _is_verb(word: str) -> bool:
    return bool(re.search(r"(?:er|ir|e|era|ait|aient|ent|e|es)$", word)) and word not in _NOUN_FORMS


# A question opened by its interrogative word reads as an indirect question once its
# inversion is undone: « Quand la ressourcerie doit-elle ouvrir ? » -> « quand la
# ressourcerie doit ouvrir ».
_WH_START = re.compile(
    r"^(?:et |mais |alors |donc )?"
    r"(?P<wh>(?:(?:à|a|de|dans|par|pour|avec|sur|en|depuis|jusqu['’]à|à partir de)\s+)?"
    r"(?:qui|quand|où|combien|quel|quelle|quels|quelles|comment|pourquoi|lequel|laquelle))\b",
    re.IGNORECASE,
)
_INVERSION = re.compile(r"(\w)-(?:t-)?(?:il|elle|ils|elles)\b", re.IGNORECASE)
_INVERTED_ON = re.compile(r"\b([\w'’]+)-(?:t-)?on\b", re.IGNORECASE)  # « servait-on » -> « on servait »
_EST_CE = re.compile(r"\best-ce qu(?:e |')", re.IGNORECASE)


def indirect(text: str) -> str:
    """The question as an indirect one (« combien d'habitants compte la commune de
    Sauvelière »), or "" when it does not open with its interrogative word (« Frênebourg,
    ça fait combien d'habitants ? » is said with nouns instead)."""
    question = " ".join(text.split()).rstrip(" ?!.")
    opened = _WH_START.match(question)
    if not opened or re.search(r"-(?:je|tu|nous|vous)\b", question, re.IGNORECASE):
        return ""
    said = question[opened.start("wh") :]
    said = _EST_CE.sub("", _INVERTED_ON.sub(r"on \1", _INVERSION.sub(r"\1", said)))
    return said[0].lower() + said[1:]


# The subject of a question: a noun phrase opened by an article, with its « de … » complements
# and the names in it, up to a verb, a preposition of circumstance or the end.
_SUBJECT = re.compile(
    r"(?<![\w'’-])(?P<article>(?:de l|à l|l|d)['’]\s*|(?:les|le|la|des|du|de la|aux|au|à la|à|de)\s+)"
    r"(?![ld]['’])(?P<np>(?:[A-ZÀ-ÖØ-Ý][\w'’-]*|[a-zàâçéèêëîïôûùüÿœ][\w'’-]*)"
    r"(?:\s+(?:(?:de|du|des|d['’]|de la|de l['’]|en|à)\s*)?"
    r"(?:[A-ZÀ-ÖØ-Ý0-9][\w'’-]*|[a-zàâçéèêëîïôûùüÿœ][\w'’-]*)){0,6})",
    re.IGNORECASE,
)
_TOPIC = re.compile(
    r"^(?!(?:pour|à|a|dans|en|sur|avec|par|lors|après|avant|pendant|selon|d['’]après|et|mais|alors)\b)"
    r"(?P<topic>[^,?]{3,80}),\s*(?:ça|ca|c['’]est|c['’]était|il|elle|ils|elles|on)\b",
    re.I,
)
_PHRASE_END = re.compile(
    r"\s+(?:a|ont|est|sont|était|étaient|sera|seront|va|vont|avait|avaient|aura|peut|peuvent|doit|doivent"
    r"|qui|que|qu['’]|pour|par|avec|lors|pendant|selon|dans|sur|et|ou|ça|cela|compte|comptent|fait|font"
    r"|coûte|coûtent|coûté|coûtera|s['’]\w+|se|[a-zé]+-(?:t-)?(?:il|elle|ils|elles|on)|quel|quelle|quels"
    r"|quelles|combien|quand|où|comment|commence\w*|porte\w*|votent|vote|ouvre\w*|forment|compte)\b.*$",
    re.IGNORECASE,
)
_NOT_SUBJECTS = frozenset(
    fold(word) for word in "question documents document bilan notes passage passages".split()
)


def _subject(question: Question) -> str:
    """« de la commune de Sauvelière », « du cycle d'approfondissement de 2027 »: what the thing
    asked is of, taken from the question (its first noun phrase after the thing itself that
    is not the asked word), or its names, or nothing."""
    text = question.text.strip().rstrip("?!. ")
    topic = _TOPIC.match(text)
    if topic:  # « Frênebourg-les-Ondes, ça fait combien d'habitants ? »
        return " " + _of(_lower_article(topic.group("topic").strip()))
    focus_words = set(fold(question.target.focus).replace("'", " ").split())
    for match in _SUBJECT.finditer(text):
        phrase = _cut(match.group("np"))
        words = fold(phrase).replace("’", "'").split()
        if not words or words[0] in focus_words or words[0] in _NOT_SUBJECTS or _is_asked_word(words[0]):
            continue
        article = fold(match.group("article")).strip().replace("’", "'")
        return " " + _of(_with_article_from(article, phrase))
    if question.target.names:
        return " " + _of(" et ".join(question.target.names))
    return ""


_ASKED_WORDS = frozenset(
    "quel quelle quels quelles combien heure date nom prix cout montant rythme frequence duree lieu endroit "
    "numero adresse taux nombre temps".split()
)


def _is_asked_word(word: str) -> bool:
    return word.strip("'’") in _ASKED_WORDS


def _lower_article(phrase: str) -> str:
    """« Le module pour les élus » -> « le module pour les élus » (a name keeps its capital)."""
    first = phrase.split(maxsplit=1)[0] if phrase.split() else ""
    if fold(first).rstrip("'’") in {"le", "la", "les", "l", "un", "une", "des"} or re.match(
        r"^[LlDd]['’]", first
    ):
        return phrase[0].lower() + phrase[1:]
    return phrase


def _cut(phrase: str) -> str:
    """A noun phrase without the verb or the circumstance that follows it."""
    return _PHRASE_END.sub("", phrase.strip()).strip(" ,;:")


def _with_article_from(article: str, phrase: str) -> str:
    """``phrase`` with the article the question gave it (« du » and « au » become « le »)."""
    plain = fold(article).replace("’", "'").strip()
    if not plain or plain in {"a", "de", "d'"}:
        return phrase
    if plain in {"du", "au", "le"}:
        return f"le {phrase}"
    if plain in {"des", "aux", "les"}:
        return f"les {phrase}"
    if plain.endswith("la"):
        return f"la {phrase}"
    if plain.endswith("l'"):
        return f"l'{phrase}"
    return phrase


def _with_article(noun: str) -> str:
    if re.match(r"^(?:le|la|les|l['’])\b", noun):
        return noun
    first = noun.split(maxsplit=1)[0]
    if _VOWEL.match(first):
        return f"l'{noun}"
    if (
        first.endswith(("s", "x"))
        and not first.endswith(("ss", "is", "ys"))
        and fold(first) not in _INVARIABLE
    ):
        return f"les {noun}"
    return f"la {noun}" if first.endswith(_FEMININE_ENDINGS) else f"le {noun}"


def _of(phrase: str) -> str:
    """« de » before ``phrase``, contracted as French does (du, des, d')."""
    lowered = phrase[:1].lower() + phrase[1:]
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if lowered.startswith(article):
            return contracted + phrase[len(article) :]
    if re.match(r"^(?:de|du|des|d['’])\b", lowered):
        return phrase
    return f"d'{phrase}" if _VOWEL.match(phrase) else f"de {phrase}"


_DEFINITION_FRAME = re.compile(
    r"^.*?\b(?:c'est quoi|qu'est-ce que c'est|qu'est-ce qu[e']|que (?:veut|veulent) dire|veut dire quoi"
    r"|que (?:signifie|désigne|recouvre)\w*|définition d[eu']?|en quoi consiste|qu'appelle-t-on)\s*",
    re.IGNORECASE,
)
_AFTER_TERM = re.compile(
    r",?\s*(?:c'est quoi|ça veut dire quoi|qu'est-ce que c'est|concrètement|exactement|au juste|donc)\b.*$",
    re.IGNORECASE,
)


def definiendum(question: Question) -> str:
    """The term a definition question asks about, as written (« troc d'ingénierie »)."""
    text = question.text.replace("’", "'").strip().rstrip("?!. ")
    after = _DEFINITION_FRAME.sub("", text)
    term = after if after and after != text else _AFTER_TERM.sub("", text)
    term = re.sub(r"^(?:exactement|au juste|concrètement|donc)\s+", "", term, flags=re.I)
    term = re.sub(r"^(?:un|une|le|la|les|l'|des|du)\s*", "", term.strip(" «»\"'"), flags=re.I)
    return term.strip(" «»\"',") or " ".join(written_words(question.text, set(question.target.about)))


def written_words(text: str, missing: set[str]) -> list[str]:
    """The words of ``text`` whose analysed term is in ``missing``, as written, in order."""
    found = []
    for written in re.findall(r"[\w'’-]+", text):
        word = re.split(r"['’]", written)[-1]
        stem = terms(word)
        if stem and stem[0] in missing and word not in found:
            found.append(word)
    return found
