"""The upload watermark: when a tick's change signals moved only because photos were uploaded,
add just those instead of reconciling the whole rule.

After every full reconcile the newest ``updatedAt`` among the rule's matches is kept (the server's
clock, so no clock skew) in ``sync-watermarks.json`` beside the journal. On a tick whose signals
moved, if the rule, the album's asset count and the journal are as they were and no person's
count went down, one search ``updatedAfter=<watermark>`` (with people, no EXIF) finds what was
uploaded or edited since. Each person's count must have grown by exactly the number of new
timeline photos (``createdAt`` after the watermark) showing them in that search; then the rule's
matches among those photos are added (tombstones and vetoes respected, ``duplicate`` answers
counted as already there) and the signals and watermark move on. Anything else — a face assigned
late to an *old* photo (face recognition does not touch ``updatedAt``), a photo trashed, a hand
edit of the album — does not add up, and the tick falls back to the full reconcile. The full
reconcile also still runs every ``full_reconcile_hours``.

A tick after 50 new photos then costs people + 3 requests (statistics, album, one search page,
one add) instead of every page of every person and of the album.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ppl2album_tui.immich.models import Album, Asset, AssetQuery, Visibility, parse_datetime
from ppl2album_tui.sync.applier import ADD_WINDOW
from ppl2album_tui.sync.fsutil import read_json_object, write_json_private
from ppl2album_tui.sync.matcher import Matched
from ppl2album_tui.sync.paths import WATERMARK_FILE
from ppl2album_tui.sync.planner import make_plan
from ppl2album_tui.sync.report import RuleReport
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.sync.state import Signals

if TYPE_CHECKING:
    from ppl2album_tui.sync.engine import RulePreview, SyncEngine

SAMPLE_NAMES = 10


class Watermarks:
    """rule name → {fingerprint, album, watermark}; unreadable means none (a full reconcile)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, rule: Rule, fingerprint: str, album_id: str) -> datetime | None:
        """The rule's watermark, when it was taken with these settings and album."""
        raw = read_json_object(self.path).get(rule.name)
        if not isinstance(raw, dict) or raw.get("fingerprint") != fingerprint:
            return None
        if raw.get("album") != album_id:
            return None
        return parse_datetime(raw.get("watermark"))

    def put(self, rule: Rule, fingerprint: str, album_id: str, mark: datetime | None) -> None:
        data = read_json_object(self.path)
        if mark is None:
            if data.pop(rule.name, None) is None:
                return
        else:
            data[rule.name] = {"fingerprint": fingerprint, "album": album_id,
                               "watermark": mark.isoformat()}  # fmt: skip
        write_json_private(self.path, data)


def watermarks(engine: SyncEngine) -> Watermarks:
    return Watermarks(engine.journal.path.parent / WATERMARK_FILE)


def newest(assets: Iterable[Asset], start: datetime | None = None) -> datetime | None:
    """The latest ``updatedAt`` among `assets` (or `start` when later)."""
    mark = start
    for a in assets:
        if a.updated_at is not None and (mark is None or a.updated_at > mark):
            mark = a.updated_at
    return mark


def remember(engine: SyncEngine, rule: Rule, signals: Signals, preview: RulePreview) -> None:
    """After a successful full reconcile: keep the newest ``updatedAt`` of its matches."""
    mark = newest(preview.matched.assets)
    watermarks(engine).put(rule, signals.fingerprint, signals.album_id, mark)


def _explained(stored: Signals, now: Signals, found: list[Asset], mark: datetime) -> bool:
    """True when every person's count grew by exactly their new timeline photos in `found`."""
    for person, count in now.person_counts.items():
        new = sum(
            1
            for a in found
            if person in a.people
            and a.visibility == "timeline"
            and not a.is_trashed
            and a.created_at is not None
            and a.created_at > mark
        )
        if count - stored.person_counts.get(person, -1) != new:
            return False
    return True


def _matches(rule: Rule, found: list[Asset]) -> Matched:
    """The rule's people matches among `found` (assets searched with their people)."""
    want = list(dict.fromkeys(p.id for p in rule.people))
    excluded = {p.id: p.label for p in rule.exclude}
    out = Matched()
    for a in found:
        present = [p in a.people for p in want]
        if all(present) if rule.match == "all" else any(present):
            out.assets.append(a)
            for pid, label in excluded.items():
                if pid in a.people:
                    out.excluded.setdefault(a.id, label)
    return out


async def try_delta(
    engine: SyncEngine,
    rule: Rule,
    album: Album,
    stored: Signals,
    now: Signals,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    stop: asyncio.Event | None = None,
) -> RuleReport | None:
    """Add just the photos uploaded since the watermark when they explain the moved signals;
    None when they do not (the caller then reconciles fully)."""
    from ppl2album_tui.sync.engine import RulePreview

    same = (stored.fingerprint, stored.album_id, stored.album_count, stored.journal_added)
    if same != (now.fingerprint, now.album_id, now.album_count, now.journal_added):
        return None
    if set(stored.person_counts) != set(now.person_counts):
        return None
    if any(now.person_counts[p] < c for p, c in stored.person_counts.items()):
        return None
    marks = watermarks(engine)
    mark = marks.get(rule, now.fingerprint, album.id)
    journal = engine.journal
    if mark is None or journal.unresolved(album.id) or journal.unresolved_undo(album.id):
        return None
    visibility: Visibility | None = None if rule.include_archived else "timeline"
    query = AssetQuery(visibility=visibility, updated_after=mark, with_people=True)
    found = await engine.client.search_assets(query)
    if not _explained(stored, now, found, mark):
        return None
    matched = _matches(rule, found)
    previously = engine.journal.previously_added(album.id)
    denied = engine.journal.denied(album.id)
    plan = make_plan(rule, matched.assets, set(), previously, matched.excluded, denied)
    preview = RulePreview(rule, album, plan, matched, set())  # the album is not read
    report = RuleReport(rule=rule.name, album=album.name, album_id=album.id)
    for key, value in plan.counts().items():
        setattr(report, key, value)
    report.sample = [a.original_file_name for a in plan.to_add[:SAMPLE_NAMES]]
    result = await engine.apply(preview, on_progress=on_progress, stop=stop, window=ADD_WINDOW)
    report.added, report.failed = result.added, result.failed
    # unread, the album had them already: a hand edit racing the tick
    report.already += result.duplicates
    report.to_add = max(0, report.to_add - result.duplicates)
    report.errors.extend(result.errors)
    report.stopped = result.stopped
    if report.ok and not report.stopped:
        counts = dict(stored.counts)  # the rule's totals as a later unchanged tick reports them
        for key in ("matched", "already"):
            counts[key] = counts.get(key, 0) + result.added
        moved = replace(
            now,
            album_count=now.album_count + result.added,
            journal_added=len(engine.journal.previously_added(album.id)),
            full_at=stored.full_at,
            counts=counts,
        )
        engine.state.put(rule, moved)
        marks.put(rule, now.fingerprint, album.id, newest(found, mark))
    return report
