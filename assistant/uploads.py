"""Names for uploaded files: what a browser sends is not to be trusted as a path."""

from __future__ import annotations

import re
import unicodedata

from vectorstore import UserFacingError

MAX_NAME = 150
_RESERVED = set('<>:"|?*')


def safe_name(sent: str) -> str:
    """The bare name of an uploaded file, safe to create in the store's library.

    No folder ("/" or "\\"), control and reserved characters turned into spaces, runs of
    dots made one (no ".."), no dot, dash or space at either end (no hidden file, no
    option), accents kept, ``MAX_NAME`` characters at most. A name with nothing left is
    refused.
    """
    name = unicodedata.normalize("NFC", sent).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c if c.isprintable() and c not in _RESERVED else " " for c in name)
    name = re.sub(r"\.{2,}", ".", " ".join(name.split()))[-MAX_NAME:].strip(" .-")
    if not name:
        raise UserFacingError(
            "Nom de fichier inutilisable : il ne reste rien une fois retirés les dossiers, "
            "les points de tête et les caractères de contrôle."
        )
    return name
