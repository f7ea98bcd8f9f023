"""Sending a plan's adds in chunks: each chunk journaled as pending before it is sent and with
the server's per-id answers right after, before anything reports it; the journal is fsynced
once for all chunks (Journal.batched says why that is safe).

The ids are cut as `add_chunks` says. Up to `window` chunks are in flight; of several, the first
(a small one) goes alone, so a failing album or key costs one cheap request, then the window
opens for the rest. A failing chunk stops new ones (those in flight finish and are
recorded); its ids stay pending in the journal and are settled against the album next time. A
stop request is honoured between chunks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ppl2album_tui.immich.chunks import add_chunks
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Album, BulkResult
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.report import Problem, sentences
from ppl2album_tui.sync.sharing import Access

ProgressFn = Callable[[int, int], None]
ADD_WINDOW = 4  # add chunks a sync cycle keeps in flight
PROBE_IDS = 500  # the first of several chunks at most: Immich spends ~34 ms on 500 new ids


@dataclass
class ApplyResult:
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    removed: int = 0  # mirror mode: photos taken out because they no longer match
    problems: list[Problem] = field(default_factory=list)
    stopped: bool = False
    album: Album | None = None
    access: Access | None = None  # the album's users and link as brought in step (sharing.py)

    @property
    def errors(self) -> list[str]:
        """The problems worded for the command line."""
        return sentences(self.problems)


def split_answers(answers: Sequence[BulkResult]) -> tuple[list[str], list[str], list[str]]:
    """(added, duplicate, failed) ids; ``duplicate`` (already there) is not a failure."""
    added = [r.id for r in answers if r.success]
    dups = [r.id for r in answers if not r.success and r.error == "duplicate"]
    failed = [r.id for r in answers if not r.success and r.error != "duplicate"]
    return added, dups, failed


async def send_chunks(
    client: ImmichApi,
    journal: Journal,
    rule_name: str,
    album: Album,
    ids: Sequence[str],
    chunk_size: int,
    *,
    result: ApplyResult,
    album_cache: dict[str, set[str]] | None = None,
    window: int = ADD_WINDOW,
    on_progress: ProgressFn | None = None,
    stop: asyncio.Event | None = None,
    apply_id: str | None = None,
    unread: bool = False,
) -> ApplyResult:
    """Add `ids` to `album` in chunks, journaling each; counts and errors go into `result`.

    `album_cache` (the cycle's album contents) is updated only where it holds a complete read.
    `unread`: the album was not read first (some ids may be in it already; the server answers
    those ``duplicate``), which the pending records say.
    """
    size = max(1, chunk_size)
    cut = add_chunks(ids, size, PROBE_IDS)
    chunks = iter(cut)
    apply_id = apply_id or journal.new_apply_id()
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
            journal.record_pending(apply_id, rule_name, album.id, chunk, unread=unread)
            try:
                answers = await client.add_to_album(album.id, chunk, chunk_size=len(chunk))
            except ImmichError as err:  # left pending: settled against the album next time
                if not failing:  # chunks in flight fail alike: the rule gets one sentence
                    result.problems.append(Problem.of(rule_name, err))
                failing = True
                return
            added, dups, failed = split_answers(answers)
            denied = [r.id for r in answers if not r.success and r.error == "no_permission"]
            journal.record_apply(apply_id, rule_name, album.id, added, dups, failed, denied=denied)
            if album_cache is not None and album.id in album_cache:
                album_cache[album.id].update(added, dups)
            result.added += len(added)
            result.duplicates += len(dups)
            result.failed += len(failed)
            done += len(chunk)
            if on_progress:
                on_progress(done, len(ids))
            if limit is not None and sent >= limit:
                return

    with journal.batched():
        if len(cut) > 1:
            await worker(limit=1)  # the first chunk alone, then the window opens (a slow start)
        await asyncio.gather(*(worker() for _ in range(max(1, min(window, len(cut))))))
    if result.failed:
        result.problems.append(Problem(rule_name,
            f"{result.failed} photo(s) could not be added to {album.name or album.id} (no "
            "permission, or they no longer exist); they are not sent again until a full sync "
            "(sync --full)."))  # fmt: skip
    return result
