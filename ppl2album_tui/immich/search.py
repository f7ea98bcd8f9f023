"""Request bodies and paging helpers for ``POST /api/search/metadata``."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import msgspec

from ppl2album_tui.immich.errors import InvalidResponse
from ppl2album_tui.immich.models import Asset, AssetQuery, AssetRef

PAGE_SIZE = 1000  # Immich's maximum
# Assets an API key may see but the "timeline and archive" view (visibility=None) drops.
NOT_TIMELINE_OR_ARCHIVE = frozenset({"hidden", "locked"})
ONLY_LOCKED = frozenset({"locked"})  # never shown to an API key anyway; dropped defensively


def unique(ids: Iterable[str]) -> list[str]:
    """`ids` without repeats, in first-seen order (Immich: a repeated id matches nothing)."""
    return list(dict.fromkeys(ids))


def iso(value: datetime) -> str:
    """An ISO-8601 timestamp with offset, as Immich requires; a naive datetime is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def metadata_body(query: AssetQuery, page: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    """The JSON body for one page of `query`: explicit filters, no EXIF, people only if asked.

    `visibility` is sent when set; `None` omits it (Immich then returns timeline, archive and
    hidden; the caller drops hidden items).
    """
    body: dict[str, Any] = {"page": page, "size": size, "withExif": False}
    if query.person_ids:
        body["personIds"] = unique(query.person_ids)
    if query.album_ids:
        body["albumIds"] = unique(query.album_ids)
    if query.type is not None:
        body["type"] = query.type
    if query.visibility is not None:
        body["visibility"] = query.visibility
    if query.is_favorite is not None:
        body["isFavorite"] = bool(query.is_favorite)
    if query.taken_after is not None:
        body["takenAfter"] = iso(query.taken_after)
    if query.taken_before is not None:
        body["takenBefore"] = iso(query.taken_before)
    if query.updated_after is not None:
        body["updatedAfter"] = iso(query.updated_after)
    if query.with_people:
        body["withPeople"] = True
    return body


ItemT = TypeVar("ItemT", Asset, AssetRef)


class _Items(msgspec.Struct, Generic[ItemT], gc=False):
    items: list[ItemT]
    next_page: str | int | None = msgspec.field(default=None, name="nextPage")


class _Answer(msgspec.Struct, Generic[ItemT], gc=False):
    assets: _Items[ItemT]


_ASSETS = msgspec.json.Decoder(_Answer[Asset])
_REFS = msgspec.json.Decoder(_Answer[AssetRef])


def read_assets(content: bytes, drop: Collection[str]) -> tuple[list[Asset], int | None]:
    """A search answer's assets whose visibility is not in `drop`, and the next page number.

    Raises msgspec's errors for bad JSON or the wrong shape (see `http.decode_with`)."""
    page = _ASSETS.decode(content).assets
    items = [a for a in page.items if a.visibility not in drop] if drop else page.items
    return items, next_page(page.next_page)


def read_asset_ids(content: bytes) -> tuple[list[str], int | None]:
    """A search answer's asset ids (any visibility but locked), and the next page number."""
    page = _REFS.decode(content).assets
    return [a.id for a in page.items if a.visibility not in ONLY_LOCKED], next_page(page.next_page)


def next_page(value: object) -> int | None:
    """Immich's ``nextPage`` (a string page number, or null) as an int; ints are accepted too."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise InvalidResponse("The server sent an unexpected answer to a search: bad nextPage.")
