"""The planner: from a rule's matched assets and the album's state, what a sync would change.

Pure: no I/O. Every matched asset lands in exactly one bucket, checked in this order:
already (in the album) → filtered (excluded person, type, favorite, date, glob; first failing
reason wins) → vetoed (the rule's never_add) → removed_by_hand (this tool added it to this album
earlier, it is gone now: a tombstone) → to_add.

Mirror mode (``remove_unmatched``): an album photo that this rule added (`mine`) and that is no
longer matched, or matched but now filtered or vetoed, goes to `to_remove` with its reason (a
filtered or vetoed one is also in its bucket, as if it were not in the album). `to_remove` is
over the album, not the matches, so it is not part of `matched`. A photo in the album this rule
did not add stays, whatever it shows. Nothing is removed when the searches found nothing at all
(a rule whose people resolve to nobody).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date

from ppl2album_tui.immich.models import Asset, Person
from ppl2album_tui.sync.dates import has_window, window_reason
from ppl2album_tui.sync.report import Problem
from ppl2album_tui.sync.rules import Rule


@dataclass
class Plan:
    to_add: list[Asset] = field(default_factory=list)
    already: list[Asset] = field(default_factory=list)
    filtered: list[tuple[Asset, str]] = field(default_factory=list)
    vetoed: list[Asset] = field(default_factory=list)
    removed_by_hand: list[Asset] = field(default_factory=list)
    to_remove: list[tuple[Asset, str]] = field(default_factory=list)  # mirror mode, with why

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
            "to_remove": len(self.to_remove),
        }


NO_LONGER_MATCHES = "no longer matches"
REMOVAL_BOUND = 50  # unattended runs hold back a plan removing more photos than this…
REMOVAL_SHARE = 0.10  # …or more than this share of the album


def removal_held(plan: Plan, album_size: int) -> bool:
    """True when the plan removes more than the bound an unattended run may remove unasked."""
    n = len(plan.to_remove)
    return n > REMOVAL_BOUND or n > REMOVAL_SHARE * album_size


def held_sentence(plan: Plan, album_size: int) -> str:
    """The one sentence a held-back removal is reported with."""
    n = len(plan.to_remove)
    return (f"{n} photo(s) it added no longer match and were left in the album: that is more "
            f"than {REMOVAL_BOUND} or {REMOVAL_SHARE:.0%} of its {album_size}; remove them with "
            "`sync --allow-removals` or from the app's preview.")  # fmt: skip


def only_reason(rule: Rule, asset: Asset, directory: Mapping[str, Person]) -> str | None:
    """With `only`: "also shows X, Y" when someone but the rule's people appears in `asset`
    (its `people`, as searched with people); None when nobody else does. `directory`: the
    server's people by id (hidden ones too); an id not in it is an unnamed cluster."""
    if not rule.only:
        return None
    mine = {p.id for p in rule.people}
    others: list[str] = []
    for pid in asset.people:
        if pid in mine:
            continue
        person = directory.get(pid)
        name = person.name if person else ""
        if not name and rule.only_ignore_unnamed:
            continue
        label = name or "an unnamed person"
        others.append(f"{label} (hidden)" if person and person.is_hidden else label)
    return f"also shows {', '.join(dict.fromkeys(others))}" if others else None


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
    mine: Set[str] = frozenset(),
    directory: Mapping[str, Person] | None = None,
    born: date | None = None,
) -> Plan:
    """Partition `matched` (de-duplicated by id) into the plan's buckets.

    `previously_added`: ids this tool added to the album earlier (from the journal, undo and
    cleared tombstones taken out). `excluded_ids`: assets showing an excluded person, mapped to
    that person's name when known. `denied`: ids the server refused for this album before
    (``no_permission``), filtered with the reason "no permission". `mine`: ids of the album
    (as read) this rule added, the only ones mirror mode may remove; empty when the album was
    not read. `directory`: the server's people, for `only` (see `only_reason`). `born`: the
    birth date the rule's age or birthday window counts from (see dates.py).
    """
    plan = Plan()
    never = set(rule.never_add)
    mirror = rule.remove_unmatched
    seen: set[str] = set()
    people = directory or {}
    # most rules filter on nothing but archived photos: skip the per-photo calls for them
    plain = not (rule.media_type != "all" or rule.favorites_only or rule.taken_after
                 or rule.taken_before or rule.globs or rule.only or has_window(rule))  # fmt: skip
    archived = "archive" if not rule.include_archived else None
    add = plan.to_add.append  # the loop runs once per match: names looked up once
    for asset in matched:
        aid = asset.id
        if aid in seen:
            continue
        seen.add(aid)
        in_album = aid in album_ids
        if in_album and not (mirror and aid in mine):
            plan.already.append(asset)
            continue
        reason: str | None = None
        if aid in excluded_ids:
            name = excluded_ids.get(aid, "") if isinstance(excluded_ids, Mapping) else ""
            reason = f"excluded: {name}" if name else "excluded"
        elif plain:
            reason = "archived" if asset.visibility == archived else None
        else:
            reason = (filter_reason(rule, asset) or window_reason(rule, asset, born)
                      or only_reason(rule, asset, people))  # fmt: skip
        if reason is not None:
            plan.filtered.append((asset, reason))
        elif in_album and aid in never:
            plan.vetoed.append(asset)
            reason = "vetoed"
        elif in_album:
            plan.already.append(asset)
        elif aid in denied:
            plan.filtered.append((asset, "no permission"))
        elif aid in never:
            plan.vetoed.append(asset)
        elif aid in previously_added:
            plan.removed_by_hand.append(asset)
        else:
            add(asset)
        if in_album and reason is not None:
            plan.to_remove.append((asset, reason))
    if mirror and seen:  # found nothing at all: remove nothing
        gone = sorted(mine & album_ids - seen)
        plan.to_remove += [(Asset(i, ""), NO_LONGER_MATCHES) for i in gone]
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
