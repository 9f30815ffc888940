"""The users file: salted hashes, roles, one clear line for a bad file, and the CLI that writes it."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant import users
from assistant.errors import UserFacingError
from assistant.users import (
    Authenticator,
    LoginGuard,
    add_user,
    hash_password,
    load_users,
    password_matches,
)
from tests.conftest import ROOT


def test_a_hash_is_salted_and_checks_only_the_right_password() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("pbkdf2_sha256$200000$")
    assert password_matches("correct horse", first) and password_matches("correct horse", second)
    assert not password_matches("Correct horse", first)
    assert not password_matches("correct horse", "md5$1$x$y") and not password_matches("x", "garbage")


def test_adding_a_user_replaces_the_same_name_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "users.txt"
    add_user(path, "alice", "motdepasse1", admin=True)
    add_user(path, "bob", "motdepasse2", admin=False)
    add_user(path, "alice", "nouveau-mdp", admin=False)
    users = load_users(path)
    assert sorted(users) == ["alice", "bob"] and not users["alice"].is_admin
    auth = Authenticator(path)
    assert auth("alice", "nouveau-mdp") and not auth("alice", "motdepasse1") and not auth("carol", "x")
    assert oct(path.stat().st_mode)[-3:] == "600"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("alice:chef:pbkdf2\n", "ligne 1 : forme attendue nom:admin|lecteur:empreinte"),
        ("# rien\n\n", "ne déclare aucun utilisateur"),
    ],
)
def test_a_malformed_users_file_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "users.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserFacingError, match=message):
        load_users(path)


def test_short_passwords_and_bad_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="trop court"):
        add_user(tmp_path / "u.txt", "alice", "court", admin=False)
    with pytest.raises(UserFacingError, match="invalide"):
        add_user(tmp_path / "u.txt", "a:b", "assez-long", admin=False)


def test_the_user_command_reads_the_password_from_stdin(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "user", "claire", "--admin", "--users", str(users)],
        input="un-long-secret\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Utilisateur « claire » (administrateur) enregistré dans {users}."
    assert Authenticator(users)("claire", "un-long-secret") and Authenticator(users).is_admin("claire")
    missing = subprocess.run(
        [sys.executable, "-m", "assistant", "user", "claire"],
        input="un-long-secret\n", capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, check=False,
    )  # fmt: skip
    assert missing.returncode == 1
    assert (
        missing.stderr == "erreur : Indiquez le fichier d'utilisateurs : --users FICHIER ou ASSISTANT_AUTH.\n"
    )


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_name_is_locked_after_the_allowed_failures_then_freed_after_the_lockout() -> None:
    clock = Clock()
    guard = LoginGuard(attempts=3, lockout=300, clock=clock)
    for _ in range(2):
        guard.failed("nom:alice")
        assert guard.wait("nom:alice") == 0
    guard.failed("nom:alice")
    assert guard.wait("nom:alice") == 300 and guard.wait("nom:bob") == 0
    assert guard.wait("nom:bob", "nom:alice") == 300  # any locked key refuses the attempt
    clock.now += 299
    assert guard.wait("nom:alice") == 1
    clock.now += 1
    assert guard.wait("nom:alice") == 0
    guard.failed("nom:alice")  # the count started again after the lockout
    assert guard.wait("nom:alice") == 0


def test_old_failures_are_forgotten_and_a_success_clears_them() -> None:
    clock = Clock()
    guard = LoginGuard(attempts=3, lockout=60, clock=clock)
    guard.failed("nom:alice")
    guard.failed("nom:alice")
    clock.now += 61  # out of the window
    guard.failed("nom:alice")
    guard.failed("nom:alice")
    assert guard.wait("nom:alice") == 0
    guard.succeeded("nom:alice")
    guard.failed("nom:alice")
    guard.failed("nom:alice")
    assert guard.wait("nom:alice") == 0
    guard.failed("nom:alice")
    assert guard.wait("nom:alice") == 60


def test_a_flood_of_names_cannot_grow_the_guard_without_bound() -> None:
    """Past ``MAX_KEYS`` names, the oldest failures are forgotten (seen from outside: a second
    failure of a forgotten name locks nothing, of a remembered one locks it)."""
    guard = LoginGuard(attempts=2, lockout=60, clock=Clock())
    flood = LoginGuard.MAX_KEYS + 50
    for n in range(flood):
        guard.failed(f"nom:{n}")
    assert guard.wait(*(f"nom:{n}" for n in range(flood))) == 0  # one failure each: none locked
    guard.failed(f"nom:{flood - 1}")  # the newest name is remembered: its second failure locks it
    assert guard.wait(f"nom:{flood - 1}") == 60
    guard.failed("nom:49")  # the 50 oldest names were forgotten: this failure is a first one
    assert guard.wait("nom:49") == 0
    guard.failed("nom:50")  # the oldest name kept: exactly MAX_KEYS were remembered
    assert guard.wait("nom:50") == 60


def test_an_unknown_name_costs_the_same_hashing_as_a_known_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18, finding 5: an unknown name answered in 2 ms and a known one in 50 ms."""
    path = tmp_path / "utilisateurs.txt"
    add_user(path, "animatrice", "mot-de-passe-long", admin=True)
    check = Authenticator(path)
    hashed: list[str] = []
    real = users.hash_password
    monkeypatch.setattr(users, "hash_password", lambda *a, **k: hashed.append(a[0]) or real(*a, **k))
    assert check("animatrice", "mot-de-passe-long") and not check("animatrice", "faux")
    assert not check("personne", "mot-de-passe-long")
    assert len(hashed) == 3  # one full hashing each, known name or not


def test_attempts_being_checked_count_against_the_limit() -> None:
    guard = LoginGuard(attempts=5, lockout=60, clock=lambda: 100.0)
    with ThreadPoolExecutor(max_workers=30) as pool:
        waits = list(pool.map(lambda _: guard.begin("nom"), range(30)))
    assert waits.count(0.0) == 5 and all(wait > 0 for wait in waits if wait)
    for _ in range(5):
        guard.failed("nom")
        guard.ended("nom")
    assert guard.wait("nom") == 60.0
    other = LoginGuard(attempts=2, lockout=60, clock=lambda: 100.0)
    assert other.begin("a") == 0.0
    other.succeeded("a")
    other.ended("a")
    assert other.begin("a") == 0.0 and other.begin("a") == 0.0 and other.begin("a") > 0
