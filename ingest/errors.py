"""Why a file could not be ingested: a code from a closed list and one French line.

Every failure of ingestion, whatever raised it (a parser exception, a killed or
stuck reader, a limit), ends as one of these codes, so reports, tests and the
fuzzing script can count them and a user always gets a reason, never a trace.
"""

from enum import StrEnum

from vectorstore.errors import UserFacingError


class Reason(StrEnum):
    """The closed list of reasons a file is not indexed."""

    MISSING = "introuvable"
    NOT_A_FILE = "pas-un-fichier"
    EMPTY = "vide"
    UNSUPPORTED = "format"
    TOO_LARGE = "trop-gros"
    TOO_MANY_PAGES = "trop-de-pages"
    ENCRYPTED = "protege"
    DAMAGED = "endommage"
    UNREADABLE_TEXT = "texte-illisible"
    TIMEOUT = "delai"
    MEMORY = "memoire"
    CRASHED = "arret"
    NO_TEXT = "sans-texte"
    OCR = "ocr"


class IngestError(UserFacingError):
    """A file that cannot be read: the message is the reason shown per file."""

    def __init__(self, message: str, reason: Reason = Reason.DAMAGED) -> None:
        super().__init__(" ".join(message.split()))  # always one line
        self.reason = reason
