"""The private folder of exchanged files (``ui.exchange``), on the real file system: who
may have which file, and when files go away."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from ui.exchange import (
    PID_FILE,
    PREFIX,
    VISITOR_COOKIE,
    Exchange,
    new_visitor_token,
    remove_abandoned,
    requester,
)


def test_a_new_folder_is_private_and_names_its_process(tmp_path: Path) -> None:
    exchange = Exchange.create(tmp_path)
    try:
        assert exchange.root.parent == tmp_path.resolve() and exchange.root.name.startswith(PREFIX)
        assert stat.S_IMODE(exchange.root.stat().st_mode) == 0o700
        assert (exchange.root / PID_FILE).read_text(encoding="ascii") == str(os.getpid())
    finally:
        exchange.close()
    assert not exchange.root.exists()


def test_folders_of_dead_instances_are_removed_at_start(tmp_path: Path) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], check=True, capture_output=True, text=True
    )
    dead, alive, foreign = (
        tmp_path / f"{PREFIX}mort",
        tmp_path / f"{PREFIX}vivant",
        tmp_path / f"{PREFIX}autre",
    )
    for folder, pid in ((dead, ended.stdout.strip()), (alive, str(os.getpid()))):
        folder.mkdir()
        (folder / PID_FILE).write_text(pid, encoding="ascii")
        (folder / "export.csv").write_text("données", encoding="utf-8")
    foreign.mkdir()  # no pid file: not made by an instance, left alone
    assert remove_abandoned(tmp_path) == [dead]
    assert not dead.exists() and alive.exists() and foreign.exists()
    fresh = Exchange.create(tmp_path)  # the same, when an instance starts
    try:
        assert alive.exists() and fresh.root.exists()
    finally:
        fresh.close()


def test_a_file_is_for_its_owner_only(tmp_path: Path) -> None:
    exchange = Exchange(tmp_path)
    path = exchange.new_file("utilisateur:animatrice", "questions.csv")
    path.write_text("a;b", encoding="utf-8")
    assert path.parent.parent == tmp_path.resolve() and len(path.parent.name) == 32
    assert exchange.may_serve(path, "utilisateur:animatrice")
    assert not exchange.may_serve(path, "utilisateur:membre")
    assert not exchange.may_serve(path, None)
    assert not exchange.may_serve(
        str(path.parent / ".." / path.parent.name / path.name), "utilisateur:membre"
    )
    assert not exchange.may_serve(tmp_path / "inconnu" / "fichier.csv", "utilisateur:animatrice")  # no owner
    assert exchange.may_serve(tmp_path.parent / "ailleurs.png", None)  # outside: not its concern
    assert exchange.may_serve("", None)


def test_the_next_export_replaces_the_owners_previous_one(tmp_path: Path) -> None:
    exchange = Exchange(tmp_path)
    first = exchange.new_file("visiteur:a", "conversation.md")
    first.write_text("un", encoding="utf-8")
    other = exchange.new_file("visiteur:b", "conversation.md")
    other.write_text("deux", encoding="utf-8")
    second = exchange.new_file("visiteur:a", "conversation.md")
    assert not first.exists() and not first.parent.exists()
    assert other.exists() and second != first and not exchange.owns(first, "visiteur:a")


def test_uploads_are_claimed_by_their_sender_and_discarded_after_use(tmp_path: Path) -> None:
    exchange = Exchange(tmp_path)
    upload = tmp_path / "abc123" / "notes.md"
    upload.parent.mkdir()
    upload.write_text("# Notes", encoding="utf-8")
    exchange.claim([str(upload), "/etc/passwd"], "utilisateur:animatrice")
    assert exchange.owns(upload, "utilisateur:animatrice") and not exchange.owns(upload, "utilisateur:membre")
    assert not exchange.owns("/etc/passwd", "utilisateur:animatrice")  # outside the folder: never claimed
    exchange.discard(upload)
    assert not upload.exists() and not upload.parent.exists()
    assert not exchange.owns(upload, "utilisateur:animatrice")
    exchange.discard("/etc/passwd")  # outside: nothing happens
    assert Path("/etc/passwd").exists()


def test_files_older_than_their_lifetime_are_swept(tmp_path: Path) -> None:
    now = [1_000_000.0]
    exchange = Exchange(tmp_path, lifetime=3600, clock=lambda: now[0])
    old, recent = exchange.new_file("visiteur:a", "ancien.csv"), exchange.new_file("visiteur:a", "recent.csv")
    for path, age in ((old, 3601), (recent, 10)):
        path.write_text("x", encoding="utf-8")
        os.utime(path, (now[0] - age, now[0] - age))
    (tmp_path / PID_FILE).write_text("1", encoding="ascii")
    os.utime(tmp_path / PID_FILE, (0, 0))
    assert exchange.sweep() == 1
    assert not old.exists() and recent.exists() and (tmp_path / PID_FILE).exists()
    now[0] += 3600
    exchange.new_file("visiteur:b", "autre.csv")  # each new file sweeps first
    assert not recent.exists()


def test_who_asks() -> None:
    token = new_visitor_token()
    assert requester("animatrice", {VISITOR_COOKIE: token}) == "utilisateur:animatrice"
    assert requester(None, {VISITOR_COOKIE: token}) == f"visiteur:{token}"
    assert requester(None, {}) is None
    assert requester(None, {VISITOR_COOKIE: "court"}) is None
    assert requester(None, {VISITOR_COOKIE: "x" * 31 + "/"}) is None
    assert requester("", {VISITOR_COOKIE: "../" * 11}) is None
