"""The planner: from a rule's matched assets and the album's state, what a sync would change.

Pure: no I/O. Every matched asset lands in exactly one bucket, checked in this order:
already (in the album) → filtered (excluded person, type, favorite, date, glob; first failing
reason wins) → vetoed (the rule's never_add) → removed_by_hand (this tool added it to this album
earlier, it is gone now: a tombstone) → to_add.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.sync.report import Problem
from ppl2album_tui.sync.rules import Rule


@dataclass
class Plan:
    to_add: list[Asset] = field(default_factory=list)
    already: list[Asset] = field(default_factory=list)
    filtered: list[tuple[Asset, str]] = field(default_factory=list)
    vetoed: list[Asset] = field(default_factory=list)
    removed_by_hand: list[Asset] = field(default_factory=list)

    @property
    def matched_count(self) -> int:
        return (len(self.to_add) + len(self.already) + len(self.filtered) + len(self.vetoed)
                + len(self.removed_by_hand))  # fmt: skip

    def counts(self) -> dict[str, int]:
        """Bucket sizes, keyed as in the reports."""
        return {
            "matched": self.matched_count,
            "already": len(self.already),
            "to_add": len(self.to_add),
            "filtered": len(self.filtered),
            "vetoed": len(self.vetoed),
            "removed_by_hand": len(self.removed_by_hand),
        }


def glob_matches(rule: Rule, file_name: str) -> bool:
    """True when `file_name` passes the rule's globs (no globs = everything passes)."""
    if not rule.globs:
        return True
    if rule.case_sensitive_globs:
        return any(fnmatch.fnmatchcase(file_name, g) for g in rule.globs)
    lowered = file_name.casefold()
    return any(fnmatch.fnmatchcase(lowered, g.casefold()) for g in rule.globs)


def filter_reason(rule: Rule, asset: Asset) -> str | None:
    """Why `asset` fails the rule's client-side filters, or None when it passes.

    Dates are compared on the day of ``fileCreatedAt`` as the server sends it (UTC), both ends
    inclusive; an asset without a date fails any date window.
    """
    if rule.media_type != "all" and asset.type != rule.media_type.upper():
        return f"type: {asset.type.lower()}"
    if rule.favorites_only and not asset.is_favorite:
        return "favorite: not a favorite"
    if not rule.include_archived and asset.visibility == "archive":
        return "archived"
    if rule.taken_after or rule.taken_before:
        day: date | None = asset.taken_at.date() if asset.taken_at else None
        if day is None:
            return "date: unknown"
        if rule.taken_after and day < rule.taken_after:
            return f"date: before {rule.taken_after.isoformat()}"
        if rule.taken_before and day > rule.taken_before:
            return f"date: after {rule.taken_before.isoformat()}"
    if not glob_matches(rule, asset.original_file_name):
        return "glob: no match"
    return None


def make_plan(
    rule: Rule,
    matched: Iterable[Asset],
    album_ids: Set[str],
    previously_added: Set[str],
    excluded_ids: Mapping[str, str] | Set[str] = frozenset(),
    denied: Set[str] = frozenset(),
) -> Plan:
    """Partition `matched` (de-duplicated by id) into the plan's buckets.

    `previously_added`: ids this tool added to the album earlier (from the journal, undo and
    cleared tombstones taken out). `excluded_ids`: assets showing an excluded person, mapped to
    that person's name when known. `denied`: ids the server refused for this album before
    (``no_permission``), filtered with the reason "no permission".
    """
    plan = Plan()
    never = set(rule.never_add)
    seen: set[str] = set()
    for asset in matched:
        if asset.id in seen:
            continue
        seen.add(asset.id)
        if asset.id in album_ids:
            plan.already.append(asset)
        elif asset.id in excluded_ids:
            name = excluded_ids.get(asset.id, "") if isinstance(excluded_ids, Mapping) else ""
            plan.filtered.append((asset, f"excluded: {name}" if name else "excluded"))
        elif (reason := filter_reason(rule, asset)) is not None:
            plan.filtered.append((asset, reason))
        elif asset.id in denied:
            plan.filtered.append((asset, "no permission"))
        elif asset.id in never:
            plan.vetoed.append(asset)
        elif asset.id in previously_added:
            plan.removed_by_hand.append(asset)
        else:
            plan.to_add.append(asset)
    return plan


def rule_warnings(rule: Rule, matched: Sequence[Asset]) -> list[Problem]:
    """Sentences about a rule that runs but cannot do what was meant (globs matching nothing)."""
    if (
        rule.globs
        and matched
        and not any(glob_matches(rule, a.original_file_name) for a in matched)
    ):
        how = "case-sensitive" if rule.case_sensitive_globs else "case-insensitive"
        return [Problem(rule.name,
            f"the globs {', '.join(rule.globs)} match none of the {len(matched)} photos of its "
            f"people ({how}, on the original file name).")]  # fmt: skip
    return []
