"""Fast paths of an apply: no album read where the server's per-id answers suffice, count hints
for concurrent paging, and several add chunks in flight.

- **No album read on the first apply into an album.** When the journal holds nothing for the
  album (this tool never added to it, or everything it added was undone/cleared) and no chunk is
  unresolved, there can be no tombstone, so the album's content only decides "already there" vs
  "to add" — and the server answers exactly that per id (``duplicate``). Every photo that passes
  the rule is sent; the duplicates are then reported as "already". For a 20k album at 100k assets
  this saves ⌈20k/1000⌉ pages of full asset records (as much as 20 searches). Later applies read
  the album: the planner needs it to tell photos removed by hand from those still there. A
  ``--dry-run`` / preview always reads it.
- **Count hints.** Each person's statistics count (the change signals read anyway) and the
  album's ``assetCount`` let the client fetch all pages of a search at once instead of following
  ``nextPage`` one after the other (a wrong hint costs an empty page, never a missed asset).
- **Windowed adds.** Up to `ADD_WINDOW` chunks in flight; each is journaled as pending before it
  is sent and with its answer after, as in the sequential apply. The first chunk goes alone,
  then the window opens. A failing chunk stops new ones; those in flight finish and are
  recorded. A stop request is honoured between chunks (at most the window's chunks finish).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Album
from ppl2album_tui.sync.matcher import fetch_matches
from ppl2album_tui.sync.planner import make_plan
from ppl2album_tui.sync.report import RuleReport
from ppl2album_tui.sync.rules import Rule

if TYPE_CHECKING:
    from ppl2album_tui.sync.engine import ApplyResult, RulePreview, SyncEngine

ADD_WINDOW = 4  # add chunks in flight at once


def album_read_needed(engine: SyncEngine, album: Album | None) -> bool:
    """False when an apply into `album` may rely on the server's per-id answers (see above)."""
    if album is None:
        return True
    journal = engine.journal
    return bool(journal.unresolved(album.id) or journal.previously_added(album.id))


async def preview_for_apply(
    engine: SyncEngine, rule: Rule, album: Album | None, counts: Mapping[str, int] | None
) -> RulePreview:
    """The preview an apply runs on: without the album read when that is safe, else the full
    one; both with count hints."""
    from ppl2album_tui.sync.engine import RulePreview

    if album_read_needed(engine, album):
        return await engine.preview(rule, album, counts=counts)
    assert album is not None
    matched = await fetch_matches(engine.client, rule, counts)
    plan = make_plan(rule, matched.assets, set(), set(), matched.excluded)
    return RulePreview(rule, album, plan, matched, set(), album_read=False)


def settle_report(report: RuleReport, preview: RulePreview) -> None:
    """After an apply without the album read: the ``duplicate`` answers were "already there"."""
    if preview.album_read:
        return
    report.already += report.duplicates
    report.to_add = max(0, report.to_add - report.duplicates)
    report.duplicates = 0


async def apply_windowed(
    engine: SyncEngine,
    preview: RulePreview,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    stop: asyncio.Event | None = None,
    window: int = ADD_WINDOW,
) -> ApplyResult:
    """`engine.apply` with up to `window` chunks in flight (same journaling, same result).

    Falls back to the sequential apply when the album is still to be created or a chunk of an
    earlier run must be settled first.
    """
    from ppl2album_tui.sync.engine import ApplyResult

    rule, album = preview.rule, preview.album
    if album is None or window <= 1 or engine.journal.unresolved(album.id):
        return await engine.apply(preview, on_progress=on_progress, stop=stop)
    result = ApplyResult(album=album)
    ids = [a.id for a in preview.plan.to_add]
    size = max(1, engine.config.sync.chunk_size)
    chunks = iter([ids[i : i + size] for i in range(0, len(ids), size)])
    apply_id = engine.journal.new_apply_id()
    done = 0
    failing = False
    if on_progress and ids:
        on_progress(0, len(ids))

    async def worker(limit: int | None = None) -> None:
        nonlocal done, failing
        for sent, chunk in enumerate(chunks, 1):  # shared: each chunk goes to exactly one worker
            if failing:
                return
            if stop is not None and stop.is_set():
                result.stopped = True
                return
            engine.journal.record_pending(apply_id, rule.name, album.id, chunk)
            try:
                answers = await engine.client.add_to_album(album.id, chunk, chunk_size=len(chunk))
            except ImmichError as err:  # left pending: settled against the album next time
                result.errors.append(f"Rule '{rule.name}': {err}")
                failing = True
                return
            added = [r.id for r in answers if r.success]
            dups = [r.id for r in answers if not r.success and r.error == "duplicate"]
            failed = [r.id for r in answers if not r.success and r.error != "duplicate"]
            engine.journal.record_apply(apply_id, rule.name, album.id, added, dups, failed)
            cache = engine._album_ids  # the cycle's album cache: only update a complete entry
            if cache is not None and album.id in cache:
                cache[album.id].update(added, dups)
            result.added += len(added)
            result.duplicates += len(dups)
            result.failed += len(failed)
            done += len(chunk)
            if on_progress:
                on_progress(done, len(ids))
            if limit is not None and sent >= limit:
                return

    await worker(limit=1)  # the first chunk alone, then the window opens (a slow start)
    n = max(1, min(window, -(-len(ids) // size)))
    await asyncio.gather(*(worker() for _ in range(n)))
    if result.failed:
        result.errors.append(
            f"Rule '{rule.name}': {result.failed} photo(s) could not be added to "
            f"{album.name or album.id} (no permission, or they no longer exist)."
        )
    return result
