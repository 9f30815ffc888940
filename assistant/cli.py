"""The command line: ``python -m bilan`` (also ``bilan-assistant``), or ``python -m assistant``
for every command but ``serve``.

This is the edge: it builds the settings once, calls the engine, and turns a
``UserFacingError`` into one line on stderr (exit 1). Usage errors exit 2. The words it
shares with the web (kinds of documents, the verifier's line, filters) come from
``assistant.wording``. The web server is given to ``main`` (``serve``) by the composition
root, ``bilan``: this package imports nothing of ``ui``. Heavy libraries are imported only
by the commands that need them, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.settings import Settings
from assistant.wording import FILTER_KEYS, citations_heading, kind_name, parse_filters, verification_line

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# The web server (``ui.app.serve``), given by the composition root: ``serve(engine, host=, port=)``.
Server = Callable[..., None]
NO_SERVER = "erreur : l'interface web se lance avec « python -m bilan serve »."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bilan-assistant",
        description=(
            "Assistant de questions-réponses sur le bilan des journées d'initiation et les notes de session."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument(
            "--store", type=Path, help="dossier de l'index (défaut : ASSISTANT_STORE ou ./data/store)"
        )
        return sub

    ingest = command("ingest", "indexer des fichiers .pdf, .md, .txt, .docx, .odt ou des dossiers")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="CHEMIN")
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="tout relire et compacter l'index ; seuls les chemins donnés restent indexés",
    )
    ingest.add_argument(
        "--prune", action="store_true", help="retirer les documents dont le fichier a disparu"
    )
    ingest.add_argument(
        "--ocr", action="store_true", help="reconnaître le texte des pages images (ocrmypdf, Tesseract)"
    )
    ingest.add_argument("--json", action="store_true", help="sortie JSON")

    ask = command("ask", "poser une question")
    ask.add_argument("question")
    ask.add_argument("--k", type=int, help="nombre de passages retrouvés")
    ask.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="CLE=VALEUR",
        help=f"clés {', '.join(FILTER_KEYS)} ; ex. kind=notes, session=2",
    )
    ask.add_argument(
        "--after",
        action="append",
        default=[],
        metavar="QUESTION",
        help="question posée juste avant (répétable) : rend autonome une question de suivi",
    )
    ask.add_argument("--json", action="store_true", help="sortie JSON")

    docs = command("docs", "lister les documents indexés")
    docs.add_argument("--json", action="store_true", help="sortie JSON")

    territories = command("territories", "lister les territoires des tableaux de participants")
    territories.add_argument("--json", action="store_true", help="sortie JSON")

    evaluate = command("eval", "mesurer la recherche sur un fichier de questions (JSON Lines)")
    evaluate.add_argument("--questions", type=Path, required=True, metavar="FICHIER.jsonl")
    evaluate.add_argument("--k", type=int, default=10)
    evaluate.add_argument("--answers", action="store_true", help="composer aussi les réponses et les mesurer")
    evaluate.add_argument("--json", action="store_true", help="sortie JSON")

    check = command("check", "vérifier l'index : chaque passage retrouvable, les deux index d'accord")
    check.add_argument("--json", action="store_true", help="sortie JSON")

    user = command("user", "ajouter ou remplacer un compte de l'interface web (mot de passe demandé)")
    user.add_argument("name", metavar="NOM")
    user.add_argument("--admin", action="store_true", help="administrateur : dépôts, retraits, questions")
    user.add_argument(
        "--users", type=Path, metavar="FICHIER", help="fichier d'utilisateurs (défaut : ASSISTANT_AUTH)"
    )

    serve = command("serve", "lancer l'interface web")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    return parser


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def run_ingest(engine: Any, args: argparse.Namespace) -> int:
    from ingest import FAILED, INDEXED, REMOVED, UNCHANGED

    def show(outcome: Any) -> None:
        if args.json:
            return
        if outcome.status == INDEXED:
            line = f"{outcome.path}: indexed ({outcome.pages} pages, {outcome.chunks} passages)"
            print(f"{line} — {outcome.reason}" if outcome.reason else line, flush=True)
        elif outcome.status == FAILED:
            print(f"{outcome.path}: failed: {outcome.reason}", flush=True)
        else:
            print(f"{outcome.path}: {outcome.status}", flush=True)
        for warning in outcome.warnings:
            print(f"    attention : {warning}", flush=True)

    report = engine.ingest(
        args.paths,
        rebuild=args.rebuild,
        prune=args.prune,
        ocr=args.ocr,
        on_outcome=show,
        on_progress=None if args.json else progress_lines(PROGRESS_SECONDS),
    )
    counts = {status: report.count(status) for status in (INDEXED, UNCHANGED, FAILED, REMOVED)}
    total = engine.store.count()
    if args.json:
        files = [vars(outcome) for outcome in report.outcomes]
        _emit({"files": files, **counts, "chunks_in_store": total, "repairs": report.repairs})
    else:
        for repair in report.repairs:
            print(f"Index réparé avant l'indexation : {repair}")
        print(format_report(report.outcomes))
        print(
            f"Résumé : {counts[INDEXED]} indexé(s), {counts[UNCHANGED]} inchangé(s), "
            f"{counts[FAILED]} en échec, {counts[REMOVED]} retiré(s) ; {total} passages dans l'index."
        )
    return EXIT_OK if report.ok else EXIT_FAILED


PROGRESS_SECONDS = 5.0  # a long embedding says where it is at most this often


def progress_lines(every: float, clock: Callable[[], float] = time.monotonic) -> Callable[[int, int], None]:
    """A progress listener printing « vecteurs calculés : 120/423 » at most every ``every``
    seconds (a group embedded faster prints nothing: its files' lines follow at once)."""
    last = clock()

    def heard(done: int, total: int) -> None:
        nonlocal last
        if done < total and clock() - last >= every:
            last = clock()
            print(f"  vecteurs calculés : {done}/{total} textes…", flush=True)
        elif done >= total:
            last = clock()

    return heard


def format_report(outcomes: Sequence[Any]) -> str:
    """The end-of-run report: per document read in this run, what came out of it."""
    from ingest import FAILED, INDEXED

    read = [outcome for outcome in outcomes if outcome.status in (INDEXED, FAILED)]
    lines = ["Rapport d'ingestion :", "  document | pages | passages | tableaux | lignes | avertissements"]
    for outcome in read:
        name = Path(outcome.path).name
        if outcome.status == FAILED:
            lines.append(f"  {name} | échec : {outcome.reason}")
        else:
            lines.append(
                f"  {name} | {outcome.pages} | {outcome.chunks} | {outcome.tables} | {outcome.rows} "
                f"| {len(outcome.warnings)}"
            )
    return "\n".join(lines) if read else "Rapport d'ingestion : aucun fichier lu (tout est à jour)."


def run_territories(engine: Any, args: argparse.Namespace) -> int:
    rows = engine.territories()
    if args.json:
        _emit([row.to_dict() for row in rows])
        return EXIT_OK
    if not rows:
        print("Aucun tableau de territoires dans les documents indexés.")
    for row in rows:
        day = f"journée {row.session}" if row.session else "journée ?"
        details = " | ".join(f"{name} : {value}" for name, value in row.columns if value != row.territory)
        print(f"{row.territory} ({day}, {row.source} p. {row.page}) — {details}")
    return EXIT_OK


def run_ask(engine: Any, args: argparse.Namespace) -> int:
    filters = parse_filters(args.filter)
    events = engine.ask_stream(args.question, k=args.k, filters=filters, earlier=args.after)
    if args.json:
        *_, answer = events
        _emit(answer.to_dict())
        return EXIT_OK
    streamed = []
    for event in events:
        if isinstance(event, str):  # a language model's reply, shown as it is written
            print(event, end="", flush=True)
            streamed.append(event)
        else:
            answer = event
    print_answer(answer, "".join(streamed))
    print(format_citations(answer))
    return EXIT_OK


def print_answer(answer: Any, streamed: str) -> None:
    """The answer after what the model streamed: the checked text if it differs, or the
    notice and the extractive answer that replace a reply the model failed to give."""
    if streamed:
        print()
    if answer.notice:
        print(f"\n{answer.notice}\n" if streamed else f"{answer.notice}\n")
        print(answer.text)
    elif not streamed:
        print(answer.text)
    elif answer.text != streamed.strip():
        print("\nAprès vérification dans les passages :")
        print(answer.text)


def format_citations(answer: Any) -> str:
    """The numbered sources (or closest passages) of an answer, then its verification."""
    lines = []
    if answer.citations:
        lines.append(f"\n{citations_heading(answer.refused)} :")
    for citation in answer.citations:
        where = f", p. {citation.page}" if citation.page else ""
        section = f" — {citation.section}" if citation.section else ""
        kind = kind_name(citation.kind)
        excerpt = " ".join(citation.text.split())
        if len(excerpt) > 300:
            excerpt = excerpt[:300] + "…"
        lines.append(f"[{citation.n}] ({kind}) {citation.source}{where}{section}\n    « {excerpt} »")
    if not answer.refused:
        lines.append(f"\n{verification_line(answer.verification, answer.checked, answer.gap)}")
    return "\n".join(lines)


def run_docs(engine: Any, args: argparse.Namespace) -> int:
    records = engine.documents()
    if args.json:
        _emit([{**json.loads(r.to_json()), "chunks": r.chunks, "chunk_ids": None} for r in records])
        return EXIT_OK
    if not records:
        print("Aucun document indexé.")
    for r in records:
        print(f"{r.source}  [{r.kind}]  {r.pages} pages, {r.chunks} passages, sha256 {r.sha256[:12]}")
    return EXIT_OK


def run_eval(engine: Any, args: argparse.Namespace) -> int:
    from assistant.evaluation import load_questions

    figures = engine.evaluate(load_questions(args.questions), k=args.k, answers=args.answers)
    if args.json:
        _emit(figures)
    else:
        # what some figures are measured over, shown next to them
        notes = {
            "answerable": "questions dont la réponse est dans les documents",
            "unanswerable": "questions sans réponse dans les documents",
            "first_sentence_has_gold": "réponse attendue dès la première phrase",
            "page_hit": "une citation donne la page attendue",
            "wrongly_refused": "refus sur des questions qui ont une réponse",
            "wrongly_partial": "réponses partielles à des questions qui ont une réponse",
            "refused": "refus sur les questions sans réponse",
            "partial": "réponses partielles aux questions sans réponse",
            "partial_ok": "réponses partielles qui disent ce qui manque",
            "refused_or_partial": "refus ou réponse partielle qui dit ce qui manque",
        }
        width = max(map(len, figures))
        for key, value in figures.items():
            note = notes.get(key, "")
            print(f"{key:>{width}} : {value}" + (f"  ({note})" if note else ""))
    return EXIT_OK


def run_check(engine: Any, args: argparse.Namespace) -> int:
    health = engine.check()
    if args.json:
        _emit({**vars(health), "unreachable": list(health.unreachable), "reachability": health.reachability})
        return EXIT_OK if health.ok else EXIT_FAILED
    print(
        f"Passages vivants : {health.live} ; retrouvés par leur propre vecteur : {health.reachable} "
        f"({health.reachability:.1%})."
    )
    print(f"Passages orphelins : {health.orphans} ; passages manquants : {health.missing}.")
    agree = "oui" if health.lexical_agrees else "non (il sera reconstruit à la prochaine question)"
    print(f"Index lexical et index vectoriel d'accord : {agree}.")
    if health.unreachable:
        print("Des passages sont introuvables : compactez l'index avec « ingest --rebuild CHEMINS... ».")
    print("Index sain." if health.ok else "Index à réparer.")
    return EXIT_OK if health.ok else EXIT_FAILED


def run_user(engine: Any, args: argparse.Namespace) -> int:
    import getpass

    from assistant.errors import UserFacingError
    from assistant.users import add_user

    path = args.users or engine.settings.auth
    if path is None:
        raise UserFacingError("Indiquez le fichier d'utilisateurs : --users FICHIER ou ASSISTANT_AUTH.")
    if sys.stdin.isatty():
        password = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Confirmez : ") != password:
            raise UserFacingError("Les deux mots de passe diffèrent.")
    else:
        password = sys.stdin.readline().rstrip("\n")
    add_user(Path(path), args.name, password, args.admin)
    role = "administrateur" if args.admin else "lecteur"
    print(f"Utilisateur « {args.name} » ({role}) enregistré dans {path}.")
    return EXIT_OK


def run_serve(engine: Any, args: argparse.Namespace, serve: Server) -> int:
    serve(engine, host=args.host or engine.settings.host, port=args.port or engine.settings.port)
    return EXIT_OK


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "ingest": run_ingest,
    "ask": run_ask,
    "docs": run_docs,
    "territories": run_territories,
    "eval": run_eval,
    "check": run_check,
    "user": run_user,
}  # and "serve", with the server ``main`` is given


def describe_invalid_settings(exc: ValidationError) -> str:
    """One French line naming each invalid ``ASSISTANT_*`` variable and its value."""
    parts = []
    for error in exc.errors():
        if not error["loc"]:  # a rule across settings: its message names them
            parts.append(str(error.get("ctx", {}).get("error", error["msg"])))
            continue
        name = "ASSISTANT_" + "_".join(str(part) for part in error["loc"]).upper()
        parts.append(f"{name} = « {error.get('input')} »")
    return "réglage invalide : " + ", ".join(parts)


def main(argv: Sequence[str] | None = None, serve: Server | None = None) -> int:
    """Run one command; ``serve`` is the web server (``ui.app.serve``, given by ``bilan``):
    without it, the ``serve`` command says in one line where the web app is started."""
    args = build_parser().parse_args(argv)
    if args.command == "serve" and serve is None:
        print(NO_SERVER, file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = Settings(**({"store": args.store} if args.store else {}))
    except ValidationError as exc:
        print(f"erreur : {describe_invalid_settings(exc)}", file=sys.stderr)
        return EXIT_USAGE
    return run_at_the_edge(COMMANDS.get(args.command) or partial(run_serve, serve=serve), args, settings)


def run_at_the_edge(
    run: Callable[[Any, argparse.Namespace], int], args: argparse.Namespace, settings: Settings
) -> int:
    """``run`` with an engine; what goes wrong is one line on stderr, never a traceback
    (unless ``ASSISTANT_DEBUG``)."""
    from assistant.engine import Engine
    from assistant.errors import UserFacingError

    try:
        return run(Engine(settings), args)
    except UserFacingError as exc:
        if settings.debug:
            raise
        print(f"erreur : {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:  # the edge: never a traceback unless debugging
        if settings.debug:
            raise
        print(
            f"erreur interne : {type(exc).__name__}: {' '.join(str(exc).split())[:200]} "
            "(relancez avec ASSISTANT_DEBUG=true pour la trace complète)",
            file=sys.stderr,
        )
        return EXIT_FAILED
