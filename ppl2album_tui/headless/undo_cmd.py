"""`ppl2album-tui undo --rule NAME`: take out what the rule's last apply added.

Asks for confirmation on a terminal; without a terminal `--yes` is required. Exit codes as for
`sync`: 0 done, 1 the server failed, 2 usage/config error, nothing to undo, or no confirmation.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from ppl2album_tui.headless.context import (
    EXIT_OK,
    EXIT_USAGE,
    Target,
    add_source_arguments,
    client_for,
    load_target,
    report_failure,
    say,
)
from ppl2album_tui.sync.config import ConfigError
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.lock import SyncLock
from ppl2album_tui.sync.rules import Rule


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rule", required=True, metavar="NAME", help="the rule to undo")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_source_arguments(parser)


def run(args: argparse.Namespace) -> int:
    try:
        target = load_target(args)
    except ConfigError as err:
        say(None, str(err))
        return EXIT_USAGE
    journal = Journal()
    record = journal.last_apply(args.rule)
    if record is None:
        say(None, f"Nothing to undo for rule '{args.rule}': it has added no photos yet.")
        return EXIT_USAGE
    count = len(record.undoable)
    question = (
        f"Remove the {count} photo(s) that rule '{args.rule}' added on {record.time[:19]} "
        f"from album {record.album_id}?"
    )
    if not args.yes:
        if not sys.stdin.isatty():
            say(None, "Not undoing without confirmation: pass --yes (stdin is not a terminal).")
            return EXIT_USAGE
        answer = input(f"{question} [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            say(None, "Nothing was changed.")
            return EXIT_OK
    try:
        with SyncLock(target.lock_key):
            removed = asyncio.run(_undo(target, journal, args.rule))
    except Exception as err:  # one sentence on stderr, never a traceback
        return report_failure(err, target.api_key)
    print(f"Removed {removed} photo(s) from album {record.album_id} (rule '{args.rule}').")
    return EXIT_OK


async def _undo(target: Target, journal: Journal, name: str) -> int:
    rule = next((r for r in target.config.rules if r.name == name), Rule(name, []))
    async with client_for(target) as client:
        return await SyncEngine(client, target.config, journal).undo_last(rule)
