"""One album per year: a rule whose `album_name` holds ``{year}`` ("Kids {year}") puts each photo
in the album of its year (the photo's local date, dates.py), each album created on demand.

The rule is searched once; its matches are split by year into one sub-preview per album, each
planned and applied by the engine's own code (tombstones, vetoes, refusals and mirror mode per
album). The rule's preview holds the plans of all years combined (what the app and `sync` show
and what vetoes change) and `years`, the albums; an apply splits the combined plan back by year.
The sub-applies of one apply share an apply id prefix (``<group>.<year>``), so an undo takes the
whole apply back, every album of it.

Choices: a photo without a date has no year, so no album (filtered, "date: unknown"); an album
of a year whose photos all left the rule keeps them unless mirror mode is on; two albums with a
year's name stop the rule (as two albums of a plain rule's name do).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

from ppl2album_tui.immich.client import Hint
from ppl2album_tui.immich.models import Album, Asset
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.applier import ApplyResult, ProgressFn
from ppl2album_tui.sync.dates import local_day
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.matcher import Matched
from ppl2album_tui.sync.planner import NO_LONGER_MATCHES, Plan
from ppl2album_tui.sync.report import AlbumReport
from ppl2album_tui.sync.rules import Rule, RuleError

YEAR = "{year}"
NO_YEAR = "date: unknown (no year, so no album)"


def is_yearly(rule: Rule) -> bool:
    """True when the rule keeps one album per year."""
    return not rule.album_id and YEAR in (rule.album_name or "")


def year_name(rule: Rule, year: int) -> str:
    """'Kids {year}', 2019 → 'Kids 2019'."""
    return (rule.album_name or "").replace(YEAR, str(year))


def name_pattern(rule: Rule) -> re.Pattern[str]:
    """The album names of the rule's years, the year captured."""
    parts = (rule.album_name or "").split(YEAR)
    return re.compile(r"(\d{4})".join(re.escape(p) for p in parts) + r"\Z")


@dataclass
class YearAlbum:
    """One year's album: the rule as it applies to it (its album name filled in), the album
    (None: to be created), its photos as read, and the year's own plan."""

    year: int
    rule: Rule
    album: Album | None
    album_ids: set[str] = field(default_factory=set)
    plan: Plan = field(default_factory=Plan)
    outcome: ApplyResult | None = None  # what the last apply did to it
    created: bool = False  # the last apply created it

    @property
    def name(self) -> str:
        return self.album.name if self.album else self.rule.album_name or ""


def by_year(assets: Sequence[Asset]) -> dict[int | None, list[Asset]]:
    """The assets by the year of their local date (None: no date)."""
    out: dict[int | None, list[Asset]] = {}
    for asset in assets:
        day = local_day(asset)
        out.setdefault(day.year if day else None, []).append(asset)
    return out


async def read_years(
    client: ImmichApi,
    journal: Journal,
    rule: Rule,
    matched: Matched,
    read: Callable[[str, Hint], Awaitable[set[str]]],
) -> list[YearAlbum]:
    """The albums of the years the matches fall in, and of the years this rule added to before
    (mirror mode may take photos out of them), each read with `read` (album id, paging hint);
    the albums are listed once."""
    years = {y for y in by_year(matched.assets) if y is not None}
    albums = await client.albums()
    pattern, mine = name_pattern(rule), journal.albums_of(rule.name)
    for album in albums:
        if album.id in mine and (m := pattern.match(album.name)):
            years.add(int(m.group(1)))
    out: list[YearAlbum] = []
    for year in sorted(years):
        sub = replace(rule, album_name=year_name(rule, year), album_id=None)
        found = [a for a in albums if a.name == sub.album_name]
        if len(found) > 1:
            both = " and ".join(a.id for a in found)
            raise RuleError(
                f"{len(found)} albums are named {sub.album_name!r} ({both}); rename one of them.",
                rule=rule.name,
            )
        out.append(YearAlbum(year, sub, found[0] if found else None))
    listed = [y for y in out if y.album is not None]
    reads = [read(y.album.id, y.album.asset_count or None)
             for y in listed if y.album]  # fmt: skip
    for year_album, ids in zip(listed, await asyncio.gather(*reads), strict=True):
        year_album.album_ids = ids
    return out


def plan_years(
    rule: Rule,
    matched: Matched,
    years: Sequence[YearAlbum],
    plan_part: Callable[[YearAlbum, Matched], Plan],
    mine: Callable[[Rule, str], set[str]],
) -> Plan:
    """Plan each year's album with `plan_part` (the engine's planner, given the year's album and
    matches) and combine the plans. `mine`: what mirror mode may take out of an album (rule,
    album id), for the years none of the matches fall in any more."""
    split = by_year(matched.assets)
    combined = Plan()
    combined.filtered += [(a, NO_YEAR) for a in split.get(None, [])]
    for year_album in years:
        year_album.rule.never_add = rule.never_add  # vetoes are the rule's
        assets = split.get(year_album.year, [])
        plan = plan_part(year_album, replace(matched, assets=assets))
        album = year_album.album
        if rule.remove_unmatched and not assets and matched.assets and album is not None:
            gone = mine(year_album.rule, album.id) & year_album.album_ids
            plan.to_remove = [(Asset(i, ""), NO_LONGER_MATCHES) for i in sorted(gone)]
        year_album.plan = plan
        for key in ("to_add", "already", "filtered", "vetoed", "removed_by_hand", "to_remove"):
            getattr(combined, key).extend(getattr(plan, key))
    return combined


def split_plan(plan: Plan, years: Sequence[YearAlbum]) -> list[tuple[YearAlbum, Plan]]:
    """The combined plan (as vetoes and held removals left it) back by album: a veto moves a
    photo from its year's To add to its Vetoed, so the year's matched count holds."""
    if not years:  # not a year-albums rule
        return []
    adds, vetoes = by_year(plan.to_add), by_year(plan.vetoed)
    out = []
    for year_album in years:
        gone = [(a, why) for a, why in plan.to_remove if a.id in year_album.album_ids]
        part = replace(year_album.plan, to_add=adds.get(year_album.year, []),
                       vetoed=vetoes.get(year_album.year, []), to_remove=gone)  # fmt: skip
        out.append((year_album, part))
    return out


ApplyPart = Callable[[YearAlbum, Plan, ProgressFn, str], Awaitable[ApplyResult]]


async def apply_years(
    plan: Plan,
    years: Sequence[YearAlbum],
    apply_part: ApplyPart,
    group: str,
    *,
    on_progress: ProgressFn | None,
    stop: asyncio.Event | None,
    remove: bool,
) -> ApplyResult:
    """Apply each year's part of `plan` with `apply_part` (the engine's apply: the year's
    album, its plan, progress, the apply id ``<group>.<year>``), one album after another; the
    first album that fails ends the apply (the others are left for the next one)."""
    result = ApplyResult()
    total, done = len(plan.to_add), 0
    for year_album, part_plan in split_plan(plan, years):
        plan = part_plan
        if not plan.to_add and not (remove and plan.to_remove):
            continue
        if stop is not None and stop.is_set():
            result.stopped = True
            break
        offset = done

        def progress(n: int, _total: int, offset: int = offset) -> None:
            if on_progress:
                on_progress(offset + n, total)

        part = await apply_part(year_album, plan, progress, f"{group}.{year_album.year}")
        done += len(plan.to_add)
        year_album.created = year_album.album is None and part.album is not None
        year_album.album = part.album or year_album.album
        year_album.plan = replace(year_album.plan, to_add=plan.to_add, to_remove=plan.to_remove)
        year_album.outcome = part
        for key in ("added", "duplicates", "failed", "removed"):
            setattr(result, key, getattr(result, key) + getattr(part, key))
        result.problems += part.problems
        result.stopped = result.stopped or part.stopped
        if part.problems or part.stopped:
            break
    return result


def album_reports(plan: Plan, years: Sequence[YearAlbum]) -> list[AlbumReport]:
    """Each year's album with its counts (to add and to remove as the combined `plan` has them
    now, after vetoes) and what an apply did to it, for the reports."""
    out = []
    for y, part in split_plan(plan, years):
        counts, done = part.counts(), y.outcome
        out.append(AlbumReport(
            album=y.name, album_id=y.album.id if y.album else None, year=y.year,
            new=y.album is None or y.created, matched=counts["matched"], already=counts["already"],
            to_add=counts["to_add"], to_remove=counts["to_remove"],
            added=done.added if done else 0, removed=done.removed if done else 0,
        ))  # fmt: skip
    return out
