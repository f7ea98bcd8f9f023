"""Change signals kept across runs, so an auto-sync tick with nothing new costs almost nothing.

Per rule: a fingerprint of its settings, the album's asset count, each person's face count
(``GET /people/{id}/statistics``), how many photos the journal says this tool added, and when the
last full reconcile ran. A tick compares them (people + 1 requests) and reconciles fully only when
one moved, when `full_reconcile_hours` have passed, or when asked.

What the signals miss until the next full reconcile: a face added and another removed for the
same person between two ticks (the count nets out), and changes to archived photos (statistics
count timeline photos only). File: ``<data dir>/sync-state.json``, written atomically.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ppl2album_tui.sync.fsutil import read_json_object, write_json_private
from ppl2album_tui.sync.paths import STATE_FILE, data_dir
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.sync.schema import rule_to_dict


def rule_fingerprint(rule: Rule) -> str:
    """A hash of everything in the rule that changes what it matches."""
    data = rule_to_dict(rule)
    for key in ("auto_apply", "enabled"):
        data.pop(key, None)
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass
class Signals:
    """What a tick observes (and a full reconcile stores)."""

    fingerprint: str
    album_id: str
    album_count: int
    person_counts: dict[str, int]
    journal_added: int
    full_at: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # the last full run's report counts

    def same_as(self, other: Signals) -> bool:
        return (self.fingerprint, self.album_id, self.album_count, self.person_counts,
                self.journal_added) == (other.fingerprint, other.album_id, other.album_count,
                                        other.person_counts, other.journal_added)  # fmt: skip

    def age_hours(self) -> float:
        try:
            then = datetime.fromisoformat(self.full_at)
        except ValueError:
            return float("inf")
        return (datetime.now(UTC) - then).total_seconds() / 3600


class SyncState:
    """The signals file; unreadable or damaged means "no signals" (a full reconcile)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / STATE_FILE

    def get(self, rule: Rule) -> Signals | None:
        raw = read_json_object(self.path).get(rule.name)
        if not isinstance(raw, dict):
            return None
        try:
            return Signals(**raw)
        except TypeError:
            return None

    def put(self, rule: Rule, signals: Signals) -> None:
        data = read_json_object(self.path)
        data[rule.name] = signals.__dict__
        write_json_private(self.path, data)
