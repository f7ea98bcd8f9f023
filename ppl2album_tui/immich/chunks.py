"""Splitting the ids of a bulk album request into chunks."""

from __future__ import annotations

from collections.abc import Sequence


def even_chunks(ids: Sequence[str], size: int) -> list[list[str]]:
    """`ids` in ⌈n/size⌉ chunks of at most `size`, as equal as can be: 10,095 ids by 5,000 are
    three chunks of 3,365, not two of 5,000 and a tail of 95 (a request of its own), and chunks
    sent side by side finish together."""
    if size < 1:
        raise ValueError("chunk_size must be at least 1")
    count = -(-len(ids) // size)
    out: list[list[str]] = []
    start = 0
    for n in range(count):
        end = start + len(ids) // count + (1 if n < len(ids) % count else 0)
        out.append(list(ids[start:end]))
        start = end
    return out


def add_chunks(ids: Sequence[str], size: int, probe: int) -> list[list[str]]:
    """How the ids of a bulk add are cut: what fits in one chunk as one; more as a first chunk of
    at most `probe` ids, to be sent alone, then `even_chunks` of the rest (10,095 ids by 5,000
    with a probe of 500: 500, 4,798 and 4,797). A deleted album or a revoked key then costs one
    cheap request, and the big chunks after it can go side by side at once."""
    if len(ids) <= size:
        return even_chunks(ids, size)
    head = min(probe, size)
    return [list(ids[:head]), *even_chunks(ids[head:], size)]
