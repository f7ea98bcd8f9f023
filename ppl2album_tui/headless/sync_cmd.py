"""`ppl2album-tui sync`: run the rules without the TUI, once or every interval.

Exit codes: 0 every rule ok; 1 some rule failed (or the server could not be used); 2 usage or
config error, or another sync already running for the same config. SIGINT, SIGTERM and SIGHUP
stop cleanly between chunks. `--dry-run` runs one cycle and writes nothing (no lock taken).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

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
from ppl2album_tui.headless.output import Output
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.config import ConfigError
from ppl2album_tui.sync.envfile import ENV_RULE_NAME, env_rule
from ppl2album_tui.sync.lock import SyncLock
from ppl2album_tui.sync.paths import RELINKED_FILE
from ppl2album_tui.sync.relinked import Relinked, ids_of
from ppl2album_tui.sync.report import CycleReport, RuleReport
from ppl2album_tui.sync.rules import RuleError
from ppl2album_tui.sync.selection import select_rules


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true", help="run one cycle, then exit")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan of each rule; change nothing"
    )
    parser.add_argument(
        "--rule", action="append", metavar="NAME", help="only this rule (repeatable)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON report per cycle")
    parser.add_argument(
        "--full",
        action="store_true",
        help="always reconcile fully (default: skip rules whose change signals did not move)",
    )
    parser.add_argument(
        "--allow-removals",
        action="store_true",
        help="mirror mode: remove more than 50 photos or 10%% of an album (default: held back)",
    )
    add_source_arguments(parser)


def run(args: argparse.Namespace) -> int:
    try:
        target = load_target(args)
    except ConfigError as err:
        say(None, str(err))
        return EXIT_USAGE
    out = Output(
        json_mode=args.json,
        dry_run=args.dry_run,
        timestamps=not (args.once or args.dry_run),
        secret=target.secrets,
    )
    for warning in target.warnings:
        out.warn(f"Warning: {warning}")
    lock = None if args.dry_run else SyncLock(target.lock_key)
    try:
        if lock is not None:
            lock.acquire()
        return asyncio.run(_main(args, target, out))
    except Exception as err:  # one sentence on stderr, never a traceback
        out.end_bar()
        return report_failure(err, target.secrets, out.err)
    finally:
        if lock is not None:
            lock.release()


def _install_signals(stop: asyncio.Event, out: Output) -> None:
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if not stop.is_set():
            out.warn("Stopping after the current chunk…")
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, on_signal)


async def _env_rules(client: ImmichApi, target: Target, out: Output, seen: set[str]) -> (
    RuleReport | None
):  # fmt: skip
    """Resolve the .env names to people (each cycle); a failing report when none is usable."""
    assert target.env is not None
    try:
        rule, warnings = env_rule(target.env, await client.people(with_hidden=True))
    except (ImmichError, RuleError) as err:
        target.config.rules = []
        report = RuleReport(rule=ENV_RULE_NAME, album_id=target.env.album_id)
        report.fail(err)
        return report
    for warning in warnings:
        if warning not in seen:
            seen.add(warning)
            out.warn(f"Warning: {warning}")
    target.config.rules = [rule]
    return None


async def _main(args: argparse.Namespace, target: Target, out: Output) -> int:
    stop = asyncio.Event()
    _install_signals(stop, out)
    seen: set[str] = set()
    async with accounts_for(target) as accounts:
        client, engine = accounts.engine.client, accounts.engine
        relinked = Relinked(engine.journal.path.parent / RELINKED_FILE)
        if target.env is None:  # a .env's people are found by name on every cycle
            relinked.apply(target.config.rules)
        if target.env is None:
            select_rules(target.config, args.rule)  # unknown --rule names: usage error first
        elif set(args.rule or ()) - {ENV_RULE_NAME}:
            raise RuleError(f"With a .env there is one rule, named '{ENV_RULE_NAME}'.")
        if not target.config.rules and target.env is None:
            out.warn(f"Warning: {target.source} has no rules; nothing to sync.")
        code = EXIT_OK
        while True:
            failed_env = await _env_rules(client, target, out, seen) if target.env else None
            if failed_env is not None:
                report = CycleReport(rules=[failed_env], dry_run=args.dry_run)
            else:
                before = ids_of(target.config.rules)
                report = await engine.run_cycle(
                    dry_run=args.dry_run,
                    rule_names=args.rule if target.env is None else None,
                    on_report=None if args.dry_run else out.event,
                    on_progress=out.progress,
                    stop=stop,
                    incremental=not args.full,
                    allow_removals=args.allow_removals,
                )
                if not args.dry_run and target.env is None:
                    relinked.learn(before, target.config.rules)
            out.report(report)
            code = EXIT_OK if report.ok else EXIT_FAILED
            if args.once or args.dry_run or stop.is_set():
                return code
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=target.config.sync.interval_seconds)
            if stop.is_set():
                return code
