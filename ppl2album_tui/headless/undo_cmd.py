"""`ppl2album-tui undo --rule NAME`: take out what the rule's last apply added.

Asks for confirmation on a terminal; without a terminal `--yes` is required. Everything, from
reading the journal to the last remove, happens under the sync lock: chunks of a killed run
are settled against the album first, so they are undone too. Exit codes as for `sync`: 0 done,
1 the server failed, 2 usage/config error, nothing to undo, or no confirmation.
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
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.config import ConfigError
from ppl2album_tui.sync.engine import SyncEngine, UndoPlan, unread_sentence
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
    try:
        with SyncLock(target.lock_key):
            return asyncio.run(_undo(target, args.rule, args.yes))
    except Exception as err:  # one sentence on stderr, never a traceback
        return report_failure(err, target.api_key)


async def _undo(target: Target, name: str, yes: bool) -> int:
    rule = next((r for r in target.config.rules if r.name == name), Rule(name, []))
    async with client_for(target) as client:
        engine = SyncEngine(client, target.config, Journal())
        plan = await engine.plan_undo(rule)
        album = await _album_label(client, plan)
        refused = None if yes or plan.record is None else _refused(plan, album)
        if refused is not None:
            return refused
        restoring = plan.to_restore  # what the journal says before the undo
        removed = await engine.undo(plan)
    back = f" and put back {plan.restored} it had removed" if restoring else ""
    print(f"Removed {removed} photo(s) from {album}{back} (rule '{name}').")
    if plan.unknown:
        print(f"Left: {unread_sentence(plan.unknown)}")
    return EXIT_OK


async def _album_label(client: ImmichClient, plan: UndoPlan) -> str:
    """ "album 'Kids'" as `sync` names it (by id when it cannot be read); "albums 'Kids 2019',
    'Kids 2020'" for an apply over one album per year."""
    names = sorted([await _album_name(client, p) for p in [plan, *plan.more]])
    return f"album{'s' if len(names) > 1 else ''} {', '.join(names)}"


async def _album_name(client: ImmichClient, plan: UndoPlan) -> str:
    album_id = plan.record.album_id if plan.record else plan.rule.album_id
    if not album_id:
        return f"'{plan.rule.album_label}'"
    try:
        return f"'{(await client.album(album_id)).name}'"
    except ImmichError:
        return album_id


def _refused(plan: UndoPlan, album: str) -> int | None:
    """Ask on the terminal: None for yes, else the exit code (with a sentence saying why)."""
    if not sys.stdin.isatty():
        say(None, "Not undoing without confirmation: pass --yes (stdin is not a terminal).")
        return EXIT_USAGE
    assert plan.record is not None
    back = f" and put back the {plan.to_restore} it removed" if plan.to_restore else ""
    question = (
        f"Remove the {plan.count} photo(s) that rule '{plan.rule.name}' added on "
        f"{plan.record.time[:19]} from {album}{back}?"
    )
    if input(f"{question} [y/N] ").strip().lower() in ("y", "yes"):
        return None
    say(None, "Nothing was changed.")
    return EXIT_OK
