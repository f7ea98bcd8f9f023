"""Turn a rule into searches: which assets show its people (and which show excluded people).

- match ``any``: one search per person, the union (Immich 3.1 ANDs several person ids);
- match ``all``: one search with every id, de-duplicated (a repeated id would match nothing);
- ``exclude``: one search per excluded person; their assets are dropped by the planner with the
  reason ``excluded: <name>``;
- visibility ``timeline`` unless the rule includes archived photos (then timeline + archive);
- an age or birthday window (dates.py): the person's birth date is read beside them;
- ``only``: the match searches ask for each photo's people (``withPeople``, which costs Immich
  2-8 times a plain page, so only such rules do) and the server's people are read beside them
  (one ``GET /people?withHidden=true``) to name who else is in a photo.

Globs, media type, dates and favorites are applied by the planner, not sent to the server, so a
preview can say why each photo was left out. That costs bandwidth only when a filter drops most
of a person's photos; the searches stay one per person either way.

A person whose search finds nothing is looked up: one that no longer exists (merged away,
deleted, regrouped) is re-linked by the name kept beside the id when exactly one person has it
(a notice says so), else the rule fails with a sentence naming them (relink.py). Partners'
photos are left out unless the rule includes them (ownership.py). Both say so in `notes`.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ppl2album_tui.immich.client import Hint, cancel_and_wait
from ppl2album_tui.immich.errors import NotFound
from ppl2album_tui.immich.models import Asset, AssetQuery, Person, Visibility
from ppl2album_tui.sync import dates
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.ownership import own_photos, partner_note
from ppl2album_tui.sync.relink import check_and_relink
from ppl2album_tui.sync.rules import PersonRef, Rule

# person id → statistics count: known, still being read, or not read at all
Counts = Mapping[str, int] | asyncio.Future[Mapping[str, int] | None] | None


@dataclass
class Matched:
    """A rule's search results: matched assets (unique) and excluded asset id → person name."""

    assets: list[Asset] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # re-linked people, partners' photos left out
    relinked: bool = False  # the rule's person ids were changed (the caller may save it)
    directory: dict[str, Person] = field(default_factory=dict)  # `only`: the server's people
    born: date | None = None  # the birth date a rule's age or birthday window counts from
    # each match search's people (labels) and what it found
    searches: list[tuple[list[str], list[Asset]]] = field(default_factory=list)

    @functools.cached_property
    def rank(self) -> dict[str, int]:
        """Asset id -> its place among `assets` (the order a plan's buckets keep)."""
        return {asset.id: i for i, asset in enumerate(self.assets)}

    @functools.cached_property
    def people_of(self) -> dict[str, list[str]]:
        """Asset id -> the people it matched (built when first asked: only a Preview shows it)."""
        out: dict[str, list[str]] = {}
        for labels, found in self.searches:
            for asset in found:
                out.setdefault(asset.id, []).extend(labels)
        return out

    def __len__(self) -> int:
        return len(self.assets)

    def __iter__(self) -> Iterator[Asset]:
        return iter(self.assets)


def _unique(refs: Sequence[PersonRef]) -> list[PersonRef]:
    return list({ref.id: ref for ref in refs}.values())


def rule_queries(rule: Rule) -> tuple[list[AssetQuery], list[AssetQuery]]:
    """The searches for `rule`: (match queries, exclude queries)."""
    visibility: Visibility | None = None if rule.include_archived else "timeline"
    people = _unique(rule.people)
    faces = rule.only  # each photo's people, to tell who else is in it
    if rule.match == "all":
        ids = tuple(p.id for p in people)
        match = [AssetQuery(person_ids=ids, visibility=visibility, with_people=faces)]
    else:
        match = [AssetQuery(person_ids=(p.id,), visibility=visibility, with_people=faces)
                 for p in people]  # fmt: skip
    exclude = [AssetQuery(person_ids=(p.id,), visibility=visibility) for p in _unique(rule.exclude)]
    return match, exclude


def _hint(counts: Counts, query: AssetQuery) -> Hint:
    """A one-person search's paging hint: the person's statistics count, known or to come."""
    if counts is None or len(query.person_ids) != 1:
        return None
    person = query.person_ids[0]
    if isinstance(counts, Mapping):
        return counts.get(person)
    pending = counts

    async def later() -> int | None:
        known = await asyncio.shield(pending)  # one search giving up must not cancel it
        return known.get(person) if known else None

    return later


async def _search(
    client: ImmichApi, queries: list[AssetQuery], counts: Counts = None
) -> list[list[Asset]]:
    return list(await client.search_many(queries, [_hint(counts, q) for q in queries]))


async def fetch_matches(client: ImmichApi, rule: Rule, counts: Counts = None) -> Matched:
    """Run the rule's searches (concurrently) and combine them; people whose id is gone are
    re-linked by name (then searched again) or RuleError; partners' photos are left out unless
    the rule includes them.

    `counts`: person id → statistics count, used as paging hints (see `ImmichClient`); a
    future when the counts are still being read (each search's first page does not wait)."""
    reading = asyncio.ensure_future(client.capabilities())  # side by side with the searches
    listing = asyncio.ensure_future(client.people(with_hidden=True)) if rule.only else None
    birth = (asyncio.ensure_future(dates.birth_date(client, rule))
             if dates.needs_birth_date(rule) else None)  # fmt: skip
    notes: list[str] = []
    try:
        try:
            matched, empty = await _fetch(client, rule, counts)
        except NotFound:
            notes = await check_and_relink(client, rule, [*rule.people, *rule.exclude])
            if not notes:
                raise
            matched, empty = await _fetch(client, rule)
        if empty and (relinked := await check_and_relink(client, rule, empty)):
            notes += relinked
            matched, _ = await _fetch(client, rule)
        clustered = (await reading).search_v2  # person ids match partners' faces (3.2+)
        directory = {p.id: p for p in await listing} if listing else {}
        born = await birth if birth else None
    finally:
        await cancel_and_wait([reading, *(f for f in (listing, birth) if f)])
    matched.assets, left_out = await own_photos(client, rule, matched.assets, clustered)
    note = partner_note(left_out)
    matched.notes = [*notes, *([note] if note else [])]
    if birth and born is None:
        matched.notes.append(dates.no_birth_date(dates.birthday_person(rule).label))
    matched.born = born
    matched.relinked = bool(notes)
    matched.directory = directory
    return matched


async def _fetch(
    client: ImmichApi, rule: Rule, counts: Counts = None
) -> tuple[Matched, list[PersonRef]]:
    """The rule's searches combined, and the people whose search found nothing."""
    match_q, exclude_q = rule_queries(rule)
    people = _unique(rule.people)
    excluded_people = _unique(rule.exclude)
    results = await _search(client, match_q + exclude_q, counts)
    match_res, exclude_res = results[: len(match_q)], results[len(match_q) :]
    if rule.match == "all":
        empty = people if not match_res[0] else []
    else:
        empty = [p for p, res in zip(people, match_res, strict=True) if not res]
    empty += [p for p, res in zip(excluded_people, exclude_res, strict=True) if not res]
    seen: dict[str, Asset] = {}
    for res in match_res:  # first seen order; a repeat is the same asset
        seen.update({asset.id: asset for asset in res})
    excluded: dict[str, str] = {}
    for ref, res in reversed(list(zip(excluded_people, exclude_res, strict=True))):
        excluded.update(dict.fromkeys((asset.id for asset in res), ref.label))  # first one wins
    groups = [people] if rule.match == "all" else [[p] for p in people]
    searches = [([p.label for p in g], res) for g, res in zip(groups, match_res, strict=True)]
    return Matched(assets=list(seen.values()), excluded=excluded, searches=searches), empty
