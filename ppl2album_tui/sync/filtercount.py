"""The change signal on Immich 3.2+: one ``POST /search/statistics`` per rule.

The count asked for is exactly the rule's own filter (any/all of its people, none of its
excluded people, its visibility, not trashed) restricted to photos *not in its album*. After a
full reconcile that number is what the planner left out on purpose (globs, dates, vetoes, refused
photos); a new matching photo, a photo taken out of the album, a new face or a trashed photo all
move it, so a tick whose count did not move stops after that one request (no album read, no
per-person statistics). What it misses until the next full reconcile (`full_reconcile_hours`):
changes that cancel out between two ticks, e.g. one new match while one other match is added to
the album by hand.

The count is stored beside the person counts of the rule's `Signals` under `KEY` (person ids are
uuids, so it cannot clash); it is written only after a full reconcile on a 3.2+ server, and since
Immich cannot be downgraded, a stored count is trusted to mean "this server speaks v2" when a
fresh client has not read the version yet (headless runs: no version request on a no-op tick).
"""

from __future__ import annotations

import logging

from ppl2album_tui.immich.errors import ImmichError, Unauthorized
from ppl2album_tui.immich.search import unique
from ppl2album_tui.immich.search_v2 import V2Query
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import Rule
from ppl2album_tui.sync.state import Signals, SyncState, rule_fingerprint

KEY = "search/statistics:not-in-album"
log = logging.getLogger(__name__)


def rule_query(rule: Rule, album_id: str) -> V2Query:
    """The rule's own filter, minus the photos already in `album_id`."""
    people = tuple(unique(p.id for p in rule.people))
    return V2Query(
        any_people=people if rule.match == "any" else (),
        all_people=people if rule.match == "all" else (),
        none_people=tuple(unique(p.id for p in rule.exclude)),
        not_in_albums=(album_id,),
        visibility=None if rule.include_archived else "timeline",
    )


async def _count(client: ImmichApi, rule: Rule, album_id: str) -> int | None:
    try:
        return await client.count_v2(rule_query(rule, album_id), known_v2=True)
    except Unauthorized:
        raise
    except ImmichError as err:
        log.info("Rule '%s': filter count unreadable (%s)", rule.name, err)
        return None


async def unchanged(client: ImmichApi, journal: Journal, rule: Rule, stored: Signals) -> bool:
    """True when one statistics request shows nothing moved since the stored full reconcile."""
    caps = client.known_capabilities
    if rule.remove_unmatched:  # a face gone from an album photo does not move this count
        return False
    if KEY not in stored.person_counts or (caps is not None and not caps.search_v2):
        return False
    if rule.album_id != stored.album_id or rule_fingerprint(rule) != stored.fingerprint:
        return False
    if len(journal.previously_added(stored.album_id)) != stored.journal_added:
        return False  # an undo or another run changed what this tool added
    return await _count(client, rule, stored.album_id) == stored.person_counts[KEY]


async def remember(client: ImmichApi, state: SyncState, rule: Rule, signals: Signals) -> None:
    """After a full reconcile on a 3.2+ server: store the rule's count beside its signals
    (the version was read by the full reconcile's searches)."""
    if not (await client.capabilities()).search_v2:
        return
    count = await _count(client, rule, signals.album_id)
    if count is not None:
        signals.person_counts[KEY] = count
        state.put(rule, signals)
