"""Search API v2 (Immich 3.2+): request bodies and answers, never mixed with the flat shape.

A v2 body holds only ``filter``, ``orderBy``, ``cursor``, ``size`` and ``withExif``: any flat
field next to them is a 400 on 3.2+, and on 3.1 the whole ``filter`` is dropped silently (an
unfiltered search). Trash is excluded explicitly (``trashedAt: {eq: null}``; v2 has no implicit
exclusion) and visibility is only ever ``eq timeline`` or ``in [timeline, archive]`` (a condition
that could match ``locked`` is a 401 for an API key). An answer without the ``nextCursor`` key
comes from a server that ignored the filter: `FilterIgnored`, and the caller writes nothing.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ppl2album_tui.immich.errors import InvalidResponse
from ppl2album_tui.immich.models import Asset, Visibility
from ppl2album_tui.immich.search import ONLY_LOCKED, PAGE_SIZE, unique

ORDER = {"field": "fileCreatedAt", "direction": "asc"}
V2_KEYS = frozenset({"filter", "orderBy", "cursor", "size", "withExif"})


class FilterIgnored(InvalidResponse):
    """A v2 search answered without ``nextCursor``: the server dropped the filter."""


class V2Query(msgspec.Struct, frozen=True):
    """A v2 search: photos with any / all / none of these people, not in these albums.

    `visibility=None` means timeline and archive; otherwise ``"timeline"`` (or ``"archive"``).
    """

    any_people: tuple[str, ...] = ()
    all_people: tuple[str, ...] = ()
    none_people: tuple[str, ...] = ()
    not_in_albums: tuple[str, ...] = ()
    visibility: Visibility | None = "timeline"


def v2_filter(query: V2Query) -> dict[str, Any]:
    """The ``filter`` object of `query` (ids de-duplicated, trash excluded)."""
    if query.visibility in ("locked", "hidden"):
        raise ValueError("v2 searches ask for timeline or archive photos only")
    visibility: dict[str, Any] = (
        {"in": ["timeline", "archive"]} if query.visibility is None else {"eq": query.visibility}
    )
    out: dict[str, Any] = {"trashedAt": {"eq": None}, "visibility": visibility}
    people = {
        op: unique(ids)
        for op, ids in (("any", query.any_people), ("all", query.all_people),
                        ("none", query.none_people)) if ids
    }  # fmt: skip
    if people:
        out["personIds"] = people
    if query.not_in_albums:
        out["albumIds"] = {"none": unique(query.not_in_albums)}
    return out


def v2_body(query: V2Query, cursor: str | None = None, size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page's ``POST /search/metadata`` body: the same filter, order and size every page."""
    body: dict[str, Any] = {"filter": v2_filter(query), "orderBy": ORDER, "size": size}
    body["withExif"] = False
    if cursor is not None:
        body["cursor"] = cursor
    return body


def v2_statistics_body(query: V2Query) -> dict[str, Any]:
    """The ``POST /search/statistics`` body counting exactly what `query` matches."""
    return {"filter": v2_filter(query)}


def v2_page(data: object) -> tuple[list[Any], str | None]:
    """(raw items, next cursor or None) of a v2 answer; FilterIgnored without ``nextCursor``."""
    assets = data.get("assets") if isinstance(data, dict) else None
    items = assets.get("items") if isinstance(assets, dict) else None
    if not isinstance(assets, dict) or not isinstance(items, list):
        raise InvalidResponse(
            "The server sent an unexpected answer to a search: it has no list of assets."
        )
    if "nextCursor" not in assets:
        raise FilterIgnored(
            "The server ignored the search filter (it answered like Immich before 3.2); "
            "nothing was changed."
        )
    cursor = assets["nextCursor"]
    if cursor is not None and (not isinstance(cursor, str) or not cursor):
        raise InvalidResponse("The server sent an unexpected answer to a search: bad nextCursor.")
    return items, cursor


def v2_assets(items: list[Any]) -> list[Asset]:
    """The assets of a v2 page's raw items (locked ones dropped); InvalidResponse if malformed."""
    shown = [i for i in items if not (isinstance(i, dict) and i.get("visibility") in ONLY_LOCKED)]
    try:
        return msgspec.convert(shown, list[Asset])
    except msgspec.ValidationError as err:
        raise InvalidResponse(
            f"The server sent an unexpected answer to a search: an asset is malformed ({err})."
        ) from None
