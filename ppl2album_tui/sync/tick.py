"""What kind of tick a rule's sync is. Pure: decided from the change signals stored by the last
full reconcile and those just read, before anything is searched.

- ``unchanged``: no signal moved; nothing is searched, the last counts are reported;
- ``delta``: only the people's counts grew, the album and the journal are as they were and a
  watermark is kept: one search for what was uploaded since may explain it (watermark.py);
- ``full``: anything else (no recent baseline, a forced or dry run, an edited rule or album,
  chunks of an interrupted run to settle): search everything and reconcile.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ppl2album_tui.sync.state import Signals

TickKind = Literal["unchanged", "delta", "full"]


def baseline(
    stored: Signals | None, *, incremental: bool, dry_run: bool, full_reconcile_hours: float
) -> Signals | None:
    """The signals a tick compares with (then it reads them first, people + 1 requests), or
    None for a full reconcile straight away: not incremental, a dry run (which stores
    nothing), no full reconcile yet or none within `full_reconcile_hours`."""
    if not incremental or dry_run or stored is None:
        return None
    return stored if stored.age_hours() < full_reconcile_hours else None


def only_grown(stored: Signals, now: Signals) -> bool:
    """True when the rule, album, album count and journal are as stored and only people's
    counts moved, none of them down: what new uploads (and nothing else) look like."""
    same = (stored.fingerprint, stored.album_id, stored.album_count, stored.journal_added)
    if same != (now.fingerprint, now.album_id, now.album_count, now.journal_added):
        return False
    if set(stored.person_counts) != set(now.person_counts):
        return False
    return all(now.person_counts[p] >= c for p, c in stored.person_counts.items())


def kind_of_tick(
    stored: Signals, now: Signals | None, *, mark: datetime | None, unsettled: bool
) -> TickKind:
    """Compare the baseline with the signals just read (None: unreadable, or no album yet).

    `mark`: the rule's upload watermark for this album (None: none kept); `unsettled`: the
    journal holds adds or undos of this album whose answer was lost."""
    if now is None:
        return "full"
    if stored.same_as(now):
        return "unchanged"
    if mark is not None and not unsettled and only_grown(stored, now):
        return "delta"
    return "full"
