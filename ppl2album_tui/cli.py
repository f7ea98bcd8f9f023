"""Command line entry point: wires the TUI, the headless sync and the demo server together.

Each subcommand lives in its own module, which exposes ``add_arguments(parser)`` and
``run(args) -> int``; this file only dispatches, importing the chosen module lazily so that
``ppl2album-tui sync`` never imports Textual.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from ppl2album_tui import __version__

# subcommand -> (module, help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "sync": ("ppl2album_tui.headless.sync_cmd", "run the sync engine without the TUI"),
    "undo": ("ppl2album_tui.headless.undo_cmd", "revert the last apply of a rule"),
    "import-env": ("ppl2album_tui.headless.import_env_cmd", "convert the original script's .env"),
    "demo-server": ("ppl2album_tui.demo.cli", "serve a generated Immich-compatible library"),
}
APP_MODULE = "ppl2album_tui.tui.launch"


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `only` (a subcommand) just that subcommand's arguments are added,
    so e.g. ``ppl2album-tui sync`` imports neither the TUI's nor the other commands' modules."""
    parser = argparse.ArgumentParser(
        prog="ppl2album-tui",
        description="Keep Immich albums filled with the photos of chosen people.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    if only is None:
        importlib.import_module(APP_MODULE).add_arguments(parser)
    sub = parser.add_subparsers(dest="command")
    for name, (module, help_text) in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or name == only:
            importlib.import_module(module).add_arguments(sp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` and run the chosen command; returns the process exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    first = words[0] if words else None  # a subcommand comes first (the app's options do not)
    parser = build_parser(first if first in SUBCOMMANDS else None)
    args = parser.parse_args(words)
    module = SUBCOMMANDS[args.command][0] if args.command else APP_MODULE
    try:
        return int(importlib.import_module(module).run(args))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def entry() -> None:
    """The console script: `main`; after a subcommand (the headless sync above all) the process
    ends without the interpreter's teardown, which would spend ~80 ms of CPU freeing some 300
    modules. Exit handlers run and the standard streams are flushed first; the TUI exits as
    usual."""
    code = main()
    if sys.argv[1:2] and sys.argv[1] in SUBCOMMANDS:
        atexit._run_exitfuncs()  # logging's shutdown among them
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    raise SystemExit(code)
