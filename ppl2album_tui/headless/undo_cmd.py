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
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    Target,
    accounts_for,
    add_source_arguments,
    load_target,
    report_failure,
    say,
)
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.accounts import UndoSet
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.config import ConfigError
from ppl2album_tui.sync.engine import UndoPlan, unread_sentence
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
        return report_failure(err, target.secrets)


async def _undo(target: Target, name: str, yes: bool) -> int:
    rule = next((r for r in target.config.rules if r.name == name), Rule(name, []))
    async with accounts_for(target) as accounts:
        undo = await accounts.plan_undo(rule)
        album = await _album_label(accounts.engine.client, undo, rule)
        if not yes and any(plan.record for _, plan in undo.plans):
            refused = _refused(rule, undo, album)
            if refused is not None:
                return refused
        restoring = undo.to_restore  # what the journal says before the undo
        removed = await accounts.undo(undo)
    restored = sum(plan.restored for _, plan in undo.plans)
    unknown = sum(plan.unknown for _, plan in undo.plans)
    back = f" and put back {restored} it had removed" if restoring else ""
    total = sum(removed.values())
    print(f"Removed {total} photo(s) from {album}{back} (rule '{name}').")
    if unknown:
        print(f"Left: {unread_sentence(unknown)}")
    if len(undo.plans) + len(undo.failed) > 1:
        for account, count in removed.items():
            print(f"  account {account}: removed {count} photo(s)")
    for sentence in undo.failed.values():
        say(None, f"Rule '{name}': {sentence}")
    return EXIT_FAILED if undo.failed else EXIT_OK


async def _album_label(client: ImmichApi, undo: UndoSet, rule: Rule) -> str:
    """ "album 'Kids'" as `sync` names it (by id when it cannot be read); "albums 'Kids 2019',
    'Kids 2020'" for an apply over one album per year."""
    plans = [p for _, plan in undo.plans for p in (plan, *plan.more)]
    names = sorted({await _album_name(client, p, rule) for p in plans} or {f"'{rule.album_label}'"})
    return f"album{'s' if len(names) > 1 else ''} {', '.join(names)}"


async def _album_name(client: ImmichApi, plan: UndoPlan, rule: Rule) -> str:
    album_id = plan.record.album_id if plan.record else rule.album_id
    if not album_id:
        return f"'{rule.album_label}'"
    try:
        return f"'{(await client.album(album_id)).name}'"
    except ImmichError:
        return album_id


def _refused(rule: Rule, undo: UndoSet, album: str) -> int | None:
    """Ask on the terminal: None for yes, else the exit code (with a sentence saying why)."""
    if not sys.stdin.isatty():
        say(None, "Not undoing without confirmation: pass --yes (stdin is not a terminal).")
        return EXIT_USAGE
    times = [plan.record.time[:19] for _, plan in undo.plans if plan.record]
    back = f" and put back the {undo.to_restore} it removed" if undo.to_restore else ""
    accounts = f" by {len(undo.plans)} accounts" if len(undo.plans) > 1 else ""
    question = (
        f"Remove the {undo.count} photo(s) that rule '{rule.name}' added{accounts} on "
        f"{max(times)} from {album}{back}?"
    )
    if input(f"{question} [y/N] ").strip().lower() in ("y", "yes"):
        return None
    say(None, "Nothing was changed.")
    return EXIT_OK
