"""Listing answers: a question asking for a list in, a lead sentence and short items out.

Pure. « Qu'attendaient les territoires de la deuxième journée ? », « Quels leviers lors de
la journée 2 ? » or « les difficultés rencontrées » ask for a list, which reads best as
one: a lead sentence (« Trois territoires ont participé à la deuxième journée ; voici ce
que chacun en attendait : ») then one item per line, each from one passage.

``listing_question`` says what list a question asks for (or None: a factual question
stays a sentence answer). ``territory_listing`` and ``topic_listing`` build the list from
passages (retrieved ones first, so citations stay real passages with their pages) and,
for territories, the rows of the participants tables; each item says which passage it
comes from. Only what was asked is listed: expectations asked, the follow-ups column is
left out; run-in labels (« Leviers identifiés. », « Territoire : ») are never items.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Protocol

from assistant.same_thing import same_thing
from vectorstore.french_text import fold, split_sentences, terms


class Subject(Enum):
    TERRITORIES = "territoires"
    LEVERS = "leviers"
    DIFFICULTIES = "difficultés"


class Column(Enum):
    """A column of the participants tables a question may ask for."""

    EXPECTATIONS = "attentes"
    FOLLOW_UPS = "suites données"


@dataclass(frozen=True)
class ListingQuestion:
    subject: Subject
    columns: tuple[Column, ...] = ()  # territories: the columns asked (none: the names only)
    day: int | None = None
    focus: str = ""  # levers or difficulties about whom or what (« pour mobiliser les élus »)


class PassageLike(Protocol):
    """What a listing reads of a passage (``vectorstore.Chunk`` is one)."""

    text: str
    section: str
    kind: str
    session: int | None
    territory: str | None
    cells: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Item:
    text: str  # as the reader sees it, without marker
    source: int  # index of its passage in ``[*passages, *rows]``
    more: tuple[tuple[str, int], ...] = ()  # further parts from other passages: (text, source)
    also: tuple[int, ...] = ()  # other passages saying the same thing (the notes after the report)

    @property
    def sources(self) -> tuple[int, ...]:
        return (self.source, *self.also, *(source for _, source in self.more))


@dataclass(frozen=True)
class Listing:
    lead: str  # ends with « : »
    items: tuple[Item, ...]


# -- what a question asks for ----------------------------------------------------------

_LEVERS = re.compile(
    r"\b(?:leviers|pistes(?: d'action)?|moyens d'action|bonnes pratiques"
    r"|ce qui a (?:bien )?(?:marche|fonctionne))\b"
)
_DIFFICULTIES = re.compile(
    r"\b(?:difficultes|obstacles|freins|blocages|ecueils|problemes|points de blocage"
    r"|ce qui a (?:coince|bloque|freine|moins bien marche))\b"
)
_TERRITORY_NOUN = re.compile(
    r"\b(?:territoires|collectivites|communes|intercommunalites|villes|participants|structures"
    r"|chaque (?:territoire|collectivite|commune)|chacun)\b"
)
# Expectations: words that say so alone, and words that need the territories named.
_EXPECTATIONS = re.compile(r"\b(?:attentes|attend(?:ai(?:en)?t|ent)|esper(?:ai(?:en)?t|ent)|espoirs)\b")
_EXPECTATIONS_WEAK = re.compile(
    r"\b(?:attendu\w*|besoins|souhait\w*|objectifs|voulaient|cherchaient|visaient|venus? chercher)\b"
)
_FOLLOW_UPS = re.compile(r"\b(?:suites|suites? donnees?)\b")
_FOLLOW_UPS_WEAK = re.compile(
    r"\b(?:devenus?|advenu|apres (?:la|les|cette|ces) journees?|ensuite|concretis\w*"
    r"|mis(?:es)? en (?:oeuvre|place)|realisations|resultats)\b"
)
_EXPECTATIONS_AS_OBJECT = re.compile(
    r"\b(?:suites?|donnee?s?|repondu|repondre|reponses?)\b[^?]{0,30}\b(?:aux|a leurs|a ces|a ses) attentes\b"
)
_PARTICIPATION = re.compile(r"\b(?:particip\w*|present\w*|venu\w*|inscrit\w*|represente\w*|etaient la)\b")
# « Quels territoires… », « Quelles étaient les communes… », « Qui a participé… »: the
# territories are what is asked, not a complement (« les aides présentées aux territoires »).
_WH_TERRITORIES = re.compile(
    r"^(?:(?:quels|quelles|lesquel\w*|liste\w*|cite\w*|donne\w*|nomme\w*|enumere\w*)\s+(?:[\w']+\s+){0,3}?"
    r"(?:territoires|collectivites|communes|intercommunalites|villes|structures)\b)"
)
_WHO = re.compile(r"^qui\b")
# « Qui a participé à la journée 2 ? » asks for the territories; « Qui a représenté le
# ministère ? » does not: a question opened by « qui » may hold these words only.
_WHO_WORDS = frozenset(
    terms("participé participaient présents présentes venus venues inscrits journée session")
)
# Questions that want a fact, a reason or a yes or no, not a list.
_NOT_A_LIST = re.compile(
    r"^(?:et |mais )?(?:pourquoi|comment|quand|combien|ou |est-ce qu|y a-t-il|a quel|en quoi|de quoi|a qui)"
    r"|^qu'est-ce qu(?:e |')(?:un|une|le|la|l')\b"
    r"|\bcombien\b|\bquel(?:le)? (?:est|etait|a ete|fut|sera)\b"
    r"|\b(?:veut dire|veulent dire|signifie\w*|designe\w*|definition|definir)\b"
    r"|\b(?:le|la|l') ?(?:plus|moins|principal|principale|seul|seule"
    r"|(?:premier|premiere|dernier|derniere)(?! (?:journee|session|rencontre)))\b"
)
_INVERTED = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)\b")
_QUESTION_WORD = re.compile(r"\b(?:quels?|quelles?|qu'|que|quoi|lesquel\w*)\b")
# A capitalised word that is not the first one: a place or a name, so a narrower question.
_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-ZÀ-ÖØ-Ý][\w'’-]+")
_NOT_NAMES = frozenset(fold(w) for w in "Journée Journées Session Sessions Bilan Notes".split())
_DAY_WORD = re.compile(r"journ|session|rencontre")
_FOCUS = re.compile(
    r"\b(?:pour|aupr[eè]s d(?:es|u|e la|e l'|e)|avec|envers|sur|concernant|en direction d(?:es|u|e la))\s+"
    r"(?P<what>[^?!.]+)$",
    re.IGNORECASE,
)
_INFINITIVE = re.compile(r"[a-z]{3,}(?:er|ir|re)")
_WHEN = re.compile(  # « … lors de la journée 2 »: when, not about what
    r"[\s,]+(?:lors|au cours|pendant|durant|a|à)\b[^?!.]*\b(?:journ|session|rencontre)[^?!.]*$", re.IGNORECASE
)
_DAY_TERM = re.compile(r"journ|session|\d")


def listing_question(question: str) -> ListingQuestion | None:
    """The list ``question`` asks for, or None when it asks for something else."""
    folded = fold(question).replace("’", "'")
    day, days = _day(question)
    if (
        _NOT_A_LIST.search(folded)
        or _names_something(question)
        or (_INVERTED.search(folded) and not _QUESTION_WORD.search(folded))  # yes or no
        or days > 1  # « journées 1 et 2 »: a comparison, not one list
    ):
        return None
    territories = bool(_TERRITORY_NOUN.search(folded))
    subjects = [
        s
        for s, cue in ((Subject.LEVERS, _LEVERS), (Subject.DIFFICULTIES, _DIFFICULTIES))
        if cue.search(folded)
    ]
    columns = tuple(
        column
        for column, strong, weak in (
            (Column.EXPECTATIONS, _EXPECTATIONS, _EXPECTATIONS_WEAK),
            (Column.FOLLOW_UPS, _FOLLOW_UPS, _FOLLOW_UPS_WEAK),
        )
        if strong.search(folded) or (territories and weak.search(folded))
    )
    if Column.FOLLOW_UPS in columns and _EXPECTATIONS_AS_OBJECT.search(folded):
        columns = (Column.FOLLOW_UPS,)  # « les suites données aux attentes »: the follow-ups only
    asked = None
    if subjects:  # levers and difficulties at once, or with expectations, are not one list
        one = len(subjects) == 1 and not columns
        asked = ListingQuestion(subjects[0], (), day, focus_of(question)) if one else None
    elif columns:
        asked = ListingQuestion(Subject.TERRITORIES, columns, day)
    elif _PARTICIPATION.search(folded) and (
        _WH_TERRITORIES.match(folded)
        or (_WHO.match(folded) and {t for t in terms(question) if not t.isdigit()} <= _WHO_WORDS)
    ):
        asked = ListingQuestion(Subject.TERRITORIES, (), day)
    return asked


def focus_of(question: str) -> str:
    """Whom or what the levers asked for are about, as the question says it (« pour mobiliser
    les élus », « auprès des habitants », « sur le financement »), or ``""``."""
    match = _FOCUS.search(_WHEN.sub("", question.strip().rstrip("?!. ")))
    if not match or not focus_terms(match.group("what")):
        return ""
    return " ".join(match.group(0).split())


def focus_terms(text: str) -> set[str]:
    """The words of a focus that an item must hold one of (an infinitive that opens it,
    « mobiliser », « associer », is how, not whom: left out)."""
    words = text.split()
    if words and _INFINITIVE.fullmatch(fold(words[0])):
        words = words[1:]
    return {_singular(term) for term in terms(" ".join(words)) if not _DAY_TERM.match(term)}


def _singular(term: str) -> str:
    return term.rstrip("sx") if len(term) > 3 else term


def _names_something(question: str) -> bool:
    """Whether the question names a place, a person or an organisation (« Roc-Tilleul »)."""
    return any(fold(m.group(0)) not in _NOT_NAMES for m in _NAME.finditer(question.strip()))


def _day(question: str) -> tuple[int | None, int]:
    """The day the question names (« journée 2 », « deuxième journée », « 2e journée ») and
    how many days it names."""
    if not _DAY_WORD.search(fold(question)):
        return None, 0
    numbers = {int(t) for t in terms(question) if t.isdigit() and 1 <= int(t) <= 20}
    return (numbers.pop() if len(numbers) == 1 else None), len(numbers)


# -- French words ------------------------------------------------------------------------

_CARDINALS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf vingt"
).split()
_ORDINALS = (
    "première deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième".split()
)


def in_words(count: int) -> str:
    """A small count in French words (« trois »), a larger one in digits."""
    return _CARDINALS[count] if 0 <= count < len(_CARDINALS) else str(count)


def day_name(day: int) -> str:
    """« la deuxième journée », or « la journée 12 » past the tenth."""
    return f"la {_ORDINALS[day - 1]} journée" if 1 <= day <= len(_ORDINALS) else f"la journée {day}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- territories -------------------------------------------------------------------------

_COLUMN_NAMES = {
    Column.EXPECTATIONS: re.compile(r"^(?:attent|besoin|souhait|objectif|enjeu)"),
    Column.FOLLOW_UPS: re.compile(r"^(?:suite|suivi|resultat|realisation)"),
}
_COLUMN_HEADINGS = {
    Column.EXPECTATIONS: re.compile(r"\b(?:attend\w*|attentes|besoins|souhaits|espoirs|objectifs)\b"),
    Column.FOLLOW_UPS: re.compile(r"\b(?:suites|suite donnee|suivi|apres)\b"),
}
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def _cell(row: PassageLike, column: Column) -> str:
    for name, value in row.cells:
        if _COLUMN_NAMES[column].match(fold(name)) and value.strip():
            return value.strip().rstrip(".").strip()
    return ""


def territory_listing(
    asked: ListingQuestion, passages: Sequence[PassageLike], rows: Sequence[PassageLike] = ()
) -> Listing | None:
    """The territories of the day asked (every day if none), each with the columns asked.

    ``rows`` are every row of the participants tables (complete: the lead then says how
    many territories took part); a row also among ``passages`` is cited as that passage.
    Without rows, the table rows among ``passages`` are used, or else the notes' lists under
    a heading that names the column (« Ce que les territoires attendaient », « Suites »).
    """
    pool = [*passages, *rows]
    complete = bool(rows)
    candidates = range(len(passages), len(pool)) if complete else range(len(passages))
    chosen: dict[str, int] = {}
    for index in candidates:
        row = pool[index]
        if not (row.cells and row.territory) or not _on_day(row, asked.day):
            continue
        if all(_cell(row, column) for column in asked.columns) and len(row.cells) > 1:
            chosen.setdefault(row.territory, index)  # the first table naming it: its day's table
    if complete:  # cite the retrieved passage holding the same row, when there is one
        retrieved = {_row_key(p): i for i, p in enumerate(passages) if p.cells}
        chosen = {name: retrieved.get(_row_key(pool[i]), i) for name, i in chosen.items()}
    if chosen:
        days = {pool[i].session for i in chosen.values()}
        items = tuple(
            Item(_row_item(pool[index], asked, show_day=asked.day is None and len(days) > 1), index)
            for index in chosen.values()
        )
        return Listing(_territory_lead(asked, len(items) if complete else None), items)
    if asked.columns:
        return _notes_territories(asked, passages)
    return None


def _row_key(row: PassageLike) -> tuple[str, str | None, tuple[tuple[str, str], ...]]:
    return (getattr(row, "source", ""), row.territory, row.cells)


def _on_day(passage: PassageLike, day: int | None) -> bool:
    return day is None or passage.session == day


def _row_item(row: PassageLike, asked: ListingQuestion, show_day: bool) -> str:
    name = str(row.territory) + (f" (journée {row.session})" if show_day and row.session else "")
    values = [(column, _cell(row, column)) for column in asked.columns]
    if not values:
        return name
    if len(values) == 1:
        return f"{name} : {values[0][1]}"
    return f"{name} — " + " ; ".join(f"{column.value} : {value}" for column, value in values)


def _territory_lead(asked: ListingQuestion, count: int | None) -> str:
    where = day_name(asked.day) if asked.day else None
    columns = set(asked.columns)
    if count is None:  # only what the passages retrieved show: no count
        of_day = f"de {where}" if where else "des journées"
        if not columns:
            return (
                f"D'après les passages retrouvés, ces territoires ont participé à {where or 'aux journées'} :"
            )
        wanted = {
            frozenset({Column.EXPECTATIONS}): f"ce qu'attendaient les territoires {of_day}",
            frozenset({Column.FOLLOW_UPS}): f"les suites données par les territoires {of_day}",
        }.get(frozenset(columns), f"ce qu'attendaient les territoires {of_day} et les suites données")
        return f"D'après les passages retrouvés, voici {wanted} :"
    one = count == 1
    took_part = (
        f"{_capitalised(in_words(count))} {'territoire a' if one else 'territoires ont'} participé "
        + (f"à {where}" if where else "aux journées")
    )
    if not columns:
        return f"{took_part} :"
    expected = "ce qu'il en attendait" if one else "ce que chacun en attendait"
    followed = "les suites données" if one else "les suites données par chacun"
    if columns == {Column.EXPECTATIONS}:
        return f"{took_part} ; voici {expected} :"
    if columns == {Column.FOLLOW_UPS}:
        return f"{took_part} ; voici {followed} :"
    return f"{took_part} ; voici {expected} et les suites données :"


def _notes_territories(asked: ListingQuestion, passages: Sequence[PassageLike]) -> Listing | None:
    """The notes' lists « - **Sauvelière** : … » under a heading naming each column asked,
    merged by territory (each part cited by its own passage)."""
    parts: dict[str, list[tuple[Column, str, int]]] = {}
    names: dict[str, str] = {}
    for column in asked.columns:
        for index, passage in enumerate(passages):
            heading = fold(passage.section.split(" > ")[-1]).replace("’", "'")
            if (
                passage.cells
                or not _on_day(passage, asked.day)
                or not _COLUMN_HEADINGS[column].search(heading)
            ):
                continue
            for line in passage.text.splitlines():
                if not _BULLET.match(line):
                    continue
                name, sep, value = _plain(_BULLET.sub("", line)).partition(" : ")
                key = fold(name)
                if (
                    sep
                    and value.strip()
                    and len(name.split()) <= 8
                    and column not in {c for c, *_ in parts.get(key, [])}
                ):
                    names.setdefault(key, name.strip())
                    parts.setdefault(key, []).append((column, value.strip().rstrip(".").strip(), index))
    complete = [key for key, found in parts.items() if len(found) == len(asked.columns)]
    if not complete:
        return None
    items = []
    for key in complete:
        found = parts[key]
        if len(found) == 1:
            items.append(Item(f"{names[key]} : {found[0][1]}", found[0][2]))
        else:
            (column, value, index), *rest = found
            more = tuple((f"{c.value} : {v}", i) for c, v, i in rest)
            items.append(Item(f"{names[key]} — {column.value} : {value}", index, more))
    return Listing(_territory_lead(asked, None), tuple(items))


def _plain(text: str) -> str:
    """Markdown emphasis removed, as a reader sees the text."""
    return _BOLD.sub(lambda m: next(g for g in m.groups() if g), text).strip()


# -- levers and difficulties -------------------------------------------------------------

_TOPIC_WORDS = {
    Subject.LEVERS: re.compile(
        r"\b(?:leviers?|pistes?|solutions?|atouts?|bonnes pratiques"
        r"|ce qui a (?:bien )?(?:marche|fonctionne))\b"
    ),
    Subject.DIFFICULTIES: re.compile(
        r"\b(?:difficultes?|freins?|obstacles?|blocages?|ecueils?|problemes?|points? de blocage)\b"
    ),
}
_RUN_IN = re.compile(r"^\s*(?:\*\*)?(?P<label>[^.:;!?]{3,40}?)(?:\*\*)?\s*[.:]\s+(?P<rest>\S.*)$", re.S)
_RUN_IN_WORDS = 4
# "Les participants ont retenu …", "Les échanges ont fait ressortir …": what introduces the parts.
_INTRO = re.compile(
    r"^[^;:«]{0,90}?\b(?:ont|a)\s+(?:(?:aussi|également|notamment|surtout|d'abord|fait|mis)\s+)*"
    r"(?:retenu|cité|évoqué|identifié|souligné|relevé|pointé|mentionné|noté|proposé|ressortir|émerger"
    r"|apparaître|avancé|partagé|signalé|exprimé|dégagé|repéré|listé|nommé|en avant|en évidence)\w*\s+",
    re.I,
)
_INTRO_COLON = re.compile(r"^[^;:«]{0,120}?:\s+(?=\S)")
_DETERMINER = r"(?:le|la|les|l['’]|un|une|des|du|de la|d['’]|leur|leurs|son|sa|ses)"
_PART_SPLIT = re.compile(rf",\s+(?:et\s+|ainsi que\s+)?(?={_DETERMINER}(?:\s|(?<=['’])))", re.I)
_LAST_AND = re.compile(rf"\s+(?:et|ainsi que)\s+(?={_DETERMINER}(?:\s|(?<=['’])))", re.I)
_ANAPHORA = re.compile(
    r"^(?:il|elle|ils|elles|ce|cet|cette|ces|cela|ça|celui|celle|ceux|celles|selon (?:eux|elle|lui)"
    r"|c['’]est|on)\b",
    re.I,
)
_LONG_QUOTE = re.compile(r"«[^»]{40,}»|“[^”]{40,}”")
_NOVELTY = 0.6  # share of an item's content words the items before it must not already hold
_MAX_ITEMS = 20


def topic_listing(asked: ListingQuestion, passages: Sequence[PassageLike]) -> Listing | None:
    """The levers or difficulties the passages name, one item each, report first.

    Items come from an enumeration introduced by a run-in label that names the subject
    (« Leviers identifiés. Les participants ont retenu A ; B ; et C. »: A, B and C), and
    from the list items and sentences of a section whose heading names it (« Leviers
    évoqués »), each sentence only if it says something the items before it do not (a
    sentence going on about the previous one, « Il s'agit… », or quoting someone at
    length, is left out). At least two items, or None.
    """
    on_day = [i for i, p in enumerate(passages) if not p.cells and _on_day(p, asked.day)]
    # the report first, then day by day; the passages' rank otherwise (the sort is stable)
    order = sorted(on_day, key=lambda i: (passages[i].kind != "bilan", passages[i].session or 0))
    items: list[Item] = []
    seen: set[str] = set()
    for index in order:
        _passage_items(asked.subject, passages[index], index, items, seen)
    if len(items) < 2:
        return None
    focused, lead = _focused(asked, items)
    items = focused[:_MAX_ITEMS]
    days = {passages[item.source].session for item in items}
    if asked.day is None and len(days) > 1:
        items = [
            Item(f"{item.text} (journée {day})", item.source)
            if (day := passages[item.source].session)
            else item
            for item in items
        ]
    return Listing(lead or _topic_lead(asked, days), tuple(items))


def _focused(asked: ListingQuestion, items: list[Item]) -> tuple[list[Item], str]:
    """The items about the question's focus, with their own lead; when none is about it, every
    item, after a lead that says so. No focus: the items as they are, no lead of their own."""
    wanted = focus_terms(asked.focus.split(None, 1)[1]) if " " in asked.focus else set()
    if not wanted:
        return items, ""
    what = "Les leviers évoqués" if asked.subject is Subject.LEVERS else "Les difficultés rencontrées"
    about = [item for item in items if wanted & {_singular(t) for t in terms(item.text)}]
    if about:
        return about, f"{what} {asked.focus} :"
    levers = asked.subject is Subject.LEVERS
    none = "aucun levier" if levers else "aucune difficulté"
    every = "tous les leviers évoqués" if levers else "toutes les difficultés rencontrées"
    when = _topic_lead(asked, set()).split(" lors ", 1)[1].removesuffix(" :")
    return items, f"Les documents ne citent {none} {asked.focus}. Voici {every} lors {when} :"


def _passage_items(
    subject: Subject, passage: PassageLike, index: int, items: list[Item], seen: set[str]
) -> None:
    """Add the items of one passage: its labelled enumerations of ``subject``, and its list
    items and sentences when its heading names ``subject``."""
    cue = _TOPIC_WORDS[subject]
    other = next(words for s, words in _TOPIC_WORDS.items() if s is not subject)
    heading = fold(passage.section.split(" > ")[-1]) if passage.section else ""
    under_heading = bool(cue.search(heading))
    for paragraph in passage.text.split("\n"):
        sentences = split_sentences(paragraph)
        labelled = _run_in(sentences[0]) if sentences and not _BULLET.match(sentences[0]) else None
        if labelled and cue.search(fold(labelled[0])):
            for part in _parts(labelled[1]):
                _add(items, seen, part, index, novelty=False)
            for sentence in sentences[1:]:
                _add(items, seen, sentence, index, novelty=True)
        elif labelled and other.search(fold(labelled[0])):
            continue  # the other subject's paragraph (« Difficultés évoquées. » when levers are asked)
        elif under_heading:
            for sentence in sentences:
                bullet = _BULLET.match(sentence)
                _add(items, seen, _BULLET.sub("", sentence), index, novelty=not bullet)


def _run_in(sentence: str) -> tuple[str, str] | None:
    """A run-in label and the text it opens (« Leviers identifiés. » + « Les participants… »)."""
    match = _RUN_IN.match(sentence)
    if not match or len(match.group("label").split()) > _RUN_IN_WORDS:
        return None
    return match.group("label").strip(), match.group("rest").strip()


def _parts(text: str) -> list[str]:
    """The parts of an enumeration, each verbatim (its introduction left out); a text that
    is no enumeration is one part."""
    text = " ".join(text.split()).rstrip(".").strip()
    intro = _INTRO.match(text) or _INTRO_COLON.match(text)
    body = text[intro.end() :] if intro else text
    if ";" in body:
        parts = [part.strip() for part in body.split(";")]
    else:
        parts = _PART_SPLIT.split(body)
        if len(parts) > 1:
            parts[-1:] = _LAST_AND.split(parts[-1], maxsplit=1)
    parts = [re.sub(r"^(?:et|ainsi que|enfin)\s+", "", part, flags=re.I).strip() for part in parts]
    parts = [part for part in parts if part]
    return parts if intro or len(parts) > 1 else [text]


def _add(items: list[Item], seen: set[str], text: str, source: int, novelty: bool) -> None:
    """Add an item, unless it is a continuation, a long quotation, or (``novelty``) says
    little the items before it do not already say."""
    text = _plain(" ".join(text.split())).strip().rstrip(".;,").strip()
    words = set(terms(text))
    if len(words) < 2 or (novelty and (_ANAPHORA.match(text) or _LONG_QUOTE.search(text))):
        return
    if novelty and len(words - seen) < _NOVELTY * len(words):
        return
    if any(fold(item.text) == fold(text) for item in items):
        return
    for position, item in enumerate(items):
        if item.source != source and same_thing(words, set(terms(item.text))):
            if source not in item.also:  # said again by another passage: one item, both cited
                items[position] = replace(item, also=(*item.also, source))
            return
    seen.update(words)
    items.append(Item(_capitalised(text), source))


def _topic_lead(asked: ListingQuestion, days: set[int | None]) -> str:
    what = "Les leviers évoqués" if asked.subject is Subject.LEVERS else "Les difficultés rencontrées"
    day = asked.day or (next(iter(days)) if len(days) == 1 else None)
    return f"{what} lors de {day_name(day)} :" if day else f"{what} lors des journées :"


# -- the answer text -------------------------------------------------------------------


def listing_text(listing: Listing, numbers: Mapping[int, int]) -> str:
    """The lead, then one « - item [n] » line per item (``numbers``: the marker of each
    source index); an item with parts from several passages has each part's marker."""
    lines = [listing.lead]
    for item in listing.items:
        first = f"{item.text} " + " ".join(f"[{numbers[source]}]" for source in (item.source, *item.also))
        rest = [f"{text} [{numbers[source]}]" for text, source in item.more]
        lines.append("- " + " ; ".join([first, *rest]))
    return "\n".join(lines)
