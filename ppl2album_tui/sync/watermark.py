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

from collections.abc import Iterable, Set
from datetime import datetime
from pathlib import Path

from ppl2album_tui.immich.models import Asset, AssetQuery, Visibility, parse_datetime
from ppl2album_tui.sync.fsutil import read_json_object, write_json_private
from ppl2album_tui.sync.matcher import Matched
from ppl2album_tui.sync.planner import Plan, make_plan
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.sync.state import Signals


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


def newest(assets: Iterable[Asset], start: datetime | None = None) -> datetime | None:
    """The latest ``updatedAt`` among `assets` (or `start` when later)."""
    mark = start
    for a in assets:
        if a.updated_at is not None and (mark is None or a.updated_at > mark):
            mark = a.updated_at
    return mark


def delta_query(rule: Rule, mark: datetime) -> AssetQuery:
    """The one search of a delta tick: everything updated since the watermark, with people."""
    visibility: Visibility | None = None if rule.include_archived else "timeline"
    return AssetQuery(visibility=visibility, updated_after=mark, with_people=True)


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


def plan_delta(
    rule: Rule,
    stored: Signals,
    now: Signals,
    found: list[Asset],
    mark: datetime,
    previously_added: Set[str],
    denied: Set[str],
) -> tuple[Plan, Matched] | None:
    """The plan of a delta tick from the search since `mark` (see `delta_query`); None when
    those photos do not explain the moved signals (the tick then reconciles fully). Pure.

    The album is not read: every match not added before is to add (a ``duplicate`` answer
    then counts as already there). A rule with `only` always reconciles fully (its reasons name
    the other people, read with the full searches), as does one with `approve_new` (its
    waiting count is over every match)."""
    if rule.only or rule.approve_new or not _explained(stored, now, found, mark):
        return None
    matched = _matches(rule, found)
    plan = make_plan(rule, matched.assets, set(), previously_added, matched.excluded, denied)
    return plan, matched
