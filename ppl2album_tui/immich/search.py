"""Request bodies and paging helpers for ``POST /api/search/metadata``."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any

from ppl2album_tui.immich.errors import InvalidResponse
from ppl2album_tui.immich.models import AssetQuery

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


def assets_page(data: object) -> tuple[list[Any], int | None]:
    """Split a search answer into (raw items, next page number or None); InvalidResponse if bad."""
    assets = data.get("assets") if isinstance(data, dict) else None
    items = assets.get("items") if isinstance(assets, dict) else None
    if not isinstance(items, list):
        raise InvalidResponse(
            "The server sent an unexpected answer to a search: it has no list of assets."
        )
    return items, next_page(assets.get("nextPage") if isinstance(assets, dict) else None)


def next_page(value: object) -> int | None:
    """Immich's ``nextPage`` (a string page number, or null) as an int; ints are accepted too."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise InvalidResponse("The server sent an unexpected answer to a search: bad nextPage.")


def visible_items(items: list[Any], drop: Collection[str]) -> list[Any]:
    """Raw search items whose ``visibility`` is not in `drop`."""
    return [i for i in items if not (isinstance(i, dict) and i.get("visibility") in drop)]
