"""The Preview's "To remove" rows for photos the searches no longer find: the album read gives
their ids only, so the first few are read one by one (``GET /assets/{id}``) for their names."""

from __future__ import annotations

import asyncio

import msgspec

from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Asset

DETAILS_LIMIT = 60  # reads per preview; a bigger removal is held back by mirror mode's bound
NOT_READ = "(no longer found by the searches)"  # the name shown for a row not read


def bare(pairs: list[tuple[Asset, str]]) -> list[str]:
    """Ids of the rows known by id only (the planner's "no longer matches" ones)."""
    return [a.id for a, _ in pairs if not a.original_file_name]


async def with_details(
    client: ImmichClient, pairs: list[tuple[Asset, str]], limit: int = DETAILS_LIMIT
) -> list[tuple[Asset, str]]:
    """`pairs` with the first `limit` bare assets read from the server, concurrently; the others
    (and one that cannot be read) are named `NOT_READ`."""
    ids = bare(pairs)[:limit]
    answers = await asyncio.gather(*(client.asset(i) for i in ids), return_exceptions=True)
    found: dict[str, Asset] = {}
    for answer in answers:
        if isinstance(answer, Asset):
            found[answer.id] = answer
        elif not isinstance(answer, ImmichError):
            raise answer
    unread = {
        i: msgspec.structs.replace(Asset(i), original_file_name=NOT_READ) for i in bare(pairs)
    }
    return [(found.get(a.id) or unread.get(a.id, a), why) for a, why in pairs]
