"""The hardened web app, served for real: routes closed without a login, uploads for
administrators only, limited login attempts, no file outside the store's page pictures,
hostile documents shown as text with nothing fetched from another origin (in Chromium), no
secret in pages or logs, and the loopback address by default. Since the red team's turn 3:
no response readable by a page of another origin (port included), no logout or change sent
from one, sessions their owners' only, every login limited and hashed off the event loop,
slow bodies cut short, one French log line and no traceback for a malformed call.

One store (hostile notes, a hostile table, a one-page PDF) and one engine serve the whole
module: an app behind a login, the same app without one, and ``python -m bilan serve``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx
import pytest
from gradio_client import Client, handle_file
from playwright.sync_api import expect

from assistant.engine import Engine
from assistant.errors import UserFacingError
from assistant.settings import Settings
from assistant.users import Authenticator, LoginRate, add_user, load_users
from tests.browser import ask_in_chat, browser_page, log_in, screenshot, served
from tests.conftest import ROOT, free_port
from tests.pdfs import make_pdf
from ui.app import build_app, launch, served_paths
from ui.exchange import VISITOR_COOKIE, process_exchange
from ui.gate import (
    ADMINS_ONLY,
    FOREIGN_ORIGIN,
    LOGIN_REQUIRED,
    MALFORMED,
    NO_UPLOADS,
    NOT_FOUND,
    NOT_YOUR_SESSION,
    REQUEST_TOO_LARGE,
    SERVER_ERROR,
    TOO_LARGE,
    TOO_SLOW,
    closed,
    refusal,
)
from ui.origins import (
    configured_origins,
    cross_site,
    foreign_origin,
    host_name,
    request_origin,
    served_names,
)
from ui.responses import read_body
from ui.sessions import (
    Owners,
    Sessions,
)

EVIL = "203.0.113.9"  # TEST-NET-3: never a real host
# Plain text, read as written (in a Markdown file, HTML is markup and the reader drops it).
HOSTILE_NOTES = f"""Le potager partagé <script>window.__pwned = 1</script> a été inauguré en mai.
Une photo <img src="http://{EVIL}/x.png" onerror="window.__pwned = 2"> du potager partagé a circulé.
Le compost collectif ![compost](http://{EVIL}/y.png) a été installé en juin.
Le plan du compost collectif est sur [le site du quartier](http://{EVIL}/plan) et sur www.example.org.
La charte graphique <link rel="stylesheet" href="http://{EVIL}/style.css"> a été adoptée en juillet.
La vidéo <iframe src="http://{EVIL}/video"></iframe> de la fête des voisins a été tournée en août.
Le décor <div style="background:url(http://{EVIL}/fond.png)">fleuri</div> de la fête a plu.
Les inscriptions au potager partagé se font par courriel à contact@example.org ou sur http://{EVIL}/inscription.
"""
HOSTILE_TERRITORY = f'Commune de Brumeval <img src="http://{EVIL}/t.png" onerror="window.__pwned = 3">'
API_KEY = "sk-test-Ne9Pas-Divulguer-0123456789abcdef"
PASSWORDS = {
    "animatrice": "secret-animatrice",
    "membre": "secret-membre",
    "invitee": "secret-invitee",
    "curieuse": "secret-curieuse",  # the readers of the tests of issue 30: one each, no test
    "sortante": "secret-sortante",  # locks or logs out a name another test needs
    "pressee": "secret-pressee",
}


def hostile_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Notes piégées de la journée 3", 1)
    document.add_heading("Territoires", 2)
    table = document.add_table(rows=2, cols=3)
    cells = [
        ["Territoire", "Attentes", "Suites données"],
        [HOSTILE_TERRITORY, f"Un atelier ![plan](http://{EVIL}/a.png)", f"[compte rendu](http://{EVIL}/cr)"],
    ]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "corpus"
    folder.mkdir()
    (folder / "piege.txt").write_text(HOSTILE_NOTES, encoding="utf-8")
    hostile_docx(folder / "tableau-piege.docx")
    make_pdf(folder / "rapport.pdf", [["Le rapport du potager partagé compte 40 bénévoles inscrits."]])
    return folder


@pytest.fixture(scope="module")
def users_file(corpus: Path) -> Path:
    path = corpus.parent / "utilisateurs.txt"
    for name, password in PASSWORDS.items():
        add_user(path, name, password, admin=name == "animatrice")
    return path


@pytest.fixture(scope="module")
def engine(corpus: Path) -> Engine:
    settings = Settings(  # type: ignore[call-arg]
        store=corpus.parent / "store", login_attempts=3, max_upload_mb=1, _env_file=None
    )
    engine = Engine(settings)
    assert engine.ingest(sorted(corpus.iterdir())).ok
    return engine


@dataclass
class ServeProcess:
    """``python -m bilan serve`` running, its output kept in files."""

    server: subprocess.Popen[bytes]
    port: int
    out: Path
    err: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ready(self) -> ServeProcess:
        deadline = time.monotonic() + 180
        while not listen_addresses(self.port):
            assert self.server.poll() is None, self.err.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "le serveur ne démarre pas"
            time.sleep(0.5)
        return self

    def logs(self) -> str:
        return self.out.read_text(encoding="utf-8") + self.err.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def process(
    engine: Engine, users_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServeProcess]:
    """``python -m bilan serve`` on a copy of the store, behind a login, with a language
    model whose key is set (and whose server is down). Started as soon as the store is
    indexed (the apps in this process depend on it), so that its start overlaps the tests."""
    work = tmp_path_factory.mktemp("serve")
    shutil.copytree(engine.settings.store, work / "store", ignore=shutil.ignore_patterns("*.lock"))
    port, down = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "GRADIO_"))} | {
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "ASSISTANT_STORE": str(work / "store"),
        "ASSISTANT_AUTH": str(users_file),
        "ASSISTANT_LLM_MODEL": "modele-test",
        "ASSISTANT_LLM_BASE_URL": f"http://127.0.0.1:{down}/v1",
        "ASSISTANT_LLM_API_KEY": API_KEY,
        "ASSISTANT_LLM_TIMEOUT": "5",
    }
    out, err = work / "stdout.txt", work / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "bilan", "serve", "--port", str(port)],
            cwd=work, env=env, stdout=stdout, stderr=stderr,
        )  # fmt: skip
    try:
        yield ServeProcess(server, port, out, err)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def locked(engine: Engine, users_file: Path, process: ServeProcess) -> Iterator[str]:
    """The app behind a login (``process`` starts first: its start overlaps the tests)."""
    with served(engine, Authenticator(users_file)) as url:
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def open_app(engine: Engine) -> Iterator[str]:
    """The same app without a users file (a local, single-user app)."""
    with served(engine) as url:
        yield url.rstrip("/")


def logged_in(url: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("/login", data={"username": name, "password": PASSWORDS[name]})
    assert response.status_code == 200, response.text
    return client


def raw_get(url: str, path: str, cookies: httpx.Cookies | None = None) -> tuple[int, bytes]:
    """GET ``path`` byte for byte (no client normalises its dots or escapes)."""
    parts = urlsplit(url)
    cookie = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
    request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def leaks(body: bytes | str) -> list[str]:
    """Data a refusal must never carry."""
    text = body if isinstance(body, str) else body.decode("utf-8", "replace")
    markers = ["root:x:", "SQLite format", "pbkdf2_sha256", "named_endpoints", '"components"', "potager"]
    return [marker for marker in markers if marker in text]


# -- the rules, pure ------------------------------------------------------------


def test_the_rules_of_the_gate() -> None:
    assert refusal("/config", None, admin=False, login=True) == (401, LOGIN_REQUIRED)
    assert refusal("/config", "membre", admin=False, login=True) is None
    assert refusal("/", None, admin=False, login=True) is None  # the login page
    assert refusal("/assets/index.js", None, admin=False, login=True) is None
    assert refusal("/gradio_api/upload", "membre", admin=False, login=True) == (403, ADMINS_ONLY)
    assert refusal("/gradio_api/upload", "animatrice", admin=True, login=True) is None
    assert refusal("/gradio_api/upload", None, admin=False, login=False) == (403, NO_UPLOADS)
    assert refusal("/gradio_api/queue/join", None, admin=False, login=False) is None
    assert refusal("/monitoring", "animatrice", admin=True, login=True) == (404, NOT_FOUND)
    for path in [
        "/gradio_api/file=http://x.fr/a.png",
        "/gradio_api/file=HTTPS://x.fr",
        "/gradio_api/file=//x.fr/a",
    ]:
        assert closed(path), path
    assert not closed("/gradio_api/file=/tmp/gradio/abc/page.png")


# -- routes without a login ------------------------------------------------------

ANONYMOUS_PROBES = [
    ("GET", "/config"),
    ("GET", "/config/"),
    ("GET", "/gradio_api/info"),
    ("GET", "/gradio_api/info?all_endpoints=true"),
    ("GET", "/gradio_api/openapi.json"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/redoc"),
    ("GET", "/monitoring"),
    ("GET", "/monitoring/summary"),
    ("GET", "/monitoring/cle"),
    ("GET", "/gradio_api/queue/status"),
    ("POST", "/gradio_api/queue/join"),
    ("GET", "/gradio_api/queue/data?session_hash=x"),
    ("POST", "/gradio_api/call/respond"),
    ("GET", "/gradio_api/call/respond/evenement"),
    ("POST", "/gradio_api/call/v2/respond"),
    ("POST", "/gradio_api/run/respond"),
    ("POST", "/gradio_api/api/respond"),
    ("POST", "/gradio_api/call/documents"),
    ("POST", "/gradio_api/upload"),
    ("GET", "/gradio_api/upload_progress?upload_id=x"),
    ("GET", "/gradio_api/file=/etc/passwd"),
    ("GET", "/gradio_api/file/etc/passwd"),
    ("GET", f"/gradio_api/file=http://{EVIL}/x.png"),
    ("GET", f"/gradio_api/proxy=http://{EVIL}/"),
    ("GET", "/gradio_api/heartbeat/session"),
    ("POST", "/gradio_api/reset"),
    ("POST", "/gradio_api/cancel"),
    ("GET", "/gradio_api/deep_link?session_hash=x"),
    ("GET", "/gradio_api/user"),
    ("GET", "/gradio_api/token"),
    ("GET", "/gradio_api/app_id"),
    ("GET", "/gradio_api/dev/reload"),
    ("GET", "/gradio_api/vibe-code"),
    ("GET", "/gradio_api/runs"),
    ("GET", "/gradio_api/run-history/records"),
    ("POST", "/gradio_api/process_recording"),
    ("POST", "/gradio_api/stream/evenement"),
    ("GET", "/gradio_api/mcp/sse"),
]


def test_without_a_login_every_api_file_and_monitoring_route_is_refused(
    locked: str, engine: Engine, users_file: Path
) -> None:
    picture = engine.page_picture("rapport.pdf", 1)
    probes = [
        *ANONYMOUS_PROBES,
        ("GET", f"/gradio_api/file={picture}"),
        ("GET", f"/gradio_api/file={users_file}"),
    ]
    refused = []
    with httpx.Client(base_url=locked, timeout=30) as client:
        for method, path in probes:
            response = client.request(
                method, path, files={"files": ("a.txt", b"x")} if "upload" in path else None
            )
            assert response.status_code in (401, 403, 404), (method, path, response.status_code)
            assert not leaks(response.content), (path, leaks(response.content))
            refused.append(response.status_code)
        login_page = client.get("/").text
    assert "/respond" not in login_page and 'named_endpoints": {}' in login_page.replace("\\u0022", '"')
    assert "Après 3 essais manqués, la connexion est suspendue 5 min." in login_page
    print(f"\nroute probes without a login: {len(refused)}/{len(probes)} refused ({sorted(set(refused))})")


# -- uploads ---------------------------------------------------------------------


def test_only_a_logged_in_administrator_may_upload_or_remove(
    locked: str, open_app: str, tmp_path: Path
) -> None:
    upload = {"files": ("notes.md", b"# Notes\n\nUn texte.")}
    anonymous = httpx.post(f"{open_app}/gradio_api/upload", files=upload, timeout=30)
    assert (anonymous.status_code, anonymous.json()["detail"]) == (403, NO_UPLOADS)
    assert httpx.post(f"{locked}/gradio_api/upload", files=upload, timeout=30).status_code == 401
    reader = logged_in(locked, "membre").post("/gradio_api/upload", files=upload)
    assert (reader.status_code, reader.json()["detail"]) == (403, ADMINS_ONLY)
    admin = logged_in(locked, "animatrice")
    accepted = admin.post("/gradio_api/upload", files=upload)
    assert accepted.status_code == 200 and accepted.json()[0].endswith("/notes.md")
    too_big = admin.post("/gradio_api/upload", files={"files": ("gros.txt", b"x" * (1024 * 1024 + 1))})
    assert too_big.status_code == 413  # issue 18: the message was Gradio's English one
    assert too_big.json() == {"detail": TOO_LARGE} and "maximum" not in too_big.text
    pdf = make_pdf(tmp_path / "intrus.pdf", [["Texte déposé par un lecteur."]])
    client = Client(locked, auth=("membre", PASSWORDS["membre"]), verbose=False)
    with pytest.raises(httpx.HTTPStatusError, match="403 Forbidden"):
        client.predict([handle_file(str(pdf))], api_name="/upload")
    for someone in (client, Client(open_app, verbose=False)):  # a reader; anyone without a login
        with pytest.raises(Exception, match="Réservé aux administrateurs"):
            someone.predict("piege.txt", api_name="/remove")


def test_uploaded_file_names_are_made_safe(engine: Engine, tmp_path: Path) -> None:
    names = {
        "..\\..\\compte\x07rendu..final.md": "compte rendu.final.md",
        ".env.md": "env.md",
        "  -Réunion\u202e du 3 mai : « bilan ».txt": "Réunion du 3 mai « bilan ».txt",
    }
    files = []
    for number, name in enumerate(names):
        folder = tmp_path / str(number)
        folder.mkdir()
        (folder / name).write_text("# Compte rendu\n\nLa réunion du comité a eu lieu.", encoding="utf-8")
        files.append(folder / name)
    library = engine.settings.store / "fichiers"
    assert all(o.status == "indexed" for o in engine.add_files(files).outcomes)
    assert sorted(p.name for p in library.iterdir()) == sorted(names.values())
    (tmp_path / "vide").mkdir()
    empty = tmp_path / "vide" / "..\x01\x02.."
    empty.write_text("x", encoding="utf-8")
    with pytest.raises(UserFacingError, match="Nom de fichier inutilisable"):
        engine.add_files([files[0], empty])
    assert sorted(p.name for p in library.iterdir()) == sorted(names.values())


# -- files ------------------------------------------------------------------------


def traversal_probes(engine: Engine, users_file: Path) -> list[str]:
    store = engine.settings.store.resolve()
    return [
        "/gradio_api/file=/etc/passwd",
        "/gradio_api/file=/proc/self/environ",
        "/gradio_api/file=../../../../../../etc/passwd",
        "/gradio_api/file=..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/gradio_api/file=%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/gradio_api/file=/tmp/gradio/../../etc/passwd",
        f"/gradio_api/file={store}/chroma.sqlite3",
        f"/gradio_api/file={store}/pages/../chroma.sqlite3",
        f"/gradio_api/file={store}/pages/..%2fchroma.sqlite3",
        f"/gradio_api/file={store}/overview.json",
        f"/gradio_api/file={users_file}",
        f"/gradio_api/file={users_file.parent}/corpus/piege.txt",
        "/gradio_api/file/../../../../etc/passwd",
        "/gradio_api/file/etc/passwd",
        f"/gradio_api/file=http://{EVIL}/x.png",
        "/gradio_api/file=https://example.org/",
        f"/gradio_api/file=//{EVIL}/x.png",
        "/static/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/assets/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/svelte/../../../../../../etc/passwd",
        "/favicon.ico/../../../../etc/passwd",
    ]


def test_no_file_is_served_outside_the_store_page_pictures(
    locked: str, open_app: str, engine: Engine, users_file: Path
) -> None:
    admin = logged_in(locked, "animatrice")
    picture = engine.page_picture("rapport.pdf", 1)
    status, body = raw_get(locked, f"/gradio_api/file={picture}", admin.cookies)
    assert status == 200 and body[:8] == b"\x89PNG\r\n\x1a\n"  # the one kind of store file served
    probes = traversal_probes(engine, users_file)
    statuses = []
    for url, cookies in ((locked, admin.cookies), (open_app, None)):
        for path in probes:
            status, body = raw_get(url, path, cookies)
            assert status in (400, 403, 404), (url, path, status)
            assert not leaks(body), (path, leaks(body))
            statuses.append(status)
    print(f"\npath traversal probes: {len(statuses)}/{2 * len(probes)} refused ({sorted(set(statuses))})")


def test_the_served_folders(engine: Engine, users_file: Path) -> None:
    store = engine.settings.store.resolve()
    allowed, blocked = served_paths(engine.layout, users_file)
    assert allowed == [str(store / "pages")]
    assert {str(store / "chroma.sqlite3"), str(store / "fichiers"), str(users_file.resolve())} <= set(blocked)
    assert not any(path == str(store) or path.startswith(f"{store}/pages") for path in blocked)


# -- login attempts -----------------------------------------------------------------


def from_address(url: str, address: str) -> httpx.Client:
    """A client whose requests come from another loopback address (its own lockout count)."""
    return httpx.Client(base_url=url, timeout=30, transport=httpx.HTTPTransport(local_address=address))


def test_a_name_is_locked_after_three_failures_even_with_the_right_password(locked: str) -> None:
    with from_address(locked, "127.0.0.2") as client:
        tries = [client.post("/login", data={"username": "invitee", "password": "faux"}) for _ in range(3)]
        assert [r.status_code for r in tries] == [400, 400, 400]
        right = client.post("/login", data={"username": "invitee", "password": PASSWORDS["invitee"]})
    assert right.status_code == 429 and right.headers["retry-after"] == "300"
    assert right.json()["detail"] == "Trop d'essais de connexion manqués : réessayez dans 5 min."
    with pytest.raises(ValueError, match="Could not login"):  # from any address
        Client(locked, auth=("invitee", PASSWORDS["invitee"]), verbose=False)
    logged_in(locked, "membre")  # other names are not affected


def test_an_address_is_locked_after_trying_many_names(locked: str) -> None:
    with from_address(locked, "127.0.0.3") as client:
        tries = [client.post("/login", data={"username": f"nom{n}", "password": "x"}) for n in range(12)]
        assert {r.status_code for r in tries} == {400}
        right = client.post("/login", data={"username": "animatrice", "password": PASSWORDS["animatrice"]})
    assert right.status_code == 429
    logged_in(locked, "animatrice")  # from 127.0.0.1


# -- the served process: secrets and address -----------------------------------------


def listen_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on ``port``, from /proc/net."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                raw = bytes.fromhex(address)
                found.add(socket.inet_ntoa(raw[::-1]) if len(raw) == 4 else raw.hex())
    return found


def test_serve_listens_on_the_loopback_address_only(process: ServeProcess) -> None:
    assert listen_addresses(process.ready().port) == {"127.0.0.1"}


def test_launch_listens_where_it_is_told(engine: Engine) -> None:
    app, port = build_app(engine), free_port()
    launch(app, engine.settings, None, "127.0.0.2", port, prevent_thread_lock=True, quiet=True)
    try:
        assert listen_addresses(port) == {"127.0.0.2"}
    finally:
        app.close()


def test_no_secret_in_pages_config_or_logs(process: ServeProcess, users_file: Path) -> None:
    url = process.ready().url
    hashes = [user.password_hash for user in load_users(users_file).values()]
    secrets = [API_KEY, *hashes, *(h.split("$")[-1] for h in hashes), *(h.split("$")[2] for h in hashes)]
    admin = logged_in(url, "animatrice")
    admin.post("/login", data={"username": "membre", "password": "faux"})
    pages = [
        admin.get(path).text for path in ("/", "/config", "/gradio_api/info", "/gradio_api/openapi.json")
    ]
    pages.append(httpx.get(f"{url}/", timeout=30).text)  # the login page
    client = Client(url, auth=("animatrice", PASSWORDS["animatrice"]), verbose=False)
    history, *_ = client.predict(
        "Quand le potager partagé a-t-il été inauguré ?", [], "Tous", "Tous", "Tous", "Tous", "Tous",
        api_name="/respond",
    )  # fmt: skip
    pages.append(str(history))
    assert "indisponible" in pages[-1]  # the model was called, with its key, and is down
    time.sleep(1)
    logs = process.logs()
    assert "Running on local URL:  http://127.0.0.1:" in logs
    scanned = [*pages, logs]
    found = [secret for secret in secrets for text in scanned if secret in text]
    assert found == []
    print(
        f"\nsecrets scan: {len(secrets)} secrets, {len(scanned)} pages and logs, "
        f"{sum(map(len, scanned))} characters, {len(found)} found"
    )


# -- hostile documents in a real browser -----------------------------------------------


QUESTIONS = [  # each answer quotes one hostile sentence, shown as written
    ("Quand le potager partagé a-t-il été inauguré ?", "<script>window.__pwned = 1</script>"),
    ("Quand le compost collectif a-t-il été installé ?", "Le compost collectif compost a été installé"),
    ("Quelle charte graphique a été adoptée ?", f'<link rel="stylesheet" href="http://{EVIL}/style.css">'),
    ("Quelle vidéo a été tournée en août ?", f'<iframe src="http://{EVIL}/video"></iframe>'),
    ("Quel décor de la fête a plu ?", f'<div style="background:url(http://{EVIL}/fond.png)">fleuri</div>'),
    (
        "Où se font les inscriptions au potager partagé ?",
        f"contact@example.org ou sur http://{EVIL}/inscription",
    ),
]


@pytest.mark.browser
def test_hostile_documents_are_text_and_nothing_is_fetched_elsewhere(locked: str) -> None:
    origin = f"{urlsplit(locked).scheme}://{urlsplit(locked).netloc}"
    requests: list[str] = []
    dialogs: list[str] = []
    with browser_page() as page:
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(locked)
        log_in(page, "animatrice", PASSWORDS["animatrice"])
        chat = page.locator("#chat")
        box = page.locator("#question textarea")
        for question, shown in QUESTIONS:
            ask_in_chat(page, question)
            expect(chat).to_contain_text(shown)
            expect(box).to_have_value("")
        expect(chat).to_contain_text(f'<img src="http://{EVIL}/x.png" onerror="window.__pwned = 2">')
        page.get_by_role("tab", name="Territoires").click()
        expect(page.locator("#territoires")).to_contain_text("Commune de Brumeval")
        page.locator("#territoires").get_by_text(HOSTILE_TERRITORY, exact=True).filter(
            visible=True
        ).first.click()
        expect(page.locator("#fiche")).to_contain_text(HOSTILE_TERRITORY)
        page.get_by_role("button", name="Poser une question sur ce territoire").click()
        expect(box).to_have_value(
            f"Qu'attendait le territoire {HOSTILE_TERRITORY} et quelles suites ont été données ?"
        )
        box.press("Enter")
        expect(chat).to_contain_text(f"Qu'attendait le territoire {HOSTILE_TERRITORY} et quelles suites")
        expect(box).to_have_value("")
        screenshot(page, "9-documents-hostiles")
        for tab, element in [("Leviers", "#leviers"), ("Découvrir", "#frise"), ("Documents", "#documents")]:
            page.get_by_role("tab", name=tab).click()
            expect(page.locator(element)).to_be_visible()
        for accordion in ("Visite guidée du bilan", "Glossaire"):
            page.get_by_role("tab", name="Découvrir").click()
            page.get_by_text(accordion).click()
        page.get_by_role("tab", name="Questions sans réponse").click()
        page.get_by_role("button", name="Actualiser").click()
        page.wait_for_timeout(1000)
        errors = page.locator(".toast-body").all_inner_texts()
        pwned = page.evaluate("window.__pwned")
        elsewhere = [u for u in requests if not u.startswith((origin + "/", "data:", "blob:"))]
        rendered = page.locator(
            f'img[src*="{EVIL}"], a[href*="{EVIL}"], link[href*="{EVIL}"], iframe'
        ).count()
    print(
        f"\nbrowser: {len(requests)} requests, {len(elsewhere)} to another origin, "
        f"{0 if pwned is None else 1} script executions, {len(dialogs)} dialogs"
    )
    assert elsewhere == [] and pwned is None and dialogs == [] and rendered == 0, errors


def test_no_page_or_refusal_can_be_framed_by_another_site(locked: str, open_app: str) -> None:
    """Issue 18, finding 9: without ``X-Frame-Options`` or ``frame-ancestors``, a page of
    any site could frame the app and lure a facilitator's clicks."""
    for url, path in ((open_app, "/"), (locked, "/"), (locked, "/login"), (locked, "/gradio_api/info")):
        response = httpx.get(f"{url}{path}", timeout=30)
        assert response.headers["x-frame-options"] == "DENY", (url, path, response.status_code)
        assert "frame-ancestors 'none'" in response.headers.get_list("content-security-policy"), path


def test_host_names_the_app_answers_to() -> None:
    assert host_name("evil.example:7882") == "evil.example" and host_name("[::1]:7860") == "::1"
    assert host_name("LocalHost") == "localhost" and host_name("") == ""
    assert served_names("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert served_names("0.0.0.0", ["bilan.exemple.fr:443"]) == {
        "127.0.0.1", "localhost", "::1", "bilan.exemple.fr"
    }  # fmt: skip
    assert served_names("192.168.1.20") >= {"192.168.1.20"}


def test_a_rebound_host_name_gets_nothing(open_app: str) -> None:
    """Issue 18, finding 3 (DNS rebinding): a page of evil.example whose name now points to
    127.0.0.1 read a local instance's documents; any host name not served answers 400."""
    forged = {"Host": "evil.example:7882", "Origin": "http://evil.example:7882"}
    page = httpx.get(f"{open_app}/", headers=forged, timeout=30)
    run = httpx.post(f"{open_app}/gradio_api/run/territories", json={"data": []}, headers=forged, timeout=30)
    join = httpx.post(f"{open_app}/gradio_api/queue/join", json={}, headers=forged, timeout=30)
    for response in (page, run, join):
        assert response.status_code == 400
        assert response.json() == {"detail": "Nom d'hôte non servi par cette application."}
        assert "Sauvelière" not in response.text
    assert httpx.get(f"{open_app}/", headers={"Host": "localhost"}, timeout=30).status_code == 200


def test_which_origins_are_another_site() -> None:
    """Issue 30 (N12): the check compared host names only, so a page on another port of
    127.0.0.1 (a dev server, a notebook, another Gradio app) passed it."""
    own = request_origin("http", "127.0.0.1:7860")
    assert own == ("http", "127.0.0.1", 7860)
    public = configured_origins(["bilan.exemple.fr"])
    assert not foreign_origin(None, own)  # a script client: no page of another site
    for origin in ("http://127.0.0.1:7860", "HTTP://127.0.0.1:7860/", "https://BILAN.exemple.fr"):
        assert not foreign_origin(origin, own, public), origin
    assert not foreign_origin("http://[::1]:7860", request_origin("http", "[::1]:7860"))
    assert not foreign_origin("http://localhost", request_origin("http", "localhost"))
    for origin in (
        "http://127.0.0.1:9999",  # another port
        "http://localhost:7860",  # another name of the same machine: another origin
        "https://127.0.0.1:7860",  # another scheme
        "http://127.0.0.1",
        "http://bilan.exemple.fr:8080",
        "http://evil.example",
        "http://127.0.0.1.evil.example:7860",
        "http://127.0.0.1:7860@evil.example",
        "null",
        "",
        "file://",
    ):
        assert foreign_origin(origin, own, public), origin
    assert request_origin("http", "127.0.0.1:7882@evil.example") is None  # never the app's own
    assert configured_origins(["bilan.exemple.fr:8443"]) == {
        ("https", "bilan.exemple.fr", 8443), ("http", "bilan.exemple.fr", 8443)
    }  # fmt: skip
    assert cross_site("cross-site") and cross_site("Same-Site")
    assert not cross_site("same-origin") and not cross_site("none") and not cross_site(None)


def test_a_page_of_another_site_can_neither_log_in_nor_ask(locked: str, open_app: str) -> None:
    """Issue 18, finding 9: the login accepted a foreign ``Origin`` (a page of another site
    could log a visitor into an account of its choosing); nor may it send a question or a
    removal in the visitor's name."""
    evil = {"Origin": f"http://{EVIL}"}
    form = {"username": "animatrice", "password": PASSWORDS["animatrice"]}
    login = httpx.post(f"{locked}/login", data=form, headers=evil, timeout=30)
    join = httpx.post(f"{open_app}/gradio_api/queue/join", json={}, headers=evil, timeout=30)
    for response in (login, join):
        assert (response.status_code, response.json()) == (403, {"detail": FOREIGN_ORIGIN})
        assert "set-cookie" not in response.headers
    own = httpx.post(f"{locked}/login", data=form, headers={"Origin": locked}, timeout=30)
    assert own.status_code == 200 and own.cookies  # the app's own page logs in


def test_the_deprecated_file_route_is_closed(open_app: str) -> None:
    """Issue 18, finding 4: ``/gradio_api/file/<url>`` made the server fetch a URL."""
    for path in ("/gradio_api/file/http://127.0.0.1:9/secret", "/gradio_api/file//etc/passwd", "/file/x"):
        assert raw_get(open_app, path)[0] == 404, path


def test_a_forwarded_for_header_does_not_reset_an_address_count(locked: str) -> None:
    """Issue 18, finding 5: the per-address limit trusted X-Forwarded-For from any local
    client, so changing the header reset it. Only configured proxies are believed now."""
    with from_address(locked, "127.0.0.4") as client:
        tries = [
            client.post(
                "/login",
                data={"username": f"autre{n}", "password": "x"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            for n in range(12)
        ]
        assert {r.status_code for r in tries} == {400}
        right = client.post(
            "/login",
            data={"username": "animatrice", "password": PASSWORDS["animatrice"]},
            headers={"X-Forwarded-For": "198.51.100.200"},
        )
    assert right.status_code == 429


def test_concurrent_wrong_passwords_are_checked_no_more_than_the_limit(locked: str) -> None:
    """Issue 18, finding 5: 30 wrong passwords sent at once got 8 checked where the limit
    was 5; attempts being checked now count, so exactly the limit (3 here) is checked."""

    def attempt(n: int) -> int:
        with from_address(locked, "127.0.0.5") as client:
            return client.post("/login", data={"username": "en-rafale", "password": f"faux{n}"}).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(attempt, range(30)))
    assert statuses.count(400) == 3 and statuses.count(429) == 27


def test_the_api_description_is_closed_to_logged_in_users_too(locked: str) -> None:
    """Issue 18, finding 9: ``openapi.json`` answered a logged-in user."""
    admin = logged_in(locked, "animatrice")
    for path in ("/gradio_api/openapi.json", "/openapi.json", "/docs"):
        response = admin.get(path)
        assert (response.status_code, response.json()) == (404, {"detail": NOT_FOUND}), path


def test_a_setting_opens_the_api_description_to_those_who_may_use_the_app(engine: Engine) -> None:
    """Issue 18, deliverable 7: closed for everyone unless ``ASSISTANT_API_DOCS`` opens it."""
    path = "/gradio_api/openapi.json"
    assert refusal(path, "membre", admin=False, login=True) == (404, NOT_FOUND)
    assert refusal(path, "membre", admin=False, login=True, api_docs=True) is None
    assert refusal(path, None, admin=False, login=True, api_docs=True) == (401, LOGIN_REQUIRED)
    assert refusal("/gradio_api/mcp", "membre", admin=True, login=True, api_docs=True) == (404, NOT_FOUND)
    documented = Engine(engine.settings.model_copy(update={"api_docs": True}))
    with served(documented) as url:
        response = httpx.get(f"{url.rstrip('/')}{path}", timeout=30)
    assert response.status_code == 200 and "/respond" in response.text


def test_sessions_expire() -> None:
    now = [0.0]
    sessions = Sessions(hours=10, clock=lambda: now[0])
    assert not sessions.expired("jeton")
    now[0] = 10 * 3600
    assert not sessions.expired("jeton") and not sessions.expired("autre")
    now[0] = 10 * 3600 + 1
    assert sessions.expired("jeton") and not sessions.expired("autre")


def test_a_session_past_its_hours_meets_the_login_again(engine: Engine, users_file: Path) -> None:
    """Issue 18, finding 9: sessions never expired."""
    brief = Engine(engine.settings.model_copy(update={"session_hours": 1.5 / 3600}))
    with served(brief, Authenticator(users_file)) as url:
        member = logged_in(url.rstrip("/"), "membre")
        assert member.get("/config").status_code == 200
        time.sleep(2)
        expired = member.get("/config")
        assert (expired.status_code, expired.json()) == (401, {"detail": LOGIN_REQUIRED})


def test_no_call_escapes_the_queue(open_app: str, locked: str) -> None:
    """Issue 18, finding 9: ``/gradio_api/run/respond`` answered outside the queue, past its
    concurrency limit; red team turn 3, N6: so did its alias ``/gradio_api/api/respond``, for
    a reader too. Every call goes through the queue now."""
    data = {"data": ["Quels leviers ?", [], [], "Tous", "Tous", "Tous", "Tous", "Tous"]}
    reader = logged_in(locked, "membre")
    for name in ("respond", "territories", "status"):
        for prefix in ("run", "api"):
            for response in (
                httpx.post(f"{open_app}/gradio_api/{prefix}/{name}", json=data, timeout=30),
                reader.post(f"/gradio_api/{prefix}/{name}", json=data),
                reader.post(f"/gradio_api/{prefix}/x", json={"data": [], "fn_index": 50}),
            ):
                assert (response.status_code, response.json()) == (404, {"detail": NOT_FOUND}), name


# -- exports and uploads: private to the instance and to the person (issue 18, finding 6) -----


def file_url(path: str) -> str:
    return f"/gradio_api/file={path}"


def test_an_export_is_served_to_the_person_who_asked_only(locked: str, process: ServeProcess) -> None:
    admin = Client(locked, auth=("animatrice", PASSWORDS["animatrice"]), verbose=False, download_files=False)
    first = admin.predict(api_name="/unanswered_csv")["value"]["path"]
    exported = admin.predict(api_name="/unanswered_csv")["value"]["path"]
    root = process_exchange().root
    assert Path(exported).is_relative_to(root) and Path(exported).name == "questions-sans-reponse.csv"
    assert not Path(first).exists()  # the next export replaced it
    owner = logged_in(locked, "animatrice").get(file_url(exported))
    assert owner.status_code == 200 and owner.content.startswith("\ufeffDate;Question".encode())
    reader = logged_in(locked, "membre").get(file_url(exported))
    assert (reader.status_code, reader.json()) == (404, {"detail": NOT_FOUND})
    elsewhere = logged_in(process.ready().url, "animatrice").get(file_url(exported))  # another instance
    assert elsewhere.status_code in (403, 404) and b"Date;Question" not in elsewhere.content


def test_without_a_login_each_browser_has_its_own_exports(open_app: str) -> None:
    browsers = [httpx.Client(base_url=open_app, timeout=30) for _ in range(3)]
    pages = [browser.get("/") for browser in browsers[:2]]
    cookie = pages[0].headers["set-cookie"]
    assert cookie.startswith(f"{VISITOR_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    token = browsers[0].cookies[VISITOR_COOKIE]
    assert browsers[1].cookies[VISITOR_COOKIE] != token
    browser = {"Cookie": f"{VISITOR_COOKIE}={token}"}
    visitor = Client(open_app, headers=browser, verbose=False, download_files=False)
    exported = visitor.predict(api_name="/unanswered_csv")["value"]["path"]
    assert Path(exported).is_relative_to(process_exchange().root)
    assert browsers[0].get(file_url(exported)).content.startswith("\ufeffDate;Question".encode())
    for stranger in browsers[1:]:  # another browser, a client without the cookie
        response = stranger.get(file_url(exported))
        assert (response.status_code, response.json()) == (404, {"detail": NOT_FOUND})
    files = set(process_exchange().root.rglob("*.csv"))
    anonymous = Client(open_app, verbose=False).predict(api_name="/unanswered_csv")
    assert anonymous in (None, {"__type__": "update"})  # a French notice (ui.downloads.NO_OWNER)
    assert set(process_exchange().root.rglob("*.csv")) == files  # and no file


def test_an_upload_is_its_senders_and_goes_once_indexed(locked: str, tmp_path: Path) -> None:
    admin = logged_in(locked, "animatrice")
    sent = admin.post(
        "/gradio_api/upload", files={"files": ("verger.md", b"# Verger\n\nLe verger a 12 arbres.")}
    )
    uploaded = sent.json()[0]
    assert Path(uploaded).is_relative_to(process_exchange().root)
    assert admin.get(file_url(uploaded)).text.startswith("# Verger")
    reader = logged_in(locked, "membre").get(file_url(uploaded))
    assert (reader.status_code, reader.json()) == (404, {"detail": NOT_FOUND})
    note = tmp_path / "verger-partage.md"
    note.write_text("# Verger partagé\n\nLe verger partagé compte douze arbres fruitiers.", encoding="utf-8")
    client = Client(locked, auth=("animatrice", PASSWORDS["animatrice"]), verbose=False)
    report, *_ = client.predict([handle_file(str(note))], api_name="/upload")
    try:
        assert "verger\\-partage.md : indexé" in report
        assert not list(process_exchange().root.rglob("verger-partage.md"))  # the store has its copy
    finally:
        client.predict("verger-partage.md", api_name="/remove")


def test_a_long_upload_says_how_far_its_embedding_is(locked: str, tmp_path: Path) -> None:
    """The administrator's progress bar moves while a long note is embedded, batch by batch,
    in French (not only once the file is done)."""
    note = tmp_path / "notes-progression.md"
    sections = [f"## Atelier {i}\n\nL'atelier {i} du jardin {uuid.uuid4().hex[:8]} a réuni {i + 3} personnes "
                f"autour du compost, des semis et de l'arrosage partagé." for i in range(40)]  # fmt: skip
    note.write_text("# Notes de progression\n\n" + "\n\n".join(sections), encoding="utf-8")
    client = Client(locked, auth=("animatrice", PASSWORDS["animatrice"]), verbose=False)
    job = client.submit([handle_file(str(note))], api_name="/upload")
    seen: set[str] = set()
    while not job.done():
        for unit in job.status().progress_data or []:
            seen.add(str(unit.desc))
        time.sleep(0.02)
    try:
        assert "notes\\-progression.md : indexé" in job.result()[0]
        assert any(re.fullmatch(r"Calcul des vecteurs : \d+ sur \d+ textes", desc) for desc in seen), seen
    finally:
        client.predict("notes-progression.md", api_name="/remove")


# -- bounded inputs, one short log line per refusal (issue 18, findings 8 and 9) ----------------


def test_refusals_are_short_french_and_leave_one_log_line_each(process: ServeProcess) -> None:
    url = process.ready().url
    before = len(process.logs())
    reader = Client(url, auth=("membre", PASSWORDS["membre"]), verbose=False)
    big = "X" * 1_000_000  # a menu's value, far beyond any document name
    history, question, *_ = reader.predict(
        "Quels leviers ?", [], big, "Tous", "Tous", "Tous", "Tous", api_name="/respond"
    )
    assert history == [] and question == "Quels leviers ?"  # nothing asked, the question kept
    with pytest.raises(Exception, match="Réservé aux administrateurs") as refused:
        reader.predict(api_name="/unanswered")
    assert len(str(refused.value)) < 200
    member = logged_in(url, "membre")
    flood = member.post("/gradio_api/queue/join", content=b'{"data": ["' + b"Y" * (5 * 1024 * 1024) + b'"]}')
    assert (flood.status_code, flood.json()) == (413, {"detail": REQUEST_TOO_LARGE})
    time.sleep(1)
    logs = process.logs()[before:]
    assert "Traceback" not in logs and "X" * 100 not in logs and "Y" * 100 not in logs
    assert max(map(len, logs.splitlines())) < 300
    assert "refus : Filtre invalide « source=XXXX" in logs
    assert "refus : Réservé aux administrateurs." in logs
    assert "refus 413 POST /gradio_api/queue/join : Requête trop volumineuse" in logs


# -- red team, turn 3: origins, sessions, logins, bodies, errors ---------------------------

PUBLIC_NAME = "bilan.exemple.fr"


@pytest.fixture(scope="module")
def public(engine: Engine, users_file: Path) -> Iterator[str]:
    """The app behind a login, served under a public name too (``ASSISTANT_ALLOWED_HOSTS``)."""
    named = Engine(engine.settings.model_copy(update={"allowed_hosts": [PUBLIC_NAME]}))
    with served(named, Authenticator(users_file)) as url:
        yield url.rstrip("/")


def grants(response: httpx.Response) -> dict[str, str]:
    """The CORS headers by which a response lets a page of another origin read it."""
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-allow")}


def test_no_page_of_another_origin_reads_a_response_nor_the_session_token(public: str) -> None:
    """Red team turn 3, N1: Gradio's CORS middleware let any origin read any response, with
    the visitor's cookies, under a public name (and any loopback port on loopback), and
    ``/gradio_api/token`` gave the session cookie's value: a page elsewhere read an
    administrator's token and acted as them. Requests made as the report made them."""
    admin = logged_in(public, "animatrice")
    elsewhere = {"Host": PUBLIC_NAME, "Origin": "https://evil.example"}
    token = admin.get("/gradio_api/token", headers=elsewhere)
    assert (token.status_code, token.json()) == (404, {"detail": NOT_FOUND})
    assert grants(token) == {} and "animatrice" not in token.text
    assert admin.get("/gradio_api/token").status_code == 404  # the app's own page never asks
    preflight = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "content-type"}
    port = urlsplit(public).port or 0
    for headers in (
        elsewhere,
        {"Origin": "http://localhost:9999"},  # another local port (N12)
        {"Origin": f"http://127.0.0.1:{port + 1}"},
        {"Origin": f"https://127.0.0.1:{port}"},
        {"Origin": "null"},
    ):
        for response in (
            admin.get("/config", headers=headers),
            admin.options("/config", headers={**headers, **preflight}),
            admin.options("/gradio_api/queue/join", headers={**headers, **preflight}),
            admin.get("/", headers=headers),
        ):
            assert grants(response) == {}, (headers, response.request.method, grants(response))
    own = admin.get("/config", headers={"Origin": public})
    assert own.status_code == 200 and grants(own)["access-control-allow-origin"] == public
    proxied = admin.get("/config", headers={"Host": PUBLIC_NAME, "Origin": f"https://{PUBLIC_NAME}"})
    assert grants(proxied)["access-control-allow-origin"] == f"https://{PUBLIC_NAME}"


def test_a_page_on_another_port_can_neither_log_in_nor_ask(locked: str, open_app: str) -> None:
    """Red team turn 3, N12: ``Origin: http://127.0.0.1:9999`` logged in and
    ``http://localhost:9999`` joined the queue (the check compared host names only)."""
    form = {"username": "curieuse", "password": PASSWORDS["curieuse"]}
    for headers in (
        {"Origin": "http://127.0.0.1:9999"},
        {"Origin": "http://localhost:9999"},
        {"Sec-Fetch-Site": "same-site"},  # the browser says: another origin of the same site
        {"Sec-Fetch-Site": "cross-site"},
    ):
        login = httpx.post(f"{locked}/login", data=form, headers=headers, timeout=30)
        join = httpx.post(f"{open_app}/gradio_api/queue/join", json={}, headers=headers, timeout=30)
        for response in (login, join):
            assert (response.status_code, response.json()) == (403, {"detail": FOREIGN_ORIGIN}), headers
            assert "set-cookie" not in response.headers and grants(response) == {}
    own = {"Origin": locked, "Sec-Fetch-Site": "same-origin"}
    assert httpx.post(f"{locked}/login", data=form, headers=own, timeout=30).status_code == 200


def test_no_logout_from_another_site_and_no_cookie_name_to_a_visitor(locked: str, open_app: str) -> None:
    """Red team turn 3, N11: ``GET /logout`` with a foreign ``Origin`` ended every session of
    the user (a link on any site logged people out), and answered anyone, without a session,
    the session cookie's name (N1)."""
    kept, other = logged_in(locked, "sortante"), logged_in(locked, "sortante")
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"},  # a link elsewhere
    ):
        response = other.get("/logout", headers=headers, follow_redirects=False)
        assert (response.status_code, response.json()) == (403, {"detail": FOREIGN_ORIGIN}), headers
        assert kept.get("/config").status_code == 200  # the user's sessions live on
    for url in (locked, open_app):
        anonymous = httpx.get(f"{url}/logout", follow_redirects=False, timeout=30)
        assert anonymous.status_code == 302
        assert not [c for c in anonymous.headers.get_list("set-cookie") if "access-token" in c]
    own = other.get("/logout", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
    assert own.status_code == 302 and kept.get("/config").status_code == 401  # every session ended


def dependency(client: httpx.Client, name: str) -> int:
    """The ``fn_index`` of the app's function ``name``, from its configuration."""
    config = client.get("/config").json()
    return int(next(d["id"] for d in config["dependencies"] if d.get("api_name") == name))


def session_events(client: httpx.Client, session: str) -> list[dict[str, Any]]:
    """The messages of a session's event stream, until its call has completed."""
    found: list[dict[str, Any]] = []
    with client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as stream:
        assert stream.status_code == 200
        for line in stream.iter_lines():
            if line.startswith("data:"):
                found.append(json.loads(line[5:]))
                if found[-1].get("msg") in ("process_completed", "close_stream"):
                    break
    return found


def opened(client: httpx.Client, path: str, **params: str) -> httpx.Response:
    """A GET of an event stream, its body read only when it is a refusal (a stream that
    answers does not end)."""
    with client.stream("GET", path, params=params) as response:
        if response.status_code != 200:
            response.read()
        return response


def test_a_session_and_its_events_are_their_owners_only(locked: str) -> None:
    """Red team turn 3, N7: a reader exported another reader's conversation and read their
    answers as they came (``queue/data``) with their ``session_hash`` alone, which travels
    in URLs (proxy logs)."""
    member, curious = logged_in(locked, "membre"), logged_in(locked, "curieuse")
    session = f"victime{secrets.token_hex(4)}"
    respond, export = dependency(member, "respond"), dependency(member, "export")
    question = "Quand le potager partagé a-t-il été inauguré ?"
    join = {"fn_index": respond, "session_hash": session, "event_data": None, "trigger_id": None}
    join["data"] = [question, [], [], "Tous", "Tous", "Tous", "Tous", "Tous"]
    assert member.post("/gradio_api/queue/join", json=join).status_code == 200
    assert "potager" in json.dumps(session_events(member, session), ensure_ascii=False)
    cancel = {"session_hash": session, "event_id": "e"}
    stolen = [
        curious.post("/gradio_api/queue/join", json={**join, "fn_index": export, "data": [None]}),
        opened(curious, "/gradio_api/queue/data", session_hash=session),
        opened(curious, f"/gradio_api/heartbeat/{session}"),
        curious.post("/gradio_api/cancel", json={**cancel, "fn_index": respond}),
    ]
    for response in stolen:
        assert (response.status_code, response.json()) == (403, {"detail": NOT_YOUR_SESSION})
    nobody = httpx.Client(base_url=locked, timeout=30)
    anonymous = opened(nobody, "/gradio_api/queue/data", session_hash=session)
    assert anonymous.status_code == 401 and "potager" not in anonymous.text
    assert member.post("/gradio_api/queue/join", json={**join, "fn_index": export, "data": [None]}).is_success
    call = member.post("/gradio_api/call/status", json={"data": []}).json()["event_id"]
    assert curious.get(f"/gradio_api/call/status/{call}").status_code == 403
    assert "event: complete" in member.get(f"/gradio_api/call/status/{call}").text


def test_the_owners_of_sessions_are_bounded() -> None:
    owners = Owners(max_keys=2)
    assert owners.claim("a", "utilisateur:x") and owners.claim("b", None)
    assert not owners.claim("a", "utilisateur:y") and owners.claim("b", None)
    assert owners.claim("c", "utilisateur:x")  # « a », the least recently used, forgotten
    assert owners.claim("a", "utilisateur:y") and not owners.claim("c", None)


def test_login_buckets() -> None:
    now = [0.0]
    rate = LoginRate(burst=3, every=2.0, clock=lambda: now[0])
    for _ in range(3):
        assert rate.wait("claire") == 0
        rate.take("claire")
    assert rate.wait("claire") == 2.0 and rate.wait("autre") == 0
    now[0] = 1.0
    assert rate.wait("claire") == 1.0
    now[0] = 2.0
    assert rate.wait("claire") == 0  # one attempt more every 2 s
    rate.take("claire")
    assert rate.wait("claire") == 2.0


def test_logins_do_not_hold_the_server(locked: str) -> None:
    """Red team turn 3, N9: the password hashing ran on the server's event loop; while 8
    threads logged in, a trivial GET went from 4 ms to a 472 ms median."""

    def three_logins(n: int) -> list[int]:
        with from_address(locked, f"127.0.0.{40 + n}") as client:
            data = [{"username": f"inconnue-{n}-{k}", "password": "faux"} for k in range(3)]
            return [client.post("/login", data=form).status_code for form in data]

    latencies: list[float] = []
    with ThreadPoolExecutor(max_workers=8) as pool, httpx.Client(base_url=locked, timeout=30) as client:
        logins = [pool.submit(three_logins, n) for n in range(8)]
        while not all(login.done() for login in logins):
            start = time.perf_counter()
            assert client.get("/manifest.json").status_code == 200
            latencies.append(time.perf_counter() - start)
            time.sleep(0.02)
        statuses = [status for login in logins for status in login.result()]
    assert statuses == [400] * 24  # every password hashed (an unknown name costs the same)
    median = statistics.median(latencies)
    print(f"\nGET during 24 logins: median {median * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms")
    assert median < 0.1, f"{median * 1000:.0f} ms"


def test_every_login_is_limited_successful_ones_too(locked: str) -> None:
    """Red team turn 3, N9: right passwords were never limited (107 logins in 12 s)."""
    form = {"username": "pressee", "password": PASSWORDS["pressee"]}
    with from_address(locked, "127.0.0.6") as client:
        responses = [client.post("/login", data=form) for _ in range(25)]
    statuses = [response.status_code for response in responses]
    assert 20 <= statuses.count(200) <= 22 and statuses.count(429) == 25 - statuses.count(200)
    refused = responses[-1]
    assert refused.json()["detail"].startswith("Trop de connexions en peu de temps : réessayez dans ")
    assert 1 <= int(refused.headers["retry-after"]) <= 3


def slow_request(url: str, path: str, cookies: httpx.Cookies | None = None) -> tuple[float, bytes]:
    """A request whose headers promise a body of 1000 bytes, of which 7 come: how long until
    the server answers and closes, and what it answered."""
    parts = urlsplit(url)
    cookie = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nCookie: {cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=40) as sock:
        start = time.monotonic()
        sock.sendall(head.encode("latin-1") + b"usernam")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return time.monotonic() - start, data


def test_a_body_too_slow_to_come_is_refused(locked: str) -> None:
    """Red team turn 3, N14: a body promised and never sent held the connection (still open
    after 75 s), on the queue and, without a login, on the login route."""
    admin = logged_in(locked, "animatrice")
    with ThreadPoolExecutor(max_workers=2) as pool:
        login = pool.submit(slow_request, locked, "/login")
        join = pool.submit(slow_request, locked, "/gradio_api/queue/join", admin.cookies)
        slow = [login.result(), join.result()]
    for seconds, answer in slow:
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:100]
        assert TOO_SLOW.encode() in answer and 9 < seconds < 20, seconds


async def test_a_body_must_come_whole_within_its_deadline() -> None:
    """A client sending its body a byte at a time, never idle long enough, still meets the
    total deadline."""
    sent: list[int] = []

    async def dripping() -> dict[str, Any]:
        await anyio.sleep(0.05)
        sent.append(1)
        return {"type": "http.request", "body": b"x", "more_body": len(sent) < 40}  # 2 s in all

    with pytest.raises(TimeoutError):
        await read_body(dripping, total=0.5, idle=0.2)
    assert 5 <= len(sent) <= 11

    async def whole() -> dict[str, Any]:
        return {"type": "http.request", "body": b"abc", "more_body": False}

    assert await read_body(whole, total=0.5, idle=0.2) == b"abc"


def test_malformed_calls_leave_one_french_line_and_no_traceback(process: ServeProcess) -> None:
    """Red team turn 3, P10: malformed calls printed Gradio's tracebacks (1.3 to 3.8 KB each)
    and answered Gradio's errors, input echoed."""
    url = process.ready().url
    before = len(process.logs())
    member = logged_in(url, "membre")
    respond, feedback = dependency(member, "respond"), dependency(member, "on_feedback")
    join = {"session_hash": "sondage-p10", "event_data": None, "trigger_id": None}
    old_history = [["Une question ?", "Une réponse."]]  # Gradio 4's pairs
    calls = [
        {**join, "fn_index": 9999, "data": []},
        {**join, "fn_index": -1, "data": []},
        {**join, "fn_index": respond, "data": ["Et ensuite ?", old_history, [], *["Tous"] * 5]},
        {
            **join,
            "fn_index": feedback,
            "data": [[]],
            "event_data": {"index": "x", "value": "a", "liked": True},
        },
    ]
    answers = [
        member.post("/gradio_api/queue/join", json=call, headers={"Connection": "close"}) for call in calls
    ]
    assert [a.status_code for a in answers] == [500, 500, 200, 200]
    assert answers[0].json() == answers[1].json() == {"detail": SERVER_ERROR}
    events = json.dumps(session_events(member, "sondage-p10"))
    assert "Traceback" not in events and "ValidationError" not in events
    for path, status in (
        ("/gradio_api/call/v2/nope", 500),
        ("/gradio_api/api/nope", 404),
        ("/gradio_api/call/nope", 500),
    ):
        answer = member.post(path, json={"data": []}, headers={"Connection": "close"})
        assert answer.status_code == status and "nope" not in answer.text, path
    echo = member.post(
        "/gradio_api/queue/join", json={"fn_index": "Z" * 1000, "data": 5, "session_hash": "s"}
    )
    assert (echo.status_code, echo.json()) == (422, {"detail": MALFORMED})
    time.sleep(1)
    logs = process.logs()[before:]
    assert "Traceback" not in logs and "Z" * 100 not in logs, logs[-3000:]
    assert "erreur POST /gradio_api/queue/join : KeyError 9999" in logs
    assert "erreur POST /gradio_api/call/v2/nope : KeyError" in logs
    assert "erreur dans un appel : ValidationError" in logs
    assert max(map(len, logs.splitlines())) < 300
