"""The French words both edges use: the command line (``assistant.cli``) and the web (``ui``).

Pure, and the one place each of these is written:

- the document kinds as a reader sees them (``kind_label``: « Bilan », a card's badge or a
  table's cell; ``kind_name``: « bilan », inside a sentence or parentheses);
- the verifier's word on an answer (``verification_line``: what was checked — phrases
  quoted word for word, or a model's phrases found in their passages — and whether the
  answer gives the thing asked, or is partial; the last line of ``ask`` and the web's
  badge; ``verified_details``: the same at length; ``UNSUPPORTED_LEAD``: the line before
  the claims removed), the reason a question went unanswered (``NO_PASSAGE_REASON``), and
  the heading of an answer's citations (``citations_heading``);
- the search filters: one set of keys (``FILTER_KEYS``), parsed from ``ask --filter
  KEY=VALUE`` (``parse_filters``) and from the web's menus (``menu_filters``) by the same
  rules, with the same French message for a bad key or value (a ``UserFacingError``).
  A filter keeps the passages whose metadata has that value: ``territory`` keeps the rows
  of the participants tables that name the territory, as the web's « Territoire » menu.

Loading it imports nothing else (``--help`` stays instant): the error type is imported when
a filter is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from assistant.verification import Verification


@dataclass(frozen=True)
class KindWords:
    """How a kind of document is named: ``label`` on its own (a badge, a table cell),
    ``name`` inside a sentence or between parentheses."""

    label: str
    name: str


DOCUMENT_KINDS = {
    "bilan": KindWords("Bilan", "bilan"),
    "notes": KindWords("Notes de séance", "notes de séance"),
}


def kind_label(kind: str) -> str:
    """« Bilan », « Notes de séance »; an unknown kind as it is stored."""
    words = DOCUMENT_KINDS.get(kind)
    return words.label if words else kind


def kind_name(kind: str) -> str:
    """« bilan », « notes de séance »; an unknown kind as it is stored."""
    words = DOCUMENT_KINDS.get(kind)
    return words.name if words else kind


# -- the verifier's word ---------------------------------------------------------

NO_PASSAGE_REASON = "Aucun passage ne répond à la question."  # why a question was declined
QUOTED = (
    "Chaque phrase de la réponse est recopiée mot pour mot du passage qu'elle cite ; l'assistant a "
    "vérifié que ces passages existent et que les citations entre guillemets y figurent."
)
PARAPHRASED = (
    "Chaque phrase écrite par le modèle de langue a été retrouvée dans le passage qu'elle cite, par "
    "ses mots ou par son sens, avec ses chiffres et ses noms ; celles qui recopiaient les consignes, "
    "reprenaient la question ou ne s'appuyaient sur aucun passage ont été retirées."
)
OPEN_QUESTION = "question ouverte : relisez les passages pour juger"
UNSUPPORTED_LEAD = "Retirées de la réponse, aucun passage cité ne les appuie :"


def verification_line(check: Verification, checked: str = "", gap: str = "") -> str:
    """One line for a reader, the last line of ``ask`` and the web's badge: what was checked,
    and whether the answer gives the thing asked (``checked``: « le montant »; ``gap``: the
    sentence saying what the documents do not give, for a partial answer).

    « ✓ Phrases citées mot pour mot de 2 passages · elles donnent ce qui est demandé : le
    montant », « ◐ Réponse partielle : les documents ne donnent pas … · … », « ⚠ … ; 1
    affirmation non étayée retirée »."""
    count = len(check.cited)
    if check.paraphrased:
        said = len(check.checked or ()) or count
        plural = "s" if said > 1 else ""
        where = "le passage cité" if count == 1 else f"les {count} passages cités"
        sources = f"{said} phrase{plural} du modèle retrouvée{plural} dans {where}"
    else:
        sources = "phrases citées mot pour mot " + ("d'un passage" if count == 1 else f"de {count} passages")
    removed = [
        _counted(check.removed_markers, "renvoi sans source retiré", "renvois sans source retirés"),
        _counted(check.removed_quotes, "citation introuvable retirée", "citations introuvables retirées"),
        _counted(
            len(check.unsupported), "affirmation non étayée retirée", "affirmations non étayées retirées"
        ),
    ]
    removal = " ; ".join(part for part in removed if part)
    if gap:
        missing = gap[0].lower() + gap[1:].rstrip(".")
        line = f"◐ Réponse partielle : {missing} · {sources}"
    else:
        asked = f"elles donnent ce qui est demandé : {checked}" if checked else OPEN_QUESTION
        line = f"{'⚠' if check.flagged else '✓'} {sources[0].upper()}{sources[1:]} · {asked}"
    return f"{line} ; {removal}" if removal else line


def _counted(count: int, one: str, many: str) -> str:
    return "" if not count else f"{count} {one if count == 1 else many}"


def verified_details(check: Verification, checked: str = "", gap: str = "") -> str:
    """What the verifier checked, whether the answer gives the thing asked, and the passages
    an answer cites (« [1], [3] »)."""
    parts = [PARAPHRASED if check.paraphrased else QUOTED]
    if gap:
        parts.append(f"{gap} Les phrases montrées sont ce que les documents disent de plus proche.")
    elif checked:
        parts.append(f"La question demande {checked} : la réponse en donne, tiré des passages.")
    else:
        parts.append(
            "La question n'appelle pas une donnée précise (un chiffre, une date, un nom) : relisez les "
            "passages pour juger de la réponse."
        )
    cited = ", ".join(f"[{n}]" for n in check.cited)
    if cited:
        parts.append(f"Passages cités : {cited}.")
    return " ".join(parts)


def citations_heading(refused: bool) -> str:
    """What an answer's numbered passages are: its sources, or, when it declined to
    answer, the closest passages to check."""
    return "Passages les plus proches" if refused else "Sources"


# -- search filters ----------------------------------------------------------------

MAX_FILTER_CHARS = 300  # a document or territory name; a browser may send megabytes
FILTER_KEYS = ("kind", "source", "session", "part", "territory")
NUMBERED = ("session", "part")  # a day, a part of the report: a number
ALL = "Tous"  # a menu's choice that filters nothing


def parse_filters(pairs: Sequence[str]) -> dict[str, str | int]:
    """``ask --filter``: ``["kind=notes", "session=2"]`` to ``{"kind": "notes", "session": 2}``."""
    filters: dict[str, str | int] = {}
    for pair in pairs:
        key, sep, value = (part.strip() for part in pair.partition("="))
        if not sep or not key or not value:
            _refuse(f"Filtre invalide « {pair} » : la forme attendue est clé=valeur.")
        filters[key] = filter_value(key, value)
    return filters


def menu_filters(chosen: Mapping[str, str]) -> dict[str, str | int]:
    """The web's filters from its menus, by filter key (``ALL`` or nothing chosen: no filter)."""
    return {
        key: filter_value(key, value.strip())
        for key, value in chosen.items()
        if value and value.strip() and value != ALL
    }


def filter_value(key: str, value: str) -> str | int:
    """The value of one filter as the store keeps it (a day or a part is a number), or a
    French ``UserFacingError`` naming what is wrong."""
    from assistant.user_text import cleaned, shown

    if key not in FILTER_KEYS:
        _refuse(f"Filtre inconnu « {shown(key)} » : clés possibles {', '.join(FILTER_KEYS)}.")
    if len(value) > MAX_FILTER_CHARS:
        _refuse(f"Filtre invalide « {key}={shown(value)} » : {MAX_FILTER_CHARS} caractères au plus.")
    value = cleaned(value, "Le filtre")
    if key in NUMBERED:
        if not (value.isascii() and value.isdigit()):
            _refuse(f"Filtre invalide « {key}={shown(value)} » : un numéro est attendu ({key}=2).")
        return int(value)
    if key == "kind" and value not in DOCUMENT_KINDS:
        _refuse(f"Filtre invalide « {key}={shown(value)} » : valeurs possibles {', '.join(DOCUMENT_KINDS)}.")
    return value


def _refuse(message: str) -> NoReturn:
    from assistant.errors import UserFacingError

    raise UserFacingError(message)
