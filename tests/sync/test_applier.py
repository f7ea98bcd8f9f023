"""How `send_chunks` cuts an apply's adds (applier.py), over `FakeApi`: one request when they fit,
else a small first chunk and then even ones. Over HTTP, tests/sync/test_sync_engine.py shows
the first alone and the rest side by side."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest

from ppl2album_tui.immich.models import BulkResult
from ppl2album_tui.sync.applier import ApplyResult, send_chunks
from ppl2album_tui.sync.journal import Journal
from tests.fake_api import FakeApi


class CountingApi(FakeApi):
    """FakeApi that remembers the size of every add request."""

    sizes: list[int]

    async def add_to_album(
        self, album_id: str, ids: Sequence[str], chunk_size: int = 1000, on_chunk: object = None
    ) -> list[BulkResult]:
        self.sizes.append(len(ids))
        return await super().add_to_album(album_id, ids, chunk_size)


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (2980, [2980]),  # they fit: one request
        (12000, [500, 3834, 3833, 3833]),  # a small first chunk alone, then the rest
        (5500, [500, 5000]),
    ],
)
async def test_the_adds_are_cut_into_a_probe_and_even_chunks(
    tmp_path: Path, n: int, sizes: list[int]
) -> None:
    api = CountingApi()
    api.sizes = []
    album = str(uuid.uuid4())
    api.albums_[album] = ("Family", set())
    ids = [str(uuid.uuid4()) for _ in range(n)]
    result = ApplyResult()
    await send_chunks(api, Journal(tmp_path / "journal.jsonl"), "r", api._album(album), ids,
                      5000, result=result)  # fmt: skip
    assert api.sizes == sizes and result.added == n and api.albums_[album][1] == set(ids)
