"""The sync engine: preview a rule (search + album + plan), apply a plan in journaled chunks,
run a whole cycle over the rules, undo a rule's last apply. The TUI and `sync` both use it.

Safety: a rule whose search or album read fails raises before any write (a failed fetch is never
taken for an empty one); one rule's failure is recorded in its report and the others go on;
every confirmed chunk is in the journal before the apply reports it; a stop event is honoured
between chunks. Mirror mode removes only after the adds succeeded, only what this rule added,
and in unattended cycles not more than the bound (planner.removal_held) unless allowed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TypeVar

from ppl2album_tui.errors import UserError
from ppl2album_tui.immich.client import Hint, cancel_and_wait
from ppl2album_tui.immich.errors import ImmichError, MissingPermission, NotFound, Unauthorized
from ppl2album_tui.immich.models import Album, BulkResult
from ppl2album_tui.sync import filtercount
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.applier import ApplyResult, ProgressFn, send_chunks
from ppl2album_tui.sync.dates import has_window
from ppl2album_tui.sync.journal import ApplyRecord, Journal
from ppl2album_tui.sync.matcher import Counts, Matched, fetch_matches
from ppl2album_tui.sync.names import resolve_names
from ppl2album_tui.sync.paths import STATE_FILE, WATERMARK_FILE
from ppl2album_tui.sync.planner import (
    Plan,
    held_sentence,
    make_plan,
    removal_held,
    rule_warnings,
)
from ppl2album_tui.sync.report import CycleReport, Problem, RuleReport
from ppl2album_tui.sync.rules import Rule, RuleError
from ppl2album_tui.sync.selection import select_rules
from ppl2album_tui.sync.settings import Config
from ppl2album_tui.sync.sharing import Access, bring_in_step, noted, plan_access
from ppl2album_tui.sync.state import Signals, SyncState, rule_fingerprint
from ppl2album_tui.sync.tick import TickKind, baseline, kind_of_tick
from ppl2album_tui.sync.watermark import Watermarks, delta_query, newest, plan_delta
from ppl2album_tui.sync.yearly import (
    YearAlbum,
    album_reports,
    apply_years,
    is_yearly,
    plan_years,
    read_years,
)

SAMPLE_NAMES = 10
log = logging.getLogger(__name__)
A = TypeVar("A")
B = TypeVar("B")


class _Unset:
    """Marker type: "argument not given" (None is a meaningful album)."""


UNSET = _Unset()


@dataclass
class RulePreview:
    """What applying `rule` would do now. `album` is None when it is to be created by name."""

    rule: Rule
    album: Album | None
    plan: Plan
    matched: Matched
    album_ids: set[str] = field(default_factory=set)
    retry_denied: bool = False  # True: ids refused before (no permission) are sent again
    access: Access = field(default_factory=Access)  # who gets access (sharing.py)
    # False: a first sync did not read the album (see SyncEngine._plan_full); what it had
    # already comes back as the adds' "duplicate" answers
    album_read: bool = True
    years: list[YearAlbum] = field(default_factory=list)  # one album per year (yearly.py)

    @property
    def album_label(self) -> str:
        return self.album.name if self.album else self.rule.album_label


@dataclass
class Planned:
    """A tick, planned: its kind, the album as read, the preview to apply (None when
    unchanged), the signals read (stored once the apply succeeded), the people's counts, and
    for a signals tick the stored baseline and, for a delta, the watermark to keep after it."""

    kind: TickKind
    album: Album | None
    preview: RulePreview | None
    signals: Signals | None
    counts: Mapping[str, int] | None
    stored: Signals | None = None
    mark: datetime | None = None


@dataclass
class UndoPlan:
    """What an undo of `rule` takes out: `record`'s undoable photos (None: an interrupted undo
    had finished on the server, `settled` photos, and nothing more is taken)."""

    rule: Rule
    record: ApplyRecord | None
    settled: int = 0
    restored: int = 0  # after `undo`: photos put back that the apply's mirror mode removed
    unknown: int = 0  # photos a killed first sync sent unread that the undo leaves (see _settle)
    more: list[UndoPlan] = field(default_factory=list)  # the same apply's other albums (yearly)

    @property
    def count(self) -> int:
        own = len(self.record.undoable) if self.record else self.settled
        return own + sum(m.count for m in self.more)

    @property
    def to_restore(self) -> int:
        """Photos the apply's mirror mode removed that the undo puts back."""
        own = len(self.record.restorable) if self.record else 0
        return own + sum(m.to_restore for m in self.more)


class SyncEngine:
    """One engine per client/config/journal; methods are safe to call one at a time."""

    def __init__(
        self,
        client: ImmichApi,
        config: Config,
        journal: Journal,
        state: SyncState | None = None,
    ) -> None:
        self.client = client
        self.config = config
        self.journal = journal
        self.state = state or SyncState(journal.path.parent / STATE_FILE)
        self.watermarks = Watermarks(journal.path.parent / WATERMARK_FILE)
        self._album_ids: dict[str, set[str]] | None = None  # per-cycle cache
        # runs each rule of a cycle instead of `run_rule` (accounts.py: rules over accounts)
        self.rule_runner: Callable[..., Awaitable[RuleReport]] | None = None

    # ---- albums --------------------------------------------------------------------------
    async def resolve_album(self, rule: Rule) -> Album | None:
        """The rule's album: by id, else by exact name (None: not there yet, made on apply;
        or one album per year, yearly.py)."""
        if is_yearly(rule):
            return None
        if rule.album_id:
            return await self.client.album(rule.album_id)
        name = rule.album_name or ""
        found = [a for a in await self.client.albums() if a.name == name]
        if len(found) > 1:
            ids = " and ".join(a.id for a in found)
            raise RuleError(
                f"{len(found)} albums are named {name!r} ({ids}); set album_id to choose one.",
                rule=rule.name,
            )
        return found[0] if found else None

    def _start_album_read(
        self, rule: Rule, resolving: asyncio.Future[Album | None]
    ) -> asyncio.Future[set[str]] | None:
        """The album's ids, read by id before the album itself (its asset count, the paging
        hint) has arrived: page 1 goes out at once."""
        if not rule.album_id:
            return None

        async def asset_count() -> int | None:
            album = await asyncio.shield(resolving)
            return album.asset_count if album else None

        return asyncio.ensure_future(self._album_asset_ids(rule.album_id, asset_count))

    async def _album_asset_ids(self, album_id: str, expected: Hint = None) -> set[str]:
        if self._album_ids is not None and album_id in self._album_ids:
            return set(self._album_ids[album_id])
        ids = await self.client.album_asset_ids(album_id, expected)
        if self._album_ids is not None:
            self._album_ids[album_id] = set(ids)
        return ids

    # ---- preview / apply -----------------------------------------------------------------
    async def preview(
        self,
        rule: Rule,
        album: Album | _Unset | None = UNSET,
        counts: Counts = None,
        retry_denied: bool = False,
        matches: Awaitable[Matched] | None = None,
        listing: Awaitable[set[str]] | None = None,
    ) -> RulePreview:
        """Search, read the album and plan; writes nothing. Raises ImmichError / RuleError.

        `album`: the rule's album when the caller resolved it already. `counts`: person id →
        statistics count, paging hints (the album's assetCount is one too). `matches` and
        `listing`: the rule's searches and the album's ids when the caller started them
        already. Photos the server refused for this album before (no permission) are filtered
        unless `retry_denied`.
        """
        if matches is None:  # the app's preview: people given by name only are looked up
            rule, _ = await resolve_names(self.client, rule)
        if isinstance(album, _Unset):
            album = await self.resolve_album(rule)
        searching = matches or fetch_matches(self.client, rule, counts)
        if is_yearly(rule):
            matched = await searching
            years = await read_years(self.client, self.journal, rule, matched,
                                     self._album_asset_ids)  # fmt: skip
            return self.replan(RulePreview(rule, None, Plan(), matched, retry_denied=retry_denied,
                                           years=years))  # fmt: skip
        album_ids: set[str] = set()
        if album is None:
            matched = await searching
        else:  # the album's pages and the people's searches go out side by side
            album_ids, matched = await _both(
                listing or self._album_asset_ids(album.id, album.asset_count or None), searching
            )
        access = await plan_access(self.client, self.journal, rule, album)
        preview = RulePreview(rule, album, Plan(), matched, album_ids, retry_denied, access)
        return self.replan(preview)

    def replan(self, preview: RulePreview) -> RulePreview:
        """The same preview planned again without a request: after vetoes (`never_add`) or
        cleared tombstones changed what the rule should add."""
        album, rule, matched = preview.album, preview.rule, preview.matched
        if is_yearly(rule):  # each year's album planned as a rule of its own

            def plan_part(year: YearAlbum, matches: Matched) -> Plan:
                part = RulePreview(year.rule, year.album, Plan(), matches, year.album_ids,
                                   retry_denied=preview.retry_denied)  # fmt: skip
                return self.replan(part).plan

            plan = plan_years(rule, matched, preview.years, plan_part, self._mine)
            return replace(preview, plan=plan)
        previously = self._previously_added(album.id) if album else set()
        denied = self.journal.denied(album.id) if album and not preview.retry_denied else set()
        mine = self._mine(rule, album.id) & preview.album_ids if album else set()
        plan = make_plan(rule, matched.assets, preview.album_ids, previously, matched.excluded,
                         denied, mine, matched.directory, matched.born)  # fmt: skip
        return replace(preview, plan=plan)

    def _mine(self, rule: Rule, album_id: str) -> set[str]:
        """What mirror mode may take out: the photos the rule added, minus those of an undo
        whose answer was lost (settled on apply). Those of a lost remove stay: the ones still
        in the album as read are sent again."""
        if not rule.remove_unmatched:
            return set()
        lost = self.journal.unresolved_undo(album_id).values()
        return self.journal.added_ids(rule, album_id).difference(*(ids for _, ids in lost))

    def _previously_added(self, album_id: str) -> set[str]:
        """What the planner takes as added by this tool: the journal's record minus the ids of
        an undo whose answer was lost (gone or not, they were not removed by hand)."""
        undoing = [*self.journal.unresolved_undo(album_id).values(),
                   *self.journal.unresolved_remove(album_id).values()]  # fmt: skip
        return self.journal.previously_added(album_id).difference(*(ids for _, ids in undoing))

    async def _person_counts(self, rule: Rule) -> Mapping[str, int] | None:
        """The statistics count of each person of the rule (one request each): the change
        signals and paging hints. None when the key may not read statistics (then every tick is
        a full reconcile), when a person is gone (merged or deleted: the full reconcile's search
        then names them), or when they could not be read for another reason (a 5xx, a timeout,
        a bad answer: they are only hints, so the tick falls back to a full reconcile). A 401
        is raised: it would fail the full path too."""
        people = list(dict.fromkeys(p.id for p in [*rule.people, *rule.exclude]))
        try:
            counts = await asyncio.gather(*(self.client.person_statistics(p) for p in people))
        except Unauthorized:
            raise
        except ImmichError as err:
            if not isinstance(err, MissingPermission | NotFound):
                log.info("Rule '%s': change hints unreadable (%s); full reconcile", rule.name, err)
            return None
        return dict(zip(people, counts, strict=True))

    def _signals(
        self, rule: Rule, album: Album | None, counts: Mapping[str, int] | None
    ) -> Signals | None:
        """The rule's change signals, from the album as read and its people's counts."""
        if album is None or counts is None:
            return None
        return Signals(
            fingerprint=rule_fingerprint(rule),
            album_id=album.id,
            album_count=album.asset_count,
            person_counts=dict(counts),
            journal_added=len(self.journal.previously_added(album.id)),
        )

    def _settle(self, rule: Rule, album_id: str, album_ids: set[str]) -> tuple[int, int]:
        """Settle adds and undos a run sent without recording the answer (killed, timed out),
        against the album as just read. Returns how many photos settled undos took out, and
        how many of a first sync's unread chunks are in the album: those may have been there
        before, so they are settled as unknown (never undone), not as added."""
        unread, unknown = self.journal.unresolved_unread(album_id), 0
        for apply_id, (rule_name, ids) in self.journal.unresolved(album_id).items():
            added = sorted((ids - unread) & album_ids)
            there = sorted(ids & unread & album_ids)
            unknown += len(there)
            self.journal.record_apply(
                apply_id, rule_name, album_id, added=added, failed=sorted(ids - album_ids),
                unknown=there, error="settled after an interrupted run")  # fmt: skip
        for apply_id, (rule_name, ids) in self.journal.unresolved_remove(album_id).items():
            self.journal.record_remove(
                apply_id, rule_name, album_id, sorted(ids - album_ids),
                kept=sorted(ids & album_ids),
                error="settled after a remove whose answer was lost")  # fmt: skip
        undone = 0
        for apply_id, (rule_name, ids) in self.journal.unresolved_undo(album_id).items():
            gone = sorted(ids - album_ids)
            undone += len(gone)
            self.journal.record_undo(
                apply_id, rule_name, album_id, gone, kept=sorted(ids & album_ids),
                error="settled after an undo whose answer was lost")  # fmt: skip
        return undone, unknown

    async def apply(
        self,
        preview: RulePreview,
        *,
        on_progress: ProgressFn | None = None,
        stop: asyncio.Event | None = None,
        remove: bool = False,
        apply_id: str | None = None,
    ) -> ApplyResult:
        """Add `preview.plan.to_add` to the album in chunks, journaling each confirmed chunk,
        then (when every add went through) take `preview.plan.to_remove` out likewise.

        Creates the album first when the rule names one that does not exist yet, and settles
        chunks an interrupted run left unanswered. Up to `ADD_WINDOW` chunks are in flight (see
        applier.py). A failing chunk ends this apply with its error sentence in `.errors`
        (nothing else is raised for server errors). `remove`: also take `to_remove` out, all
        of it (the caller applied the removal bound, or showed the removals and was told yes);
        without it nothing is removed. `apply_id`: the journal's id for this apply (default: a
        new one). A rule with one album per year applies each album in turn (yearly.py).
        """
        if is_yearly(preview.rule):  # each year's album applied as a rule of its own

            async def apply_part(
                year: YearAlbum, plan: Plan, progress: ProgressFn, part_id: str
            ) -> ApplyResult:
                part = RulePreview(year.rule, year.album, plan, Matched(), year.album_ids,
                                   retry_denied=preview.retry_denied)  # fmt: skip
                return await self.apply(part, on_progress=progress, stop=stop,
                                        remove=remove, apply_id=part_id)  # fmt: skip

            return await apply_years(preview.plan, preview.years, apply_part,
                                     self.journal.new_apply_id(), on_progress=on_progress,
                                     stop=stop, remove=remove)  # fmt: skip
        rule, result = preview.rule, ApplyResult(album=preview.album)
        ids = [a.id for a in preview.plan.to_add]
        album, access = preview.album, preview.access
        try:
            if album is None and (made := self._album_made_since(rule)):
                album = result.album = await self.client.album(made)  # not a second one
            if album is None:
                if not ids:
                    return result
                name = rule.album_name or rule.name
                album = await self.client.create_album(name, access.roles())
                rule.album_id = album.id  # remembered for this run (and saved if the TUI saves)
                result.album = album
            elif preview.album_read:  # unread: the journal has no record of the album to settle
                self._settle(rule, album.id, preview.album_ids)
        except ImmichError as err:
            result.problems.append(Problem.of(rule.name, err))
            return result
        apply_id = apply_id or self.journal.new_apply_id()
        await send_chunks(
            self.client, self.journal, rule.name, album, ids, self.config.sync.chunk_size,
            result=result, album_cache=self._album_ids,
            on_progress=on_progress, stop=stop, apply_id=apply_id,
            unread=not preview.album_read and bool(album.asset_count),
        )  # fmt: skip
        gone = [a.id for a, _ in preview.plan.to_remove]
        if remove and gone and not result.problems and not result.stopped:
            await self._remove(rule, album, gone, apply_id, result)
        if not result.stopped:
            created = result.album is not preview.album
            access = await bring_in_step(self.client, self.journal, rule, album, access,
                                         created=created)  # fmt: skip
            result.problems += [Problem(rule.name, text) for text in access.problems]
        result.access = access
        return result

    def _album_made_since(self, rule: Rule) -> str:
        """The id of the album a run created for `rule` after its preview was made ('')."""
        same = (r for r in self.config.rules if r.name == rule.name)
        return rule.album_id or next((r.album_id for r in same if r.album_id), "")

    async def _remove(
        self, rule: Rule, album: Album, ids: list[str], apply_id: str, result: ApplyResult
    ) -> None:
        """Mirror mode: take `ids` out of `album`, journaled as pending first, then chunk by
        chunk; a failure is the rule's problem (the rest is settled next time)."""

        def on_chunk(answers: list[BulkResult]) -> None:
            out, kept = _gone_and_kept(answers)
            self.journal.record_remove(apply_id, rule.name, album.id, out, kept)
            result.removed += sum(1 for r in answers if r.success)
            if self._album_ids is not None and album.id in self._album_ids:
                self._album_ids[album.id].difference_update(out)

        self.journal.record_removing(apply_id, rule.name, album.id, ids)
        try:
            await self.client.remove_from_album(
                album.id, ids, max(1, self.config.sync.chunk_size), on_chunk
            )
        except ImmichError as err:
            result.problems.append(Problem.of(rule.name, err))

    # ---- cycles --------------------------------------------------------------------------
    async def run_rule(
        self,
        rule: Rule,
        *,
        dry_run: bool = False,
        on_progress: ProgressFn | None = None,
        stop: asyncio.Event | None = None,
        incremental: bool = False,
        allow_removals: bool = False,
    ) -> RuleReport:
        """Preview and (unless `dry_run`) apply one rule; errors end up in the report.

        `allow_removals`: apply a mirror-mode removal beyond the bound (planner.removal_held);
        without it such a removal is held back, with a notice saying so.

        `incremental`: first compare the change signals with those of the last full reconcile
        (people + 1 requests); when nothing moved and it is recent enough, stop there and report
        the last counts with `unchanged` set; when only new uploads moved them, add just those
        (tick.py, watermark.py). Every successful apply, incremental or forced, stores the
        signals it read as the baseline of the next tick.
        """
        report = RuleReport(rule=rule.name, album=rule.album_label, album_id=rule.album_id)
        if not rule.enabled:
            report.fail("it is disabled in the config.")
            return report
        try:  # people given by name only are looked up every tick (and warned about)
            rule, found = await resolve_names(self.client, rule)
        except UserError as err:
            report.fail(err)
            return report
        report.notices = [Problem.of(rule.name, warning) for warning in found]
        # date windows and year albums: signals of one album and people cannot tell them apart
        watched = incremental and not dry_run and not (has_window(rule) or is_yearly(rule))
        stored = self.state.get(rule) if watched else None
        hours = self.config.sync.full_reconcile_hours
        base = baseline(stored, incremental=incremental, dry_run=dry_run,
                        full_reconcile_hours=hours)  # fmt: skip
        try:
            if base is not None:
                planned = await self._plan_from_signals(rule, base)
            else:
                planned = await self._plan_full(rule, watch=not dry_run, retry=not incremental)
        except UserError as err:
            report.fail(err)
            return report
        if planned.kind == "unchanged":  # the last full run's counts
            assert planned.stored is not None
            report.album_id, report.unchanged = planned.stored.album_id, True
            if planned.album is not None:
                report.album = planned.album.name
            for key, value in planned.stored.counts.items():
                setattr(report, key, value)
            _report_access(report, noted(self.journal, self.client.server, rule, report.album_id))
            return report
        return await self._apply_and_report(
            planned, report, dry_run=dry_run, on_progress=on_progress, stop=stop,
            allow_removals=allow_removals,
        )  # fmt: skip

    async def _plan_from_signals(self, rule: Rule, stored: Signals) -> Planned:
        """Read the change signals, decide the kind of tick (tick.py), and plan it."""
        # 3.2+: one request, no album read
        if await filtercount.unchanged(self.client, self.journal, rule, stored):
            return Planned("unchanged", None, None, None, None, stored)
        album, counts = await _both(self.resolve_album(rule), self._person_counts(rule))
        signals = self._signals(rule, album, counts)
        mark, unsettled = None, False
        if album is not None and signals is not None:
            mark = self.watermarks.get(rule, signals.fingerprint, album.id)
            unsettled = bool(self.journal.unresolved(album.id) or
                             self.journal.unresolved_undo(album.id))  # fmt: skip
        kind = kind_of_tick(stored, signals, mark=mark, unsettled=unsettled)
        if kind == "unchanged":
            return Planned("unchanged", album, None, signals, counts, stored)
        if kind == "delta":
            assert album is not None and signals is not None and mark is not None
            found = await self.client.search_assets(delta_query(rule, mark))
            delta = plan_delta(rule, stored, signals, found, mark,
                               self.journal.previously_added(album.id),
                               self.journal.denied(album.id))  # fmt: skip
            if delta is not None:
                plan, matched = delta
                access = await plan_access(self.client, self.journal, rule, album)
                preview = RulePreview(rule, album, plan, matched, access=access)  # album unread
                mark = newest(found, mark)
                return Planned("delta", album, preview, signals, counts, stored, mark)
        preview = await self.preview(rule, album, counts)  # a full reconcile after all
        return Planned("full", album, preview, signals, counts)

    async def _plan_full(self, rule: Rule, *, watch: bool, retry: bool) -> Planned:
        """A full reconcile for sure: everything it reads goes out at once. `watch`: read the
        change signals too (an apply stores them); `retry`: send ids refused before again.

        A first sync (an apply, and the journal has no record of the album) does not read the
        album: nothing in it can be this tool's, so the album is needed neither for tombstones
        nor for mirror mode; every match is sent and the server answers ``duplicate`` for what
        it has. Its chunks are journaled as unread, so a killed run's unanswered chunk is never
        undone for photos that may have been there before (`_settle`)."""
        first = watch and not (rule.album_id and self.journal.knows(rule.album_id))
        reading = asyncio.ensure_future(self._person_counts(rule)) if watch else None
        matches = asyncio.ensure_future(fetch_matches(self.client, rule, reading))
        resolving = asyncio.ensure_future(self.resolve_album(rule))
        listing = None if first else self._start_album_read(rule, resolving)
        in_flight = [f for f in (reading, matches, resolving, listing) if f is not None]
        try:
            album = await resolving
            counts = await reading if reading else None
            signals = self._signals(rule, album, counts)
            unread = first and album is not None and not self.journal.knows(album.id)
            preview = await self.preview(rule, album, reading, retry, matches,
                                         _nothing() if unread else listing)  # fmt: skip
            if unread:
                preview = replace(preview, album_read=False)
        finally:
            await cancel_and_wait(in_flight)
        return Planned("full", album, preview, signals, counts)

    async def _apply_and_report(
        self,
        planned: Planned,
        report: RuleReport,
        *,
        dry_run: bool,
        on_progress: ProgressFn | None,
        stop: asyncio.Event | None,
        allow_removals: bool = False,
    ) -> RuleReport:
        """The one place a tick's plan is reported, applied and remembered as the baseline."""
        preview = planned.preview
        assert preview is not None
        rule, delta = preview.rule, planned.kind == "delta"
        report.album = preview.album_label
        report.album_id = preview.album.id if preview.album else None
        for key, value in preview.plan.counts().items():
            setattr(report, key, value)
        if rule.approve_new and preview.plan.to_add:  # they wait for approval in the app
            report.waiting, report.to_add = len(preview.plan.to_add), 0
            preview = replace(preview, plan=replace(preview.plan, to_add=[]))
        report.sample = [a.original_file_name for a in preview.plan.to_add[:SAMPLE_NAMES]]
        report.notices += [Problem.of(rule.name, note) for note in preview.matched.notes]
        if not delta:  # a delta holds only the new uploads: no sentence about all photos
            report.notices += rule_warnings(rule, preview.matched.assets)
        size = len(preview.album_ids) + sum(len(y.album_ids) for y in preview.years)
        if not allow_removals and removal_held(preview.plan, size):
            report.notices.append(Problem(rule.name, held_sentence(preview.plan, size)))
            report.held = len(preview.plan.to_remove)
            preview = replace(preview, plan=replace(preview.plan, to_remove=[]))
        report.albums = album_reports(preview.plan, preview.years)
        if dry_run:
            report.problems += [Problem(rule.name, text) for text in preview.access.problems]
            _report_access(report, preview.access)
            return report
        result = await self.apply(preview, on_progress=on_progress, stop=stop, remove=True)
        report.added, report.failed = result.added, result.failed
        if delta or not preview.album_read:  # unread: the album had them already
            report.already += result.duplicates
            report.to_add = max(0, report.to_add - result.duplicates)
        else:
            report.duplicates = result.duplicates
        report.problems.extend(result.problems)
        report.stopped = result.stopped
        if result.album is not None:
            report.album, report.album_id = result.album.name, result.album.id
        report.removed = result.removed
        if result.access is not None:
            _report_access(report, result.access)
        report.albums = album_reports(preview.plan, preview.years)
        if report.ok and not report.stopped and not report.held:
            await self._remember(planned, result, report)
        return report

    async def _remember(self, planned: Planned, result: ApplyResult, report: RuleReport) -> None:
        """After a successful apply: store the signals as the album now is, and the watermark."""
        assert planned.preview is not None
        rule, signals = planned.preview.rule, planned.signals
        if signals is None and planned.counts is not None and result.album is not None:
            signals = self._signals(rule, result.album, planned.counts)  # the album just made
        if signals is None:
            return
        signals.album_count += result.added - result.removed
        signals.journal_added = len(self.journal.previously_added(signals.album_id))
        if planned.kind == "delta":
            assert planned.stored is not None
            counts = dict(planned.stored.counts)  # the totals a later unchanged tick reports
            for key in ("matched", "already"):
                counts[key] = counts.get(key, 0) + result.added
            signals.full_at, signals.counts = planned.stored.full_at, counts
            mark = planned.mark
        else:
            counts = {k: getattr(report, k) for k in (*Plan().counts(), "waiting")}
            counts["already"] += report.added + report.duplicates
            counts["to_add"] = counts["to_remove"] = 0
            signals.full_at, signals.counts = _now(), counts
            mark = newest(planned.preview.matched.assets)
        self.state.put(rule, signals)
        self.watermarks.put(rule, signals.fingerprint, signals.album_id, mark)
        if planned.kind == "full":
            await filtercount.remember(self.client, self.state, rule, signals)

    async def run_cycle(
        self,
        *,
        dry_run: bool = False,
        rule_names: Sequence[str] | None = None,
        on_report: Callable[[RuleReport], None] | None = None,
        on_progress: Callable[[str, int, int], None] | None = None,
        stop: asyncio.Event | None = None,
        incremental: bool = False,
        allow_removals: bool = False,
    ) -> CycleReport:
        """Run the selected rules one after another; a failing rule does not stop the others.

        `incremental`: skip rules whose change signals did not move (see `run_rule`);
        `allow_removals`: see `run_rule` (unattended cycles hold big removals back).
        `on_report` gets each rule's report as soon as it is done.
        """
        cycle = CycleReport(started=_now(), dry_run=dry_run)
        self._album_ids = {}
        try:
            for rule in select_rules(self.config, rule_names).apply:
                if stop is not None and stop.is_set():
                    cycle.stopped = True
                    break

                def progress(done: int, total: int, name: str = rule.name) -> None:
                    if on_progress:
                        on_progress(name, done, total)

                report = await (self.rule_runner or self.run_rule)(
                    rule, dry_run=dry_run, on_progress=progress, stop=stop,
                    incremental=incremental, allow_removals=allow_removals,
                )  # fmt: skip
                cycle.rules.append(report)
                cycle.stopped = cycle.stopped or report.stopped
                if on_report:
                    on_report(report)
        finally:
            self._album_ids = None
        cycle.finished = _now()
        return cycle

    # ---- undo ----------------------------------------------------------------------------
    async def plan_undo(self, rule: Rule) -> UndoPlan:
        """What undoing the rule's last apply takes out; RuleError when there is nothing.

        Chunks a killed run sent without recording the answer are first settled against the
        album (one read of it), so the undo takes those photos out too; an earlier undo whose
        answer was lost is settled the same way, and when the server had in fact finished it,
        that is the undo asked for (`record` is None: nothing more is taken). Call it, and
        `undo`, under the sync lock: the journal is read and settled here.
        """
        settled = unknown = 0
        unfinished: set[str] = set()
        albums = self.journal.albums_of(rule.name) | ({rule.album_id} if rule.album_id else set())
        for album_id in sorted(albums):
            pending = [*self.journal.unresolved(album_id).values(),
                       *self.journal.unresolved_remove(album_id).values()]  # fmt: skip
            undoing = self.journal.unresolved_undo(album_id)
            if any(name == rule.name for name, _ in [*pending, *undoing.values()]):
                unfinished |= {a for a, (name, _) in undoing.items() if name == rule.name}
                found = await self.client.album_asset_ids(album_id)
                undone, left = self._settle(rule, album_id, found)
                settled, unknown = settled + undone, unknown + left
        record = self.journal.last_apply(rule.name)
        if unfinished and (record is None or record.apply_id not in unfinished):
            return UndoPlan(rule, None, settled)  # the interrupted undo had finished
        if record is None:
            if unknown:
                text = f"Nothing to undo for rule '{rule.name}': {unread_sentence(unknown)}"
                raise RuleError(text, rule=rule.name)
            done = self.journal.applies(rule.name)
            if done:
                raise RuleError(
                    f"Nothing to undo for rule '{rule.name}': its last apply "
                    f"({done[-1].time[:19]}) was undone already.",
                    rule=rule.name,
                )
            raise RuleError(
                f"Nothing to undo for rule '{rule.name}': it has added no photos yet.",
                rule=rule.name,
            )
        group = record.apply_id.partition(".")[0]  # one apply over several albums (yearly.py)
        more = [UndoPlan(rule, r) for r in self.journal.applies(rule.name) if r is not record
                and r.to_undo and r.apply_id.partition(".")[0] == group]  # fmt: skip
        return UndoPlan(rule, record, settled, unknown=unknown, more=more)

    async def undo(self, plan: UndoPlan) -> int:
        """Take out what `plan` names and put back what its mirror mode removed (then
        `plan.restored`); returns how many photos left the album (already gone counts as
        undone). Each remove is journaled as pending before it is sent."""
        record, rule = plan.record, plan.rule
        if record is None:
            return plan.settled
        removed = 0
        for other in plan.more:
            removed += await self.undo(other)
            plan.restored += other.restored

        def on_chunk(answers: list[BulkResult]) -> None:  # journaled chunk by chunk
            nonlocal removed
            gone, kept = _gone_and_kept(answers)
            self.journal.record_undo(record.apply_id, rule.name, record.album_id, gone, kept)
            removed += sum(1 for r in answers if r.success)

        def on_restored(answers: list[BulkResult]) -> None:
            back = [r.id for r in answers if r.success or r.error == "duplicate"]
            self.journal.record_restore(record.apply_id, rule.name, record.album_id, back)
            plan.restored += sum(1 for r in answers if r.success)

        size = max(1, self.config.sync.chunk_size)
        ids = record.undoable
        if ids:
            self.journal.record_undo_pending(record.apply_id, rule.name, record.album_id, ids)
            await self.client.remove_from_album(record.album_id, ids, size, on_chunk)
        if record.restorable:
            await self.client.add_to_album(record.album_id, record.restorable, size, on_restored)
        return removed

    async def undo_last(self, rule: Rule) -> int:
        """Take out of the album exactly what the rule's last apply added; returns how many
        (`plan_undo`, then `undo`)."""
        return await self.undo(await self.plan_undo(rule))


def _report_access(report: RuleReport, access: Access) -> None:
    """Who has access to the rule's album and its shared link, as the report words them."""
    report.shared_with = [{"user": m.label, "role": m.role} for m in access.members]
    report.shared_link, report.link_to_make = access.link_url, access.make_link


def unread_sentence(unknown: int) -> str:
    """Why an undo leaves the photos of a killed first sync's unanswered chunk."""
    return (f"{unknown} photo(s) that its interrupted first sync sent without reading the "
            "album are in the album, but they cannot be told apart from photos that were "
            "there before, so they are left in it.")  # fmt: skip


async def _nothing() -> set[str]:
    """The album's ids when it is not read (a first sync)."""
    return set()


def _gone_and_kept(answers: list[BulkResult]) -> tuple[list[str], list[str]]:
    """A remove's answers: (ids out of the album, ``not_found`` ones too; ids still in it)."""
    gone = [r.id for r in answers if r.success or r.error == "not_found"]
    return gone, [r.id for r in answers if not (r.success or r.error == "not_found")]


async def _both(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """Await two things concurrently; the first failure cancels the other and is raised."""
    a = asyncio.ensure_future(first)
    b = asyncio.ensure_future(second)
    try:
        return await a, await b
    except BaseException:
        await cancel_and_wait((a, b))
        raise


def _unchanged(report: RuleReport, stored: Signals) -> RuleReport:
    """The report of a tick whose signals did not move: the last full run's counts."""
    report.album_id, report.unchanged = stored.album_id, True
    for key, value in stored.counts.items():
        setattr(report, key, value)
    return report


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
