"""One auto-sync cycle as the app runs it: engine calls, dashboard state, log lines and toasts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ppl2album_tui.sync.lock import LockBusy
from ppl2album_tui.sync.report import RuleReport
from ppl2album_tui.sync.selection import Selection, select_rules

if TYPE_CHECKING:
    from ppl2album_tui.tui.app import PplApp


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


async def cycle_and_report(app: PplApp, why: str) -> None:
    """One cycle (the engine's run_cycle) as the app runs it: apply the enabled auto-apply rules,
    only refresh the counts of the others, and report to the dashboard, the log and toasts."""
    state = app.sync_state
    selection = select_rules(app.config, previews=True)
    if not selection:
        state.log("Nothing to sync: no enabled rules.")
        return
    lock = app.sync_lock()  # the same lock as `ppl2album-tui sync`
    try:
        lock.acquire()
    except LockBusy as err:
        state.log(f"Sync skipped: {err} Trying again at the next tick.")
        return
    try:
        await _locked_cycle(app, why, selection)
    finally:
        lock.release()


async def _locked_cycle(app: PplApp, why: str, selection: Selection) -> None:
    state, engine = app.sync_state, app.engine
    if engine is None:
        return
    auto = [r.name for r in selection.apply]
    manual = [r.name for r in selection.preview]
    albums_before = {r.name: r.album_id for r in app.config.rules}
    reports: list[tuple[RuleReport, bool]] = []
    if auto:
        # timer ticks check the cheap change signals first (people + 1 requests when nothing
        # moved); "Sync now" and other on-demand cycles reconcile fully (issue 6)
        report = await engine.run_cycle(
            rule_names=auto, stop=app.stop_event, incremental=why == "timer"
        )
        reports += [(r, True) for r in report.rules]
    if manual:
        report = await engine.run_cycle(dry_run=True, rule_names=manual, stop=app.stop_event)
        reports += [(r, False) for r in report.rules]
    if any(albums_before.get(r.name) != r.album_id for r in app.config.rules):
        app.save_config()  # an album was created by name: remember its id
    now = app.clock()
    for rr, applied in reports:
        name = rr.rule
        status = state.status(name)
        status.last_run, status.undone = now, None
        status.errors = [p.text for p in rr.problems]  # the app names the rule itself
        pending = rr.to_add
        status.waiting = rr.waiting
        status.shared_link = rr.shared_link or status.shared_link
        if rr.waiting:
            state.log(f"{name}: {rr.waiting} waiting for approval (w on the Sync tab).")
        if applied:
            status.added = int(rr.added)
            status.pending = 0
            if rr.added:
                names = ", ".join(rr.sample[:3]) + (", …" if rr.added > 3 else "")
                state.log(f"{name}: +{_plural(int(rr.added), 'photo')} added ({names}).")
                app.notify(
                    f"{_plural(int(rr.added), 'photo')} added to “{album_of(app, name)}”.",
                    title=name,
                )
        else:
            status.added = 0
            status.pending = pending
            if pending:
                state.log(f"{name}: {pending} waiting for review (auto-apply off).")
        for err in status.errors:
            state.log(f"{name}: {err} Will retry at the next tick.")
            app.notify(err, title=f"{name}: sync error", severity="error")
    total = sum(rr.added for rr, applied in reports if applied)
    failed = sum(1 for rr, _ in reports if rr.errors)
    outcome = f"{_plural(total, 'photo')} added" if total else "nothing new"
    if failed:
        outcome += f", {_plural(failed, 'rule')} failed"
    state.log(f"Sync ({why}): {outcome}.")


def album_of(app: PplApp, rule_name: str) -> str:
    """The album name of rule `rule_name`."""
    rule = app.rule_by_name(rule_name)
    return app.album_name(rule) if rule else rule_name
