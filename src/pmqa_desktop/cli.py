"""The ``pmqa-desktop`` command: the GUI, and its command-line face on the same entry point.

    pmqa-desktop [FILE | --db FILE] [--lang th|en] [--smoke]      the application
    pmqa-desktop import-text --db FILE --kind calendar|weekly|devplan --year 2554 [--org NAME] [--year-anyway]
                 SOURCE.txt
    pmqa-desktop import --db FILE --kind calendar|weekly|devplan|catalog|progress --year 2554 [--org NAME] [--sheet S]
                 [--join-wrapped] [--year-anyway] SOURCE.docx|.xlsx|.txt
    pmqa-desktop demo --db FILE [--large]
    pmqa-desktop print FORM --db FILE --year 2554 [--org NAME] [--plan ID] [--round 6|9|12] --out F.pdf|F.xlsx|F.docx
    pmqa-desktop export --db FILE --out EXCHANGE [--org NAME] [--year 2554] [--plan ID] [--without-plan ID]
    pmqa-desktop merge --db FILE INCOMING [--dry-run]
    pmqa-desktop merge --db FILE --folder DIR [--dry-run]
    pmqa-desktop check FILE
    pmqa-desktop rollover --db FILE [--org NAME] --from 2554 [--to 2555]
    pmqa-desktop search --db FILE TEXT
    pmqa-desktop backup --db FILE / restore --db FILE BACKUP
    pmqa-desktop diagnose                   what this installation has, where it keeps things

Exit status: 0 done, 1 the user must act (message printed), 2 wrong arguments, 3 a bug.
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

from . import __version__

# The rest of the program (messages, errors) is imported in main(), after _keep_compiled_modules()
# has said where the compiled modules are kept, so that they too start from their compiled form.


def _(message: str) -> str:
    from .i18n import _ as translate
    return translate(message)

SUBCOMMANDS = ("import-text", "import", "demo", "print", "export", "merge", "check", "backup", "restore", "rollover",
               "search", "diagnose")


def _gui_parser() -> argparse.ArgumentParser:
    import argparse
    p = argparse.ArgumentParser(prog="pmqa-desktop", description=_("PMQA Desktop: plan and track PMQA work offline."),
                                epilog=_("Commands: ") + ", ".join(SUBCOMMANDS))
    p.add_argument("--db", help=_("database file to open (default: the one in your data folder)"))
    p.add_argument("--lang", choices=("th", "en"), help=_("language of the program"))
    p.add_argument("--smoke", action="store_true", help=_("paint the main window once and exit (tests, benchmarks)"))
    p.add_argument("file", nargs="?", help=_("a PMQA Desktop file to open (as --db, but it must exist)"))
    p.add_argument("--version", action="version", version=f"PMQA Desktop {__version__}")
    return p


def _simple_gui_args(argv: list[str], lang: str | None) -> SimpleNamespace | None:
    """The usual GUI command lines (``--db FILE``, ``--smoke``) read without argparse (its import
    and parser cost the start a few ms); anything else (help, version, mistakes) goes to argparse."""
    if lang is not None and lang not in ("th", "en"):
        return None
    db, file, smoke, i = None, None, False, 0
    while i < len(argv):
        a = argv[i]
        if a == "--smoke" and not smoke:
            smoke = True
        elif a == "--db" and db is None and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            db = argv[i + 1]
            i += 1
        elif a.startswith("--db=") and db is None and len(a) > 5:
            db = a[5:]
        elif not a.startswith("-") and file is None:
            file = a
        else:
            return None
        i += 1
    return SimpleNamespace(db=db, file=file, lang=lang, smoke=smoke)


def _file_to_open(db: str | None, file: str | None) -> str | None:
    """``pmqa-desktop FILE`` (a double-clicked file): it must exist, since a mistyped command
    would otherwise start an empty file of that name."""
    from .core.errors import UserError
    if file is None:
        return db
    if db is not None:
        raise UserError(_("Name one file to open: {a} or {b}.").format(a=db, b=file))
    if not Path(file).is_file():
        raise UserError(_("The file {path} does not exist.").format(path=file) + " "
                        + _("Commands: ") + ", ".join(SUBCOMMANDS))
    return file


def _sub_parser() -> argparse.ArgumentParser:
    import argparse
    p = argparse.ArgumentParser(prog="pmqa-desktop")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("import-text", help=_("import a seed-style text table"))
    s.add_argument("--db", required=True)
    s.add_argument("--kind", required=True, choices=("calendar", "weekly", "devplan"))
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--org")
    s.add_argument("--year-anyway", action="store_true",
                   help=_("import even when the document names another fiscal year than --year"))
    s.add_argument("source")

    s = sub.add_parser("import", help=_("import a form from a Word (.docx) or Excel (.xlsx) file or a text table"))
    s.add_argument("--db", required=True)
    s.add_argument("--kind", required=True, choices=("calendar", "weekly", "devplan", "catalog", "progress"))
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--org")
    s.add_argument("--sheet", help=_("the sheet of an Excel workbook to import"))
    s.add_argument("--join-wrapped", action="store_true",
                   help=_("remove spaces typed between Thai letters to wrap lines in a narrow cell"))
    s.add_argument("--year-anyway", action="store_true",
                   help=_("import even when the document names another fiscal year than --year"))
    s.add_argument("source")

    s = sub.add_parser("demo", help=_("write the demo database"))
    s.add_argument("--db", required=True)
    s.add_argument("--large", action="store_true")

    s = sub.add_parser("print", help=_("print a form to PDF"))
    s.add_argument("form", choices=("owners", "calendar", "weekly", "devplan", "kpi72", "progress"))
    s.add_argument("--db", required=True)
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--org")
    s.add_argument("--plan")
    s.add_argument("--round", type=int, choices=(6, 9, 12))
    s.add_argument("--out", required=True)
    s.add_argument("--thai-digits", action="store_true")
    s.add_argument("--paper", choices=("A4", "A3"))                       # else the form's last one
    s.add_argument("--orientation", choices=("portrait", "landscape"))

    s = sub.add_parser("export", help=_("write an exchange file for another office"))
    s.add_argument("--db", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--org", action="append")
    s.add_argument("--year", type=int, action="append")
    s.add_argument("--plan", action="append", help=_("only this development plan (its id or the id's start)"))
    s.add_argument("--without-plan", action="append", help=_("leave this development plan (its id) out"))

    s = sub.add_parser("merge", help=_("merge an exchange file into a database"))
    s.add_argument("--db", required=True)
    s.add_argument("incoming", nargs="?")
    s.add_argument("--folder", help=_("merge every file in this folder at once (one backup, one commit)"))
    s.add_argument("--dry-run", action="store_true")

    s = sub.add_parser("check", help=_("check whether a file can be opened safely"))
    s.add_argument("file")

    s = sub.add_parser("backup", help=_("back up a database now"))
    s.add_argument("--db", required=True)
    s.add_argument("--list", action="store_true")
    s.add_argument("--budget", type=int, metavar="MB", help=_("the disk space all backups may take together, every file's"))

    s = sub.add_parser("restore", help=_("restore a database from a backup"))
    s.add_argument("--db", required=True)
    s.add_argument("backup")

    s = sub.add_parser("rollover", help=_("copy a fiscal year into a new one, its dates moved on"))
    s.add_argument("--db", required=True)
    s.add_argument("--org")
    s.add_argument("--from", dest="from_year", required=True)   # (read in run_rollover: a Thai message)
    s.add_argument("--to", dest="to_year")

    s = sub.add_parser("search", help=_("list every place in the file where a text is written"))
    s.add_argument("--db", required=True)
    s.add_argument("text")

    sub.add_parser("diagnose", help=_("show what this installation has and where it keeps its files"))
    return p


def _print_safely() -> None:
    """Thai printed where the code page has no Thai (a Western Windows' cp1252, output redirected
    to a file) comes out as \\u escapes instead of stopping the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if not encoding or not hasattr(stream, "reconfigure"):
            continue
        try:
            "\u0e01".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _keep_compiled_modules() -> None:
    """Let Python keep the compiled form of the program's modules between starts.

    Where the environment forbids writing ``.pyc`` files next to the sources (PYTHONDONTWRITEBYTECODE,
    a read-only or shared install), every start would compile the whole program again (~0.2 s). Keep
    them in the user's cache folder instead, away from the sources. Only for a real start of the
    program (``main()`` without arguments), never for a caller inside another Python program.
    """
    from .paths import keep_compiled_modules
    keep_compiled_modules()


def main(argv: list[str] | None = None) -> int:
    program_start = argv is None
    if program_start:
        _keep_compiled_modules()
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = None
    # --lang may stand anywhere (before or after a subcommand); take it out first
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
            del argv[i:i + 2]
            break
        if a.startswith("--lang="):
            lang = a.split("=", 1)[1]
            del argv[i]
            break
    _print_safely()
    first = next((a for a in argv if not a.startswith("-")), None)
    if program_start and first not in SUBCOMMANDS:
        from .ui.app import pause_gc_for_start
        pause_gc_for_start()   # (the GUI's start, from its first imports; on again after the first paint)
    from .core.errors import UserError
    from .i18n import use_language
    from .logfile import log_error, logger, start_logging
    use_language(lang)
    start_logging(argv)
    try:
        if first in SUBCOMMANDS:
            args = _sub_parser().parse_args(argv)
            return _run_command(args)
        args = _simple_gui_args(argv, lang) or _gui_parser().parse_args(argv + (["--lang", lang] if lang else []))
        db = _file_to_open(args.db, args.file)
        if db:   # a received file's check runs beside the start-up
            from .core.storage.store import check_ahead
            check_ahead(db)
        from .ui.app import resume_gc, run_gui, start_font_warm_up
        if program_start:
            start_font_warm_up()   # fontconfig's lists read beside PySide's import
        try:
            return run_gui(db=db, smoke=args.smoke, lang=args.lang)
        finally:
            resume_gc()
    except UserError as exc:
        logger.warning("%s", exc)
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except SystemExit:
        raise
    except Exception:  # a bug: say so plainly, with the details for the developers
        log_error("internal error, command line: " + " ".join(argv))
        print(_("PMQA Desktop hit an internal error. Nothing was saved half-way; details follow."), file=sys.stderr)
        traceback.print_exc()
        return 3


def _run_command(args: argparse.Namespace) -> int:
    cmd = args.command
    from .logfile import logger
    logger.info("command %s", cmd)
    if cmd == "diagnose":
        from .diagnose import run_diagnose

        def features() -> tuple[str, ...]:   # a part left out of a frozen build fails this import
            from .ui.main_window import feature_modules
            return feature_modules()
        return run_diagnose(features)
    if cmd == "demo":
        from .core.demo import write_demo
        path = write_demo(args.db, large=args.large)
        print(_("Demo database written to {path}").format(path=path))
        return 0
    if cmd == "import-text":
        from .core.importers.headless import import_text
        return import_text(Path(args.db), args.kind, args.year, args.org, Path(args.source),
                           year_anyway=args.year_anyway)
    if cmd == "import":
        from .core.importers.headless import import_file
        return import_file(Path(args.db), args.kind, args.year, args.org, Path(args.source), sheet=args.sheet,
                           join_wrapped=args.join_wrapped, year_anyway=args.year_anyway)
    if cmd == "print":
        from .printing.cli import run_print
        return run_print(args)
    if cmd == "rollover":
        from .core.rollover_cli import run_rollover
        return run_rollover(Path(args.db), args.org, args.from_year, args.to_year)
    if cmd == "search":
        from .core.search_cli import run_search
        return run_search(Path(args.db), args.text)
    if cmd in ("export", "merge", "check", "backup", "restore"):
        from .core.sharing import cli as sharing_cli
        return getattr(sharing_cli, "run_" + cmd)(args)
    raise AssertionError(cmd)


if __name__ == "__main__":
    sys.exit(main())
