"""What kind of answer a question expects, about what, and whether a sentence gives one.

Pure: a question in, its kind and focus out; a kind and a sentence in, the values of that
kind the sentence holds out. Asked in everyday words (« Les rencontres commençaient à
quelle heure ? », « Frênebourg, ça fait combien d'habitants ? »), a question often shares
few words with the sentence that answers it, but it says what shape that answer has: a
count of something (its *unit*, « habitants »), a sum, a date, a duration, an hour, a
place, a person, an organisation, contact details, the name of a tool or method. Classical
question answering checks the chosen sentence against that shape; a sentence about the
right subject that holds no value of the asked shape does not answer. Definitions, yes or
no questions, lists and open questions (« comment », « pourquoi ») have no shape to check.
Both sides are read in ``fold`` form (casefolded, accents stripped), names excepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from vectorstore.french_text import fold, terms


class AnswerKind(Enum):
    COUNT = "nombre"
    AMOUNT = "montant"
    DATE = "date"
    DURATION = "durée"
    HOUR = "heure"
    FREQUENCY = "fréquence"
    PLACE = "lieu"
    PERSON = "personne"
    ORGANISATION = "organisme"
    CONTACT = "coordonnées"
    NAME = "nom"
    DEFINITION = "définition"
    YES_NO = "oui ou non"
    LIST = "liste"
    OPEN = "ouverte"

    @property
    def checked(self) -> bool:
        """Whether an answer of this kind has a shape a sentence can be checked for."""
        return self in _SHAPES or self in _NAMED


@dataclass(frozen=True)
class Asked:
    """What a question asks for: its kind, and its *focus*: the noun the answer is a value
    of (« habitants » in « combien d'habitants », « logiciel » in « quel logiciel »), as
    written in the question (lower case), or ``""`` when the question names none."""

    kind: AnswerKind
    focus: str = ""

    @property
    def focus_terms(self) -> frozenset[str]:
        return frozenset(terms(self.focus))


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
_DET = r"(?:le |la |les |l'|un |une |des |du |de la |de l'|d'|de |leur |leurs |son |sa |ses |ce |cette |ces )"

# Nouns after « quel », « combien de », « le … de » that say what kind of value is asked
# (folded, singular; a plural « s » or « x » is dropped before looking a noun up).
_NOUN_KINDS: dict[AnswerKind, frozenset[str]] = {
    AnswerKind.AMOUNT: frozenset(
        "cout prix montant budget tarif salaire subvention somme enveloppe frais remuneration financement "
        "loyer facture investissement recette chiffre_d'affaires participation_financiere".split()
    ),
    AnswerKind.COUNT: frozenset(
        "nombre taux pourcentage proportion effectif population superficie surface distance age "
        "frequentation longueur poids volume capacite consommation production quantite part "
        "moyenne score note altitude hauteur taille temperature vitesse densite profondeur largeur".split()
    ),
    AnswerKind.DATE: frozenset("date jour annee mois periode echeance epoque siecle saison moment".split()),
    AnswerKind.DURATION: frozenset(["duree"]),
    AnswerKind.HOUR: frozenset("heure horaire".split()),
    AnswerKind.FREQUENCY: frozenset("rythme frequence periodicite".split()),
    AnswerKind.PLACE: frozenset(
        "lieu endroit ville commune salle batiment local departement region quartier emplacement village "
        "pays capitale continent ile fleuve riviere ruisseau montagne localite territoire".split()
    ),
    AnswerKind.ORGANISATION: frozenset(
        "organisme structure entreprise association bureau_d'etudes cabinet partenaire financeur operateur "
        "prestataire societe fournisseur agence institution ministere banque syndicat collectivite "
        "federation fondation etablissement gestionnaire exploitant club equipe parti groupe chambre "
        "compagnie bailleur operateur cabinet".split()
    ),
    AnswerKind.PERSON: frozenset(
        "personne animateur animatrice responsable chef cheffe directeur directrice maire president "
        "presidente elu elue gerant gerante referent referente intervenant intervenante secretaire charge "
        "chargee adjoint adjointe auteur autrice interlocuteur interlocutrice coordinateur coordinatrice "
        "remplacant remplacante successeur formateur formatrice temoin expert experte conseiller "
        "conseillere delegue deleguee technicien technicienne roi reine empereur general pape ministre "
        "architecte ecrivain peintre artiste joueur fondateur fondatrice inventeur createur "
        "entraineur actrice chanteur chanteuse poete compositeur prenom participant participante tuteur "
        "tutrice".split()
    ),
    AnswerKind.CONTACT: frozenset(
        "numero telephone tel portable coordonnee mail e-mail email courriel mel adresse adresse_mail "
        "adresse_e-mail adresse_electronique adresse_postale site_web site_internet url".split()
    ),
    AnswerKind.NAME: frozenset(
        "outil logiciel plateforme application appli methode methodologie dispositif nom titre programme "
        "demarche jeu exercice format document label loi norme reglement technique support solution marque "
        "modele guide charte indicateur theme intitule slogan devise texte decret arrete circulaire "
        "formulaire contrat convention rapport systeme technologie equipement materiel surnom "
        "traite langue".split()
    ),
}
_NOUN_KIND = {noun.replace("_", " "): kind for kind, nouns in _NOUN_KINDS.items() for noun in nouns}

_MONEY_WORDS = re.compile(
    r"\b(?:cout\w*|coute\w*|prix|montant|budget|tarif\w*|salaire\w*|subvention\w*|somme|enveloppe|frais|argent"
    r"|paye\w*|payer|paie\w*|verse\w*|depense\w*|remunere\w*|remuneration|financ\w*|euros|loyer"
    r"|facture\w*|rapporte\w*|investi\w*)\b"
)
_DURATION_UNITS = re.compile(
    r"^(?:temps|jours?|mois|semaines?|minutes?|heures?|annees?|ans|demi-journees?|journees de travail"
    r"|trimestres?|siecles?|decennies?)\b"
)
_ORGANISATION_VERBS = re.compile(
    r"^qui (?:a |ont |va |vont |allait |avait )?(?:(?:le |la |les |l')?(?:financ\w*|paie|paye\w*"
    r"|subventionn\w*|porte\w*|pilote\w*|organis\w*|gere\w*|exploit\w*|monte\w*|lance\w*|command\w*"
    r"|realis\w*|construi\w*|fabriqu\w*|fourni\w*|heberg\w*|emploi\w*))\b"
)
_CONTACT_VERBS = re.compile(r"\b(?:joindre|contacter|appeler|ecrire a|telephoner)\b")
_NAMING = re.compile(
    r"\bcomment (?:s'appel\w+|se nomm\w+|appelle-t-on|appelle t on|nomme-t-on|on appelle|on l'appelle"
    r"|est (?:surnomme|appele|nomme)\w*|sont (?:surnomme|appele|nomme)\w*)\s*"
    r"(?:le |la |les |l'|un |une |ces |ce |cette )?(?P<noun>[a-z][\w-]*)?"
    r"|^(?:et )?(?:le |la |les |l')?(?P<noun2>[a-z][\w-]*)[^?]*\b(?:s'appel\w+|se nomm\w+) comment\b"
)
_DEFINITION = re.compile(
    r"\bc'est quoi\b|\bveut dire quoi\b|\bque (?:veut|veulent) dire\b"
    r"|\bque (?:signifie|designe|recouvre)\w*\b"
    r"|\bdefinition\b|\bdefinir\b|\bentend(?:re|-on)? par\b|\ben quoi consiste\b|\bconsiste en quoi\b"
    r"|\bqu'appelle-t-on\b|\bqu'entend-on\b|\bc'est quoi\b"
)
_WHAT_IS = re.compile(
    r"\bqu'est[- ]ce (?:que |qu')(?:c'est )?(?:un |une |le |la |l'|les |des )(?P<rest>[^?]*)"
    r"|(?P<end>\bqu'est[- ]ce que c'est\b)"
)
# « Quel(s) … » then what is asked: « quel est le coût de », « quels territoires ».
_ADJECTIVES = (
    r"grande?s?|petite?s?|principale?s?|principaux|premiere?s?|dernier|derniere?s?|seule?s?|autres?|meilleure?s?"
    r"|nouvelle?s?|nouveaux?|vraie?s?|mauvaise?s?|bonne?s?|gros|grosse?s?|vrais|veritable?s?|exacte?s?"
)
_WHICH = re.compile(
    r"\b(?P<which>quel|quelle|quels|quelles|lequel|laquelle|lesquels|lesquelles)\b"
    r"(?: (?:est|etait|etaient|sont|sera|seront|serait|a ete|ont ete|fut|furent))?"
    r"(?: (?:le|la|les|son|sa|ses|leur|leurs|un|une|des|ce|cette|ces)\b| l'|\s*)\s*"
    rf"(?:(?:{_ADJECTIVES}) )?(?P<phrase>(?P<noun>[a-z][\w-]*)"
    r"(?: (?:de |d')(?!(?:la|le|les|l)\b)(?P<noun2>[a-z][\w-]*))?)"
)
_COUNT_OF = re.compile(
    r"\bcombien (?:de |d')(?P<noun>[a-z][\w-]*)(?: (?:de |d')(?!(?:la|le|les|l)\b)(?P<noun2>[a-z][\w-]*))?"
)
# Where the main interrogative may stand: the start of the question or of a clause, after a
# fronted topic (« Frênebourg, ça fait combien… »), after a preposition.
_LEAD = r"(?:^|[,:;]\s*|\bet\s+|\bmais\s+|\bdonc\s+|\balors\s+)"
_PREP = r"(?:(?:par|avec|a|de|pour|chez|aupres de|contre|sur|sous|selon|d'apres|entre|vers|sans) )?"
_WHO = re.compile(
    rf"{_LEAD}{_PREP}qui\b(?! (?:il|elle|ils|elles|on)\b)|\bc'est qui\b|\bqui\s*(?:\?|$)|\bqui est-ce\b"
)
_WHEN = re.compile(
    rf"{_LEAD}(?:pour |depuis |jusqu'a |a partir de |d'ici )?quand\b"
    r"(?! (?:je|j'|on|nous|vous|tu|il|elle|ils|elles)\b)|\bc'(?:est|etait) quand\b|\bquand\s*(?:\?|$)"
    r"|\b(?:depuis|jusqu'a|a partir de|pour|d'ici) quand\b"
)
_WHERE = re.compile(
    rf"{_LEAD}(?:d'|par |jusqu')?où\b|\bc'(?:est|etait|était) où\b|\boù\s*(?:\?|$)|^ou (?=se |s'|est |sont )"
)
_WHAT = re.compile(rf"{_LEAD}(?:que |qu'|quoi\b|de quoi\b|a quoi\b|sur quoi\b|en quoi\b)|\bc'est quoi\b")
_OPEN_WH = re.compile(
    r"\b(?:pourquoi|comment|en quoi|de quelle (?:maniere|facon)|dans quel but|a quoi sert)\b"
)
_YES_NO = re.compile(
    r"^(?:et |mais |alors )?(?:est-ce qu|y a-t-il|y avait-il|y aura-t-il|y a t il)"
    r"|\b[a-z]+(?:-t)?-(?:il|elle|ils|elles|on)\b|\b[a-z]+ (?:t )?(?:il|elle|ils|elles) (?:[a-z]+ )?\w*\s*\?$"
)
_NO_UNITS = frozenset({"fois", "plus", "moins", "temps", "sa", "son", "ses", "leur", "leurs"})


def read_question(question: str) -> Asked:
    """The kind of answer ``question`` asks for and its focus (see ``Asked``), read from its
    main interrogative word: the first of « combien », « quand », « où », « qui », « quel »,
    « que », « comment », « pourquoi », or a yes or no question when it has none."""
    text = " ".join(question.casefold().replace("’", "'").split())
    folded = fold(text)
    contact = _CONTACT_VERBS.search(folded)
    if (
        contact
        and not re.search(r"\bquel (?:est|etait) (?:le|son) (?:nom|prenom)\b", folded)
        and (
            not _OPEN_WH.search(folded[: contact.start()])
            or re.search(r"\b(?:qui|comment|ou) $", folded[: contact.start()])
        )
    ):
        return Asked(AnswerKind.CONTACT, _contact_focus(folded))
    found = [
        (match.start(), reader)
        for pattern, reader in _READERS
        if (match := pattern.search(text if pattern is _WHERE else folded))
    ]
    if not found:
        return Asked(AnswerKind.YES_NO if _YES_NO.search(folded) else AnswerKind.OPEN)
    _, reader = min(found, key=lambda pair: pair[0])
    return reader(folded)


def _contact_focus(folded: str) -> str:
    match = re.search(
        r"\b(numero de telephone|telephone|numero|e-?mail|mail|courriel|adresse|coordonnees)\b", folded
    )
    return match.group(1) if match else "coordonnees"


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith("ss") else word


def _noun_kind(noun: str, phrase: str = "") -> AnswerKind | None:
    """The kind a noun asks for (« coût » -> AMOUNT), a two-word phrase first
    (« bureau d'études », « adresse e-mail »)."""
    if phrase and (kind := _NOUN_KIND.get(phrase) or _NOUN_KIND.get(_singular(phrase))):
        return kind
    return _NOUN_KIND.get(_singular(noun)) or _NOUN_KIND.get(noun)


def _how_many(folded: str) -> Asked:
    count = _COUNT_OF.search(folded)
    noun = count.group("noun") if count else ""
    if re.fullmatch(r"[a-z]+(?:er|ir)", noun) and noun not in {
        "fois",
        "dossier",
        "papier",
        "quartier",
        "chantier",
    }:
        noun = ""  # « combien de louer une salle »: a verb, no unit
    if _DURATION_UNITS.match(noun) or re.search(r"\bpendant combien\b|\bdepuis combien\b", folded):
        return Asked(AnswerKind.DURATION, noun if noun != "temps" else "")
    if noun == "fois" or re.search(r"\btous les combien\b", folded):
        return Asked(AnswerKind.FREQUENCY)
    money = _MONEY_WORDS.search(noun) if noun else _MONEY_WORDS.search(folded)
    if money or (not noun and re.search(r"\bcombien par\b|\ba combien\b|\bcombien d'euros\b", folded)):
        return Asked(AnswerKind.AMOUNT, money.group(0) if money and money.group(0) != "euros" else "")
    if noun in _NO_UNITS:
        noun = ""
    unit = f"{noun} de {count.group('noun2')}" if count and count.group("noun2") and noun else noun
    return Asked(AnswerKind.COUNT, unit)


def _which(folded: str) -> Asked:
    match = _WHICH.search(folded)
    assert match is not None
    noun, noun2, phrase = match.group("noun"), match.group("noun2"), match.group("phrase")
    if noun in {"est", "sont", "etait", "etaient", "sera", "fut"}:  # « quel est-il ? »
        return Asked(AnswerKind.OPEN)
    two_words = bool(noun2) and _noun_kind("", phrase) is not None
    kind = _noun_kind(noun, phrase if noun2 else "")
    focus = phrase if two_words or (kind is AnswerKind.COUNT and noun2) else noun
    if kind is not None:
        return Asked(kind, focus)
    if match.group("which") in {"quels", "quelles", "lesquels", "lesquelles"}:
        return Asked(AnswerKind.LIST, noun)
    return Asked(AnswerKind.OPEN, noun)


def _who(folded: str) -> Asked:
    lead = folded[_WHO.search(folded).start() :].lstrip(",:; ")  # type: ignore[union-attr]
    lead = re.sub(r"^(?:et|mais|donc|alors) ", "", lead)
    if _ORGANISATION_VERBS.match(lead):
        return Asked(AnswerKind.ORGANISATION)
    return Asked(AnswerKind.PERSON)


def _what(folded: str) -> Asked:
    value = re.search(r"\bc'est quoi (?:le |la |les |l'|son |sa |ses |leur )(?P<noun>[a-z][\w-]*)", folded)
    if value and (kind := _noun_kind(value.group("noun"))) is not None:  # « c'est quoi l'adresse… »
        return Asked(kind, value.group("noun"))
    if _DEFINITION.search(folded):
        return Asked(AnswerKind.DEFINITION)
    what_is = _WHAT_IS.search(folded)
    if what_is and (what_is.group("end") or len(what_is.group("rest").split()) <= 5):
        return Asked(AnswerKind.DEFINITION)
    return Asked(AnswerKind.OPEN)


def _how(folded: str) -> Asked:
    naming = _NAMING.search(folded)
    if naming:
        noun = naming.group("noun") or naming.group("noun2") or ""
        kind = _noun_kind(noun) if noun else None
        if kind is AnswerKind.PERSON:
            return Asked(AnswerKind.PERSON, noun)
        # « comment appelle-t-on ces gens… » asks for a term, not a name: nothing to check
        terminology = re.search(r"\b(?:appelle-t-on|appelle t on|nomme-t-on|on appelle)\b", folded)
        return Asked(AnswerKind.OPEN if terminology else AnswerKind.NAME, noun)
    if re.search(r"\bcombien\b", folded):
        return _how_many(folded)
    return Asked(AnswerKind.OPEN)


def _when(folded: str) -> Asked:
    return Asked(AnswerKind.DATE)


def _where(folded: str) -> Asked:
    if re.search(r"\bd'ou (?:vien|provien|sort|tir)\w*|\bou en (?:est|sont|etai)\w*", folded):
        return Asked(AnswerKind.OPEN)
    return Asked(AnswerKind.PLACE)


def _open(folded: str) -> Asked:
    if re.search(r"\bcomment\b", folded):
        return _how(folded)
    return Asked(AnswerKind.OPEN)


_HOUR = re.compile(r"\b(?:a|de|vers) quelle heure\b|\bquelle heure\b")
_READERS = (
    (_HOUR, lambda folded: Asked(AnswerKind.HOUR)),
    (re.compile(r"\bcombien\b"), _how_many),
    (_WHEN, _when),
    (_WHERE, _where),
    (_WHO, _who),
    (_WHICH, _which),
    (_WHAT, _what),
    (_DEFINITION, _what),
    (_OPEN_WH, _open),
    (re.compile(r"\b(?:s'appel\w+|se nomm\w+) comment\b"), _how),
)


def expected_kind(question: str) -> AnswerKind:
    """The kind of answer ``question`` asks for (``AnswerKind.OPEN`` when nothing tells)."""
    return read_question(question).kind


# -- values in sentences -----------------------------------------------------------

_SHAPES: dict[AnswerKind, re.Pattern[str]] = {
    AnswerKind.HOUR: re.compile(
        r"\b\d{1,2} ?h(?: ?\d{2})?\b|(?<!-)\b(?:midi|minuit)\b"
        r"|\b\d{1,2} heures? (?:du matin|du soir|de l'apres-midi)"
    ),
    AnswerKind.DATE: re.compile(
        rf"\b(?:{_MONTHS})\b|\b(?:1[0-9]|20)\d\d\b|\b\d{{1,2}}/\d{{1,2}}\b|\bsiecles?\b|\bannees \d0\b"
        r"|\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
        r"|\b(?:printemps|ete|automne|hiver|rentree)\b"
    ),
    AnswerKind.AMOUNT: re.compile(
        rf"(?:\d[\d .,]*|\b(?:{_NUMBER_WORDS})\b)\s*"
        r"(?:(?:k|m|md)?€|euros?\b|(?:mille|millions?|milliards?) d'euros)|€\s*\d"
    ),
    AnswerKind.DURATION: re.compile(rf"{_NUMBER}[\w ,]{{0,12}}?\b(?:{_UNITS})\b(?! ?\d)"),
    AnswerKind.FREQUENCY: re.compile(
        r"\b(?:quotidien\w*|hebdomadaire\w*|mensuel\w*|bimestriel\w*|trimestriel\w*"
        r"|semestriel\w*|annuel\w*|chaque (?:jour|semaine|mois|trimestre|annee|an)"
        r"|tous les (?:jours|mois|ans|trimestres|\w+ (?:jours|mois|ans|semaines))"
        r"|par (?:jour|semaine|mois|an)"
        r"|\bfois (?:par|tous|chaque)\b)"
    ),
    AnswerKind.COUNT: re.compile(rf"{_NUMBER}|%"),
    AnswerKind.CONTACT: re.compile(
        r"\b0\d(?:[ .-]?\d\d){4}\b|\+33 ?\d|[\w.+-]+@[\w-]+\.[\w.]+|\bhttps?://|\bwww\.\w"
        r"|\b[\w-]+\.(?:fr|com|org|gouv\.fr|eu)\b"
        r"|\b\d{1,4},? (?:rue|avenue|boulevard|bd|place|chemin|allee|impasse|quai|route)\b|\b\d{5} [a-z]"
    ),
}
_NAMED = frozenset({AnswerKind.PERSON, AnswerKind.ORGANISATION, AnswerKind.PLACE})
# Contact details by what is asked: a phone number is not answered by an e-mail address.
_CONTACTS = {
    "phone": re.compile(r"\b0\d(?:[ .-]?\d\d){4}\b|\+33 ?\d"),
    "mail": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "web": re.compile(r"\bhttps?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:fr|com|org|eu|net)\b"),
    "post": re.compile(
        r"\b\d{1,4},? (?:rue|avenue|boulevard|bd|place|chemin|allee|impasse|quai|route)\b|\b\d{5} [a-z]"
    ),
}
_CONTACT_FOCUS = (
    (re.compile(r"numero|telephone|tel\b|portable|appeler|telephoner"), "phone"),
    (re.compile(r"mail|courriel|electronique|mel\b|ecrire"), "mail"),
    (re.compile(r"site|url|lien|web|internet"), "web"),
    (re.compile(r"postale|adresse"), "post"),
)


def contact_values(focus: str, sentence: str) -> list[str]:
    """The contact details of the asked sort (``focus``: « numéro », « e-mail »…; any sort
    when the focus says none) that ``sentence`` holds."""
    folded = fold(sentence).replace("’", "'")
    wanted = next((sort for cue, sort in _CONTACT_FOCUS if cue.search(fold(focus))), None)
    patterns = [_CONTACTS[wanted]] if wanted else list(_CONTACTS.values())
    return [m.group(0) for pattern in patterns for m in pattern.finditer(folded)]


_CAPITAL = r"[A-ZÉÈÀÂÎÔÇ]"
_LOWER = r"[a-zéèêëàâîïôûüç]"
_NAME_WORD = rf"{_CAPITAL}{_LOWER}+(?:-{_CAPITAL}{_LOWER}+)?"
# A person's name: a capitalised first name and a capitalised last name, the first not opening
# the sentence nor after a preposition or an article (« Léonie Farandole », not « Salle des
# Fêtes », « de Sauvelière Thème », « Les Passeurs »).
_PERSON_NAME = re.compile(
    rf"(?<!\bde )(?<!\bdes )(?<!\bdu )(?<!\bd')(?<!\bà )(?<!\ben )(?<!\bau )(?<!\baux )"
    rf"(?<!\bla )(?<!\ble )(?<!\bles )(?<!\bl')\b(?!(?:Les|La|Le|Un|Une|Des|Du|De|Journée|Territoire)\b)"
    rf"{_NAME_WORD} {_NAME_WORD}(?: {_NAME_WORD})?"
)
# A person named by a title or a role then a capitalised name (« le général Bugeaud »,
# « Louis VII », « saint Martin »), or a people (« les Irlandais unis »).
_TITLED = re.compile(
    rf"\b(?:général|roi|reine|président|présidente|ministre|maire|pape|empereur|impératrice|prince|princesse"
    rf"|duc|duchesse|comte|comtesse|marquis|baron|saint|sainte|docteur|professeur|capitaine|colonel|lieutenant"
    rf"|maréchal|amiral|sultan|calife|émir|cardinal|évêque|abbé|père|frère|sœur|mère|madame|monsieur|mme|m\."
    rf"|mr|dr|sir|lord|lady)\s+({_NAME_WORD}(?:\s+(?:de |du |d['’])?{_NAME_WORD})*)"
    rf"|\b({_NAME_WORD}\s+[IVX]{{1,5}})\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9&]{1,7}(?![\w-])")
# An organisation: its noun then a capitalised name (« ministère des Territoires »).
_ORGANISATION_NOUN = re.compile(
    r"\b(?:ministere|association|agence|cabinet|bureau d'etudes|societe|entreprise|fondation|federation"
    r"|syndicat|region|departement|communaute|metropole|caisse|banque|office|etablissement|groupe|centre"
    r"|institut|conseil|direction|reseau|collectif|cooperative|mairie|prefecture|etat|union|commission"
    r"|fonds|operateur|bailleur|universite|ecole|compagnie|club|parti)s?\b"
)
# « financé par les quatre intercommunalités », « assurée par l'association »: who does it.
_BY_ORGANISATION = re.compile(
    r"\bpar (?:les |la |le |l'|des |un |une |ses |leur |leurs )?(?:\w+ )?"
    r"(intercommunalites|collectivites|communes"
    r"|territoires|association|associations|ministere|etat|region|departement|metropole|syndicat|agence"
    r"|entreprise|entreprises|commune|ville|communaute|caisse|banque|fondation|operateur|bailleur)\b"
)
_ROLE = re.compile(
    r"\b(?:directeur|directrice|charge|chargee|elu|elue|elus|secretaire|gerant|gerante|habitant|habitante"
    r"|habitants|agent|agents|agente|maire|adjoint|adjointe|president|presidente|referent|referente"
    r"|animateur|animatrice|animateurs|equipe|technicien|technicienne|conseil|conseiller|conseillere"
    r"|benevole|benevoles|responsable|responsables|chef|cheffe|coordinateur|coordinatrice|syndic"
    r"|pere|mere|fils|fille|frere|soeur|epoux|epouse|mari|femme|oncle|tante|cousin|cousine|grand-pere"
    r"|grand-mere|parents|enfant|enfants|ami|amie|maitre|eleve|disciple|successeur|predecesseur"
    r"|proprietaire|proprietaires|locataire|locataires|gestionnaire|exploitant|syndic de copropriete"
    r"|conseil syndical|habitante?s?|citoyens?)\b"
)
_PLACE = re.compile(
    r"\b(?:salle|mediatheque|mairie|grange|tiers-lieu|auditorium|gymnase|ecole|college|lycee|hotel de ville"
    r"|maison de|halle|jardin|parc|domaine|chateau|theatre|musee|bibliotheque|gare|batiment|immeuble"
    r"|quartier|siege|entrepot|ferme|village)s?\b"
)
_PLACE_CAPITAL = re.compile(
    r"\b(?:[àÀ]|[aA]u|[aA]ux|[eE]n|[dD]ans|[pP]rès de|[cC]hez|[vV]ers|[sS]ur|[sS]ous|[lL]e long de"
    r"|[fF]ace à)"
    rf"\s+(?:la |le |les |l['’])?({_CAPITAL}[\w'’-]*)|\((?:{_CAPITAL}[\w'’-]*)(?:,\s*({_CAPITAL}[\w'’-]*))+"
)
_QUOTED = re.compile(r"«\s*([^»]{2,60}?)\s*»|“([^”]{2,60})”|\"([^\"]{2,60})\"")
# « X est un… », « X désigne… », « X, un petit-déjeuner… », « X : … », « il s'agit de… »
_DEFINING = re.compile(
    r"^\W{0,3}(?:, (?:un|une|des|le|la|les|l'|c'est|soit|ce qui)\b|: (?!\w+ :)|\(|est |sont |designe|consiste"
    r"|signifie|c'est-a-dire|renvoie|correspond|regroupe|recouvre|se definit|se distingue|qualifie)"
)
_DEFINING_ANYWHERE = re.compile(r"\bil s'agit d\w*|\bon (?:appelle|entend par|parle de)\b|\bc'est-a-dire\b")
_ITEM_BREAK = re.compile(r"\s*[,;]\s+")


def fits(kind: AnswerKind | None, sentence: str) -> float:
    """1 when ``sentence`` gives an answer of ``kind``, -1 when it cannot, 0 when the kind
    has no shape to check (a definition, a list, an open question). A person may be named
    or described by a role, so a sentence without a name is not ruled out for a person
    (0)."""
    if kind is None or not kind.checked:
        return 0.0
    if kind is AnswerKind.PERSON:
        return 1.0 if _PERSON_NAME.search(sentence) else 0.0
    return 1.0 if shape_values(kind, sentence) else -1.0


def carries_shape(kind: AnswerKind, sentence: str) -> bool:
    """Whether ``sentence`` holds a value of the shape ``kind`` asks for (no shape: True)."""
    values = shape_values(kind, sentence)
    return True if values is None else bool(values)


def shape_values(kind: AnswerKind, sentence: str) -> list[str] | None:
    """The values of the asked shape ``sentence`` holds (folded for the shapes read in folded
    form), to tell them from the question's own; ``None`` for a kind without a shape."""
    folded = fold(sentence).replace("’", "'")
    if kind in _SHAPES:
        return [m.group(0) for m in _SHAPES[kind].finditer(folded)]
    if kind is AnswerKind.PERSON:
        return person_names(sentence)
    if kind is AnswerKind.ORGANISATION:
        agents = [m.group(1) for m in _BY_ORGANISATION.finditer(folded)]
        return organisation_names(sentence) + person_names(sentence) + agents
    if kind is AnswerKind.PLACE:
        return place_names(sentence) + [m.group(0) for m in _PLACE.finditer(folded)]
    return None


def place_names(sentence: str) -> list[str]:
    """The places ``sentence`` names (« à Brumeval », « en Île-de-France », « (Jordanie, Liban,
    Turquie) »)."""
    return [m.group(0).strip("( ").split()[-1] for m in _PLACE_CAPITAL.finditer(sentence)]


def person_names(sentence: str) -> list[str]:
    """The people ``sentence`` names (« Léonie Farandole », « le général Bugeaud », « Louis
    VII », « les Irlandais »)."""
    titled = [next(g for g in m.groups() if g) for m in _TITLED.finditer(sentence)]
    return [m.group(0) for m in _PERSON_NAME.finditer(sentence)] + [
        name for name in titled if name[0].isupper()
    ]


def organisation_names(sentence: str) -> list[str]:
    """The organisations ``sentence`` names: acronyms, and capitalised names after an
    organisation's noun (« l'association Les Passeurs », « ministère des Territoires »)."""
    found = [m for m in _ACRONYM.findall(sentence) if not any(c.isdigit() for c in m)]
    folded = fold(sentence).replace("’", "'")
    for match in _ORGANISATION_NOUN.finditer(folded):
        following = sentence[match.end() : match.end() + 40]
        named = re.match(rf"\s+(?:(?:de la|de l['’]|des|du|de|d['’])\s*)?({_CAPITAL}[\w'’-]+)", following)
        if named:
            found.append(named.group(1))
    return found


def roles(sentence: str) -> list[str]:
    """The roles ``sentence`` names (« directeur des services », « élue référente »)."""
    return [m.group(0) for m in _ROLE.finditer(fold(sentence))]


def named_things(sentence: str) -> list[str]:
    """What a sentence names as a name: a quoted term, a person, an organisation, an acronym."""
    quoted = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(sentence)]
    return quoted + person_names(sentence) + organisation_names(sentence)


def defines(sentence: str, words: str) -> bool:
    """Whether ``sentence`` defines or describes ``words`` (the folded words of the term
    asked about): the term followed by « est », « désigne », « consiste », a comma, a colon
    or a parenthesis, or a defining phrase (« il s'agit de », « c'est-à-dire »)."""
    folded = fold(sentence).replace("’", "'").replace("«", " ").replace("»", " ")
    folded = " ".join(folded.split())
    if _DEFINING_ANYWHERE.search(folded):
        return True
    key = words.split()
    if not key:
        return False
    if re.search(rf"\(\s*{re.escape(key[-1])}\s*\)", folded):  # « Direction … du numérique (DINUM) »
        return True
    tail = key[-1]
    stem = re.escape(tail[:-1] if len(tail) > 4 else tail)
    if re.search(rf":\s*(?:(?:le|la|les|l'|un|une)\s*)?[\w' -]*\b{stem}\w*\W*$", folded):
        return True  # « … : le troc d'ingénierie. » — the next sentence says what it is
    for match in re.finditer(rf"\b{re.escape(tail[:-1] if len(tail) > 4 else tail)}\w*", folded):
        if _DEFINING.match(folded[match.end() :]):
            return True
    return False


def enumerates(sentence: str, items: int = 3) -> bool:
    """Whether ``sentence`` lists at least ``items`` short items (« A, B et C », « A ; B ; C »,
    « A et B » for two): that many pieces of six words at most between commas, semicolons or
    a last « et », none opening on a participle (« construit avec le conseil »)."""
    body = re.sub(r"^[^:]{0,40}:\s+", "", sentence.strip())  # a run-in label (« Territoire : »)
    pieces = [
        p for piece in _ITEM_BREAK.split(body) for p in re.split(r"\s+(?:et|ou)\s+", piece) if p.strip()
    ]
    short = [piece for piece in pieces if len(piece.split()) <= 6 and not _PARTICIPLE.match(piece.strip())]
    return len(short) >= items


_PARTICIPLE = re.compile(r"^[\w-]+(?:é|ée|és|ées|ant|is|ise|it|ite)\b", re.IGNORECASE)  # « construit avec… »


@dataclass(frozen=True)
class Count:
    """A number in a sentence and the noun it counts (« 11 personnes » -> ``personnes``)."""

    value: str
    unit: str  # folded, "" when no noun follows


_COUNT = re.compile(
    rf"(?P<value>\d+(?:[ \u00a0\u202f]\d{{3}})*(?:[.,]\d+)?(?: (?:millions?|milliards?|mille))?"
    r"|\b(?:plusieurs|quelques|des) (?:centaines|milliers|millions|milliards)\b"
    rf"|\b(?:{_NUMBER_WORDS}|un|une)\b)"
    r"\s*(?:%|(?:(?:le |la |les |l'|des |de |d'|du )?(?:[a-z-]+ ){0,1}?)(?P<unit>[a-z][a-z-]+))?"
)
_CELL_COUNT = re.compile(
    r"(?P<unit>[a-z][\w'-]*(?: [a-z][\w'-]*){0,2}) : (?P<value>\d+(?:[ ]\d{3})*(?:[.,]\d+)?)\b"
)


def counts(sentence: str) -> list[Count]:
    """Every number of ``sentence`` with the noun it counts, a table cell's name included
    (« Personnes présentes : 4 » -> 4 ``personnes presentes``)."""
    folded = fold(sentence).replace("’", "'")
    found = [Count(m.group("value"), m.group("unit") or "") for m in _COUNT.finditer(folded)]
    found += [Count(m.group("value"), m.group("unit").strip()) for m in _CELL_COUNT.finditer(folded)]
    return [c for c in found if c.value not in {"un", "une"}]  # « une copropriété » is no count


def person_nouns() -> frozenset[str]:
    """The nouns that name a person's role in a question (« maire », « référente »)."""
    return _NOUN_KINDS[AnswerKind.PERSON]
