"""Fast paths of an apply: no album read where the server's per-id answers suffice, count hints
for concurrent paging, and several add chunks in flight.

- **No album read on the first apply into an album.** When the journal holds nothing for the
  album (this tool never added to it, or everything it added was undone/cleared) and no chunk is
  unresolved, there can be no tombstone, so the album's content only decides "already there" vs
  "to add" — and the server answers exactly that per id (``duplicate``). Every photo that passes
  the rule is sent; the duplicates are then reported as "already". For a 20k album at 100k assets
  this saves ⌈20k/1000⌉ pages of full asset records (as much as 20 searches). Later applies read
  the album: the planner needs it to tell photos removed by hand from those still there. A
  ``--dry-run`` / preview always reads it. Only when the album is empty (``assetCount`` 0), though:
  a chunk holding photos already there that is interrupted (a hard kill) cannot be told apart
  from one that added them, so settling it would claim them as this tool's and undo would take
  photos out that a person had put there.
- **Count hints.** Each person's statistics count (the change signals read anyway) and the
  album's ``assetCount`` let the client fetch all pages of a search at once instead of following
  ``nextPage`` one after the other (a wrong hint costs an empty page, never a missed asset).
- **Windowed adds.** A sync cycle applies with up to `ADD_WINDOW` chunks in flight (see
  applier.py: each journaled as pending before it is sent and with its answer after).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from ppl2album_tui.immich.models import Album
from ppl2album_tui.sync.matcher import Counts, Matched, fetch_matches
from ppl2album_tui.sync.planner import make_plan
from ppl2album_tui.sync.report import RuleReport
from ppl2album_tui.sync.rules import Rule

if TYPE_CHECKING:
    from ppl2album_tui.sync.engine import RulePreview, SyncEngine

ADD_WINDOW = 4  # add chunks in flight at once


def album_read_needed(engine: SyncEngine, album: Album | None) -> bool:
    """False when an apply into `album` may rely on the server's per-id answers (see above)."""
    if album is None or album.asset_count:  # never send photos already there blind (see above)
        return True
    journal = engine.journal
    return bool(
        journal.unresolved(album.id)
        or journal.unresolved_undo(album.id)
        or journal.previously_added(album.id)
        or journal.denied(album.id)
    )


async def preview_for_apply(
    engine: SyncEngine,
    rule: Rule,
    album: Album | None,
    counts: Counts,
    retry_denied: bool = False,
    matches: Awaitable[Matched] | None = None,
) -> RulePreview:
    """The preview an apply runs on: without the album read when that is safe, else the full
    one; both with count hints (and the rule's searches when the caller started them)."""
    from ppl2album_tui.sync.engine import RulePreview

    if album_read_needed(engine, album):
        return await engine.preview(rule, album, counts, retry_denied, matches)
    assert album is not None
    matched = await (matches or fetch_matches(engine.client, rule, counts))
    plan = make_plan(rule, matched.assets, set(), set(), matched.excluded)
    return RulePreview(rule, album, plan, matched, set(), album_read=False)


def settle_report(report: RuleReport, preview: RulePreview) -> None:
    """After an apply without the album read: the ``duplicate`` answers were "already there"."""
    if preview.album_read:
        return
    report.already += report.duplicates
    report.to_add = max(0, report.to_add - report.duplicates)
    report.duplicates = 0
