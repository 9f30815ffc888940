"""Levers and difficulties named by a document, found while it is indexed.

Pure: a parsed document's blocks in, ``LeverMention`` items out. A section whose heading
means levers (« Leviers évoqués », « Ce qui a marché », « Pistes »…) or difficulties
(« Difficultés », « Freins », « Points de blocage »…), or a paragraph opened by such a
run-in label (« Leviers identifiés. … »), is split into items: its list items, the parts
of an enumeration (« … ont retenu A ; B ; et C »), or the sentences that name one lever
(« Le budget participatif a été le levier le plus discuté… »). Each item keeps a short name
and the verbatim text it comes from (its sentence, list item or enumeration part).

``attach_levers`` stores the items on the chunk holding their text, so they live and die
with the document's chunks (re-indexing or removing a document replaces them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ingest.document import Block, ParsedDocument
from vectorstore.french_text import fold, split_sentences
from vectorstore.records import DIFFICULTY, LEVER, Chunk, LeverMention

MIXED = "mixte"  # a heading naming both ("Freins et leviers"): each item says which it is

_LEVER_HEAD = (
    r"(?:leviers?|pistes?|solutions?|atouts?|ressorts?|reussites?|bonnes? pratiques?|points? forts?"
    r"|facteurs? (?:cles )?de (?:la )?(?:reussite|succes)|cles de (?:la )?reussite"
    r"|conditions? de (?:la )?reussite|(?:elements? )?facilitateurs?|moteurs?"
    r"|ce qui (?:a |a bien |a le mieux )?(?:marche|fonctionne|reussi)|ce qui (?:aide|facilite))"
)
_DIFFICULTY_HEAD = (
    r"(?:difficultes?|freins?|obstacles?|blocages?|points? (?:de )?(?:blocage|friction|tension)s?"
    r"|ecueils?|points? faibles?|problemes?(?: rencontres)?|contraintes?|irritants?|verrous?"
    r"|resistances?|defis?|limites rencontrees"
    r"|ce qui (?:a )?(?:moins bien|mal|pas) (?:marche|fonctionne)"
    r"|ce qui n'a pas (?:bien )?(?:marche|fonctionne)"
    r"|ce qui (?:bloque|freine|coince))"
)
_HEAD_LEAD = (
    r"(?:(?:les|des|nos|vos|leurs|quels|quelles|principa(?:ux|les)|grand(?:e)?s|autres|premier(?:e)?s)\s+)*"
)
_LEVER_START = re.compile(rf"^{_HEAD_LEAD}{_LEVER_HEAD}(?![\w-])")
_DIFFICULTY_START = re.compile(rf"^{_HEAD_LEAD}{_DIFFICULTY_HEAD}(?![\w-])")
_HEAD_NUMBER = re.compile(r"^\s*(?:[\dIVXivx]{1,4}[.)]?(?:\d{1,2}[.)]?)*|[a-z][.)])\s+")
_HEAD_PARTS = re.compile(r"\s*(?:[:—–]|\s-\s)\s*")
_BOTH = re.compile(r"^(.+?)\s+(?:et|&|/)\s+(.+)$")
_MAX_HEAD_WORDS = 8

# "Leviers identifiés. …", "**Freins** : …", "Difficultés évoquées — …"
_RUN_IN = re.compile(
    r"^\s*(?:\*\*|__)?(?P<label>[^.:!?*—–\n]{3,60}?)(?:\*\*|__)?\s*(?:[.:—–])\s*(?:\*\*|__)?\s*(?P<rest>.*)$",
    re.S,
)
_RUN_IN_WORDS = 5
_LIST_ITEM = re.compile(r"^\s*(?:[-*•▪◦‣–]|\d{1,2}[.)]|[a-z][.)])\s+(?P<item>.+)$", re.S)

_DETERMINER = re.compile(
    r"^(?:(?:et|ou|mais aussi|ainsi que|enfin|puis|sans oublier)\s+)?"
    r"(?:le|la|les|l['’]|un|une|des|du|de la|de l['’]|d['’]|leur|leurs|son|sa|ses|notre|nos)"
    r"(?:\s+|(?<=['’]))",
    re.I,
)
_ANAPHORA = frozenset(
    "ce cet cette ces il elle ils elles cela ça ca on celui celle ceux celles chaque c'est c’est nous je "
    "tout tous toutes chacun chacune lui leur".split()
)
_ACTORS = frozenset(
    "participant participants participante participantes élu élus élue élues agent agents habitant "
    "habitants habitante habitantes équipe équipes territoire territoires chef chefs cheffe intervenant "
    "intervenants animateur animateurs animatrice animatrices personne personnes membre membres "
    "représentant représentants représentante maire maires secrétaire directeur directrice "
    "responsable responsables acteurs collectivité collectivités association associations "
    "échanges témoignages groupe groupes stagiaires ateliers atelier retours".split()
)
_QUANTITY = frozenset(
    "deux trois quatre cinq six sept huit neuf dix plusieurs certains certaines quelques nombre "
    "beaucoup plupart".split()
)
# The first verb of a sentence ends its subject.
_VERBS = frozenset(
    """
    a ont est sont était étaient avait avaient sera seront serait seraient fut n'a n'ont n'est n'était
    ne n' se s'est s'était met mettent fait font permet permettent reste restent demeure demeurent
    constitue constituent représente représentent apparaît apparaissent figure figurent semble semblent
    pèse pèsent freine freinent bloque bloquent limite limitent empêche empêchent complique compliquent
    rend rendent manque manquent revient reviennent souligne soulignent retient retiennent cite citent
    évoque évoquent note notent relève relèvent pointe pointent mentionne mentionnent tient tiennent
    favorise favorisent aide aident joue jouent offre offrent consiste consistent vise visent
    ressort ressortent émerge émergent peut peuvent doit doivent
    """.split()
)
_GROUP_WORDS = frozenset(
    """
    a ont est sont été était étaient avait avaient ne pas n'a n'ont aussi également d'abord notamment
    surtout enfin ensuite ainsi par ailleurs beaucoup souvent unanimement collectivement largement
    fait ressortir mis en avant évidence lumière particulièrement clairement se s'est plusieurs fois
    """.split()
)
_REPORTING = re.compile(
    r"^(?:retenu|retien|cit[eé]|evoqu|ressortir|identifi|soulign|relev|point[eé]|mentionn|not[eé]|exprim"
    r"|propos|present|ajout|rappel|reconn|signal|regrett|denonc|decri|partag|list[eé]|repér|reper|degag"
    r"|avanc|constat|observ|mis\b|partag|insist|indiqu|explique|raconte|dit\b|cit)",
)
_DESCRIPTIVE_START = re.compile(
    r"^(?:selon|pour|d['’]apr[eè]s|enfin|ensuite|de plus|en outre|par ailleurs|surtout|ainsi|en effet"
    r"|autrement dit|concr[eè]tement|au total|finalement|d['’]abord|en revanche|toutefois)\b[^,]{0,60},\s*",
    re.I,
)
_INTRO_WITH_COLON = re.compile(
    r"\b(?P<word>leviers?|pistes?|solutions?|freins?|difficult[ée]s?|obstacles?|blocages?|atouts?)\b[^:«]{0,100}:\s*(?P<rest>[^«].*)$",
    re.I | re.S,
)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_NAME_CUT = re.compile(
    r",|;|\s(?:qui|que|qu['’]|où|dont|pour|afin|comme|avec|plutôt|intitulée?s?|appelée?s?|nommée?s?"
    r"|baptisée?s?|grâce|car|mais|lorsqu['’]|quand|sans|alors)\s|\s:",
    re.I,
)
_MAX_NAME_WORDS = 9
_DET_TOKENS = frozenset("le la les un une des du de ce cette ces son sa ses leur leurs notre nos".split())
_TRAILING = frozenset(
    "de du des la le les et ou a au aux en d' l' sur sous par dans entre vers chez un une".split()
)
_MAX_SUBJECT_WORDS = 30


def heading_kind(heading: str) -> str | None:
    """``LEVER``, ``DIFFICULTY``, ``MIXED`` or None for a heading or run-in label."""
    text = _HEAD_NUMBER.sub("", fold(heading).replace("’", "'")).strip(" *_#.")
    if not text or len(text.split()) > _MAX_HEAD_WORDS:
        return None
    kinds: set[str] = set()
    for part in _HEAD_PARTS.split(text):
        for piece in _pieces_of_heading(part.strip()):
            if _DIFFICULTY_START.match(piece):
                kinds.add(DIFFICULTY)
            elif _LEVER_START.match(piece):
                kinds.add(LEVER)
        if kinds:
            break  # "Leviers : ce qui a freiné" names its kind first
    if len(kinds) > 1:
        return MIXED
    return kinds.pop() if kinds else None


def _pieces_of_heading(part: str) -> list[str]:
    both = _BOTH.match(part)
    return [part, both.group(2)] if both else [part]


def find_levers(blocks: Sequence[Block]) -> list[tuple[Block, LeverMention]]:
    """Every lever and difficulty the blocks name, with the block each comes from."""
    found: list[tuple[Block, LeverMention]] = []
    pending: tuple[str, str] | None = None  # a label alone ("Freins :") over the list that follows
    for block, text in _units(blocks):
        section_kind = heading_kind(block.section.split(" > ")[-1]) if block.section else None
        run_in = _run_in(text)
        if run_in is not None:
            kind, rest = run_in
            if not rest:
                pending = (kind, block.section)
                continue
            found += [(block, item) for item in paragraph_items(rest, kind, block.page)]
            continue
        item = _LIST_ITEM.match(text)
        if item:
            kind = pending[0] if pending and pending[1] == block.section else section_kind
            if kind:
                found += [
                    (block, found_item) for found_item in list_item(item.group("item"), kind, block.page)
                ]
            continue
        pending = None
        if section_kind:
            found += [(block, item) for item in paragraph_items(text, section_kind, block.page)]
    return found


def _units(blocks: Sequence[Block]) -> Iterable[tuple[Block, str]]:
    """Each block's text, a block holding a list line by line (one item a line)."""
    for block in blocks:
        if block.cells or block.note or not block.text.strip():
            continue
        lines = [line.strip() for line in block.text.splitlines() if line.strip()]
        if len(lines) > 1 and any(_LIST_ITEM.match(line) for line in lines):
            yield from ((block, line) for line in lines)
        else:
            yield block, " ".join(lines)


def _run_in(text: str) -> tuple[str, str] | None:
    match = _RUN_IN.match(text)
    if not match:
        return None
    label = match.group("label").strip()
    words = fold(label).split()
    if len(words) > _RUN_IN_WORDS or {"sont", "est", "ont", "etaient", "etait"} & set(words):
        return None
    kind = heading_kind(label)
    return (kind, match.group("rest").strip()) if kind else None


def list_item(text: str, kind: str, page: int | None = None) -> list[LeverMention]:
    """A list item: one item, named by its bold part, the part before « : », or its head."""
    text = " ".join(text.split())
    kind = _item_kind(text, kind)
    if kind is None:
        return []
    bold = [next(g for g in match.groups() if g) for match in _BOLD.finditer(text)]
    label, sep, rest = _plain(text).partition(" : ")
    if bold:
        name = bold[0]
    elif sep and len(label.split()) <= 6 and rest:
        name = label if heading_kind(label) is None else rest
    else:
        name = text
    name = clean_name(name)
    return [LeverMention(kind, name, _plain(text), page)] if name else []


def paragraph_items(text: str, kind: str, page: int | None = None) -> list[LeverMention]:
    """The items a paragraph of a levers or difficulties section names."""
    items: list[LeverMention] = []
    described = False  # a lever was introduced by name: the next sentences describe it
    for sentence in split_sentences(" ".join(text.split())):
        if described:
            continue
        sentence_kind = _item_kind(sentence, kind)
        if sentence_kind is None:
            continue
        names, described = sentence_names(sentence)
        plain = _plain(sentence)
        for name, part in names:
            items.append(LeverMention(sentence_kind, name, part or plain, page))
    return items


def _item_kind(text: str, kind: str) -> str | None:
    """Under a mixed heading, the kind the item's own words say (None when they say none)."""
    if kind != MIXED:
        return kind
    folded = fold(text)
    if re.search(r"\b(?:frein|difficult|obstacle|blocage|manque|crainte|peur|mefiance|risque)", folded):
        return DIFFICULTY
    if re.search(r"\b(?:levier|atout|reussi|facilit|solution|piste|bonne pratique)", folded):
        return LEVER
    return None


def sentence_names(sentence: str) -> tuple[list[tuple[str, str]], bool]:
    """The (name, verbatim part) of each lever a sentence names, and whether it introduced
    one by name (in bold, or after « un levier … : »), its next sentences describing it."""
    if re.search(r":\s*[«\"“]", sentence) or sentence.lstrip().startswith(("«", '"', "“")):
        return [], False  # a testimony quoted, not a lever
    bold = [next(g for g in match.groups() if g) for match in _BOLD.finditer(sentence)]
    if bold:
        return [(name, "") for name in map(clean_name, bold) if name], True
    plain = _plain(sentence)
    intro = _INTRO_WITH_COLON.search(plain)
    if intro:
        rest = intro.group("rest")
        # « un levier … : X, qui … » names one; « les leviers retenus : A, B et C » several
        parts = enumeration(rest) if fold(intro.group("word")).endswith("s") else [re.split(r",\s", rest)[0]]
        return [(name, "") for name in (clean_name(p) for p in parts) if name], True
    return _clause_names(plain), False


def _clause_names(clause: str, depth: int = 0) -> list[tuple[str, str]]:
    clause = clause.strip().rstrip(".!…").strip()
    clause = _DESCRIPTIVE_START.sub("", clause)
    tokens = clause.split()
    verb = next(
        (
            i
            for i, token in enumerate(tokens)
            if i and _is_verb(token) and tokens[i - 1].lower() not in _DET_TOKENS
        ),
        None,
    )
    if verb is None and not depth and _DETERMINER.match(clause):  # « Pistes : la A, un B et la C. »
        parts = enumeration(clause)
        return [(name, part if len(parts) > 1 else "") for part in parts if (name := clean_name(part))]
    if verb is None or verb > _MAX_SUBJECT_WORDS:
        return []
    subject = " ".join(tokens[:verb])
    group_end = verb
    while group_end < len(tokens) and (
        fold(tokens[group_end]) in {fold(w) for w in _GROUP_WORDS}
        or (_is_verb(tokens[group_end]) and group_end == verb)
    ):
        group_end += 1
    participle = fold(tokens[group_end]) if group_end < len(tokens) else ""
    group = [fold(t) for t in tokens[verb:group_end]]
    reporting = any(_REPORTING.match(word) for word in [*group, participle])
    passive = "ete" in group or (group[:1] in (["est"], ["sont"]) and participle.endswith(("e", "es", "s")))
    if reporting and _REPORTING.match(participle):
        group_end += 1
    rest = " ".join(tokens[group_end:])
    if reporting and not passive:
        that = re.match(r"^(?:que|qu['’])\s*(.*)$", rest, re.I | re.S)
        if that and depth < 2:
            return _clause_names(that.group(1), depth + 1) or _whole(clause)
        rest = re.sub(r"^(?:aussi|également|d['’]abord|notamment|surtout|enfin)\s+", "", rest, flags=re.I)
        parts = enumeration(rest) if _DETERMINER.match(rest) else []
        named = [(name, part if len(parts) > 1 else "") for part in parts if (name := clean_name(part))]
        return named or _whole(clause)
    if _not_a_lever(subject):
        return [] if depth else _whole(clause)
    plural = fold(tokens[verb]).endswith("nt") or fold(tokens[verb]) in {"ont", "sont", "n'ont"}
    parts = enumeration(subject) if plural else [re.split(r",\s", subject)[0]]
    names = [(name, "") for part in parts if (name := clean_name(part))]
    return [(name, "") for name, _ in names] if len(names) > 1 else names


def _whole(clause: str) -> list[tuple[str, str]]:
    """A sentence that names its lever in no way we can cut out: itself, when short enough."""
    return [(clause, "")] if 3 <= len(clause.split()) <= 40 else []


def _is_verb(token: str) -> bool:
    word = token.lower().strip(",;:")
    return word in _VERBS or (
        word.startswith(("n'", "n’", "s'", "s’")) and len(word) > 2 and word[2:] in _VERBS
    )


def _not_a_lever(subject: str) -> bool:
    """A subject that is a person, a group or a place, not a lever."""
    words = subject.split()
    if not words or words[0].lower() in _ANAPHORA or fold(words[0]) in {fold(w) for w in _QUANTITY}:
        return True
    det = _DETERMINER.match(subject)
    head = subject[det.end() :].split() if det else words
    if not head:
        return True
    if not det and head[0][:1].isupper():
        return True  # « Roc-Tilleul a présenté… »
    if det and head[0][:1].isupper():
        return True  # « Le Pays de Brumeval a évoqué… »
    return head[0].lower() in _ACTORS


def enumeration(text: str) -> list[str]:
    """The parts of an enumeration of noun phrases (« A ; B ; et C », « A, B et C »), each
    verbatim; a text that is no enumeration is one part."""
    text = _PARENTHESIS.sub("", " ".join(text.split())).strip().rstrip(".").strip()
    if ";" in text:
        parts = [p.strip() for p in text.split(";")]
    else:
        parts = []
        for piece in re.split(r",\s+", text):
            if parts and not _DETERMINER.match(piece):
                parts[-1] = f"{parts[-1]}, {piece}"  # "…, réalisées par des bureaux d'études"
            else:
                parts.append(piece)
        if len(parts) > 1 and not re.match(r"^(?:et|ou)\s", parts[-1]):
            last = re.split(r"\s+et\s+(?=(?:le|la|les|l['’]|un|une|des|du)\b)", parts[-1], maxsplit=1)
            if "entre " not in last[0]:
                parts[-1:] = last
        elif len(parts) == 1:
            last = re.split(r"\s+et\s+(?=(?:le|la|les|l['’]|un|une|des|du)\b)", parts[0], maxsplit=1)
            if len(last) == 2 and "entre " not in last[0] and _DETERMINER.match(parts[0]):
                parts = last
    cleaned = [re.sub(r"^(?:et|ou|ainsi que|enfin)\s+", "", p, flags=re.I).strip() for p in parts]
    return [p for p in cleaned if p]


def clean_name(text: str) -> str:
    """A lever's short name: no determiner, no markup, cut before its description."""
    name = _PARENTHESIS.sub("", _plain(text)).strip(" .;:,")
    name = _DETERMINER.sub("", name, count=1).strip()
    cut = _NAME_CUT.search(name)
    if cut and cut.start() > 2:
        name = name[: cut.start()]
    words = name.split()[:_MAX_NAME_WORDS]
    while words and fold(words[-1]) in _TRAILING:
        words.pop()
    name = " ".join(words).strip(' «»"“”.,;:')
    if name.count("«") > name.count("»"):
        name += " »"
    return name if len(name) >= 3 and not name[:1].isdigit() else ""


def _plain(text: str) -> str:
    """Markdown emphasis removed (the text as a reader sees it)."""
    text = _BOLD.sub(lambda m: next(g for g in m.groups() if g), text)
    return re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)


def attach_levers(chunks: Sequence[Chunk], doc: ParsedDocument) -> list[Chunk]:
    """The chunks, each carrying the items of its text (an item whose text no chunk holds
    word for word goes to the first chunk of its section)."""
    found = find_levers(doc.blocks)
    if not found:
        return list(chunks)
    flat = [" ".join(_plain(chunk.text).split()) for chunk in chunks]
    carried: dict[int, list[LeverMention]] = {}
    for block, item in found:
        index = _holder(chunks, flat, block, item)
        if index is not None:
            carried.setdefault(index, []).append(item)
    return [
        replace(chunk, levers=tuple(carried[i])) if i in carried else chunk for i, chunk in enumerate(chunks)
    ]


def _holder(chunks: Sequence[Chunk], flat: Sequence[str], block: Block, item: LeverMention) -> int | None:
    same_section = [i for i, chunk in enumerate(chunks) if chunk.section == block.section]
    text = " ".join(item.text.split())
    for i in same_section:
        if text in flat[i]:
            return i
    return same_section[0] if same_section else (0 if chunks else None)


def levers_of(chunks: Iterable[Chunk]) -> list[LeverMention]:
    """Every item the chunks carry, in order."""
    return [item for chunk in chunks for item in chunk.levers]
