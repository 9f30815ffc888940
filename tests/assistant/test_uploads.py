"""Upload names made safe: the pure rules, exactly."""

from __future__ import annotations

import pytest

from assistant.uploads import MAX_NAME, safe_name
from vectorstore import UserFacingError


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("/tmp/gradio/abc/Bilan journée 3.pdf", "Bilan journée 3.pdf"),
        ("..\\..\\windows\\notes.md", "notes.md"),
        ("../../etc/passwd", "passwd"),
        (".cache.md", "cache.md"),
        ("-rf compte-rendu.txt", "rf compte-rendu.txt"),
        ("notes..de..séance.md", "notes.de.séance.md"),
        ('a<b>c:"d|e?f*.md', "a b c d e f .md"),
        ("ligne\nsaut\tdébut\x00.md", "ligne saut début .md"),
        ("Bilan journe\u0301e.pdf", "Bilan journée.pdf"),  # NFC: one é, as typed
    ],
)
def test_uploaded_names_keep_only_a_safe_bare_name(sent: str, kept: str) -> None:
    assert safe_name(sent) == kept


def test_long_names_keep_their_end_and_extension() -> None:
    name = safe_name("x" * 300 + ".pdf")
    assert len(name) == MAX_NAME and name.endswith(".pdf")


@pytest.mark.parametrize("sent", ["", "/tmp/", "..", " . - ", "\x00\x01"])
def test_a_name_with_nothing_left_is_refused(sent: str) -> None:
    with pytest.raises(UserFacingError, match="Nom de fichier inutilisable"):
        safe_name(sent)
