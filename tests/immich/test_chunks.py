"""Bulk requests' chunks (`immich/chunks.py`): equal sizes, none over the limit, order kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ppl2album_tui.immich.chunks import add_chunks, even_chunks


def test_a_tail_is_spread_over_the_chunks() -> None:
    ids = [str(i) for i in range(10_095)]
    assert [len(c) for c in even_chunks(ids, 5000)] == [3365, 3365, 3365]
    assert [len(c) for c in even_chunks(ids[:10], 4)] == [4, 3, 3]
    assert even_chunks([], 5000) == []
    with pytest.raises(ValueError, match="at least 1"):
        even_chunks(ids, 0)


@given(st.integers(0, 3000), st.integers(1, 1200))
def test_as_few_chunks_as_the_limit_allows_in_order(n: int, size: int) -> None:
    ids = [str(i) for i in range(n)]
    chunks = even_chunks(ids, size)
    assert [i for c in chunks for i in c] == ids
    assert len(chunks) == -(-n // size)
    assert all(len(c) <= size for c in chunks)
    assert max(map(len, chunks), default=0) - min(map(len, chunks), default=0) <= 1


def test_a_small_first_chunk_when_there_are_several() -> None:
    ids = [str(i) for i in range(10_095)]
    assert [len(c) for c in add_chunks(ids, 5000, 500)] == [500, 4798, 4797]
    assert [len(c) for c in add_chunks(ids[:5000], 5000, 500)] == [5000]  # one: as is
    assert [len(c) for c in add_chunks(ids[:5500], 5000, 500)] == [500, 5000]
    assert [len(c) for c in add_chunks(ids[:7], 2, 500)] == [2, 2, 2, 1]  # the probe ≤ a chunk
    assert add_chunks([], 5000, 500) == []


@given(st.integers(0, 3000), st.integers(1, 1200), st.integers(1, 600))
def test_add_chunks_keep_every_id_in_order_within_the_limit(n: int, size: int, probe: int) -> None:
    ids = [str(i) for i in range(n)]
    chunks = add_chunks(ids, size, probe)
    assert [i for c in chunks for i in c] == ids
    assert all(0 < len(c) <= size for c in chunks)
    if len(chunks) > 1:
        assert len(chunks[0]) == min(probe, size)
