"""Metadata search over the demo library with Immich 3.1 semantics (see immich-api-notes §2.2).

personIds and albumIds mean ALL (a repeated id matches nothing, as count(distinct) = n can never
hold); the default visibility is timeline + archive + hidden, never locked; trashed assets only
with withDeleted (or a trashed* range / isOffline). Matches are ordered by (fileCreatedAt, id).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ppl2album_tui.demo.library import DemoAsset, Library
from ppl2album_tui.demo.validate import ApiError, Checker

ASSET_TYPES = ("IMAGE", "VIDEO", "AUDIO", "OTHER")
VISIBILITIES = ("archive", "timeline", "hidden", "locked")
DEFAULT_VISIBILITIES = frozenset({"timeline", "archive", "hidden"})
_RANGES = (
    "takenAfter",
    "takenBefore",
    "updatedAfter",
    "updatedBefore",
    "createdAfter",
    "createdBefore",
    "trashedAfter",
    "trashedBefore",
)


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """The filters of a MetadataSearchDto (hashable: it keys the result cache)."""

    person_ids: tuple[str, ...] = ()
    album_ids: tuple[str, ...] = ()
    asset_id: str | None = None
    type: str | None = None
    visibility: str | None = None
    is_favorite: bool | None = None
    is_not_in_album: bool | None = None
    with_deleted: bool = False
    file_name: str | None = None  # lower-cased, matched as a substring
    # (after, before) pairs, inclusive: fileCreatedAt, updatedAt, createdAt, deletedAt
    taken: tuple[datetime | None, datetime | None] = (None, None)
    updated: tuple[datetime | None, datetime | None] = (None, None)
    created: tuple[datetime | None, datetime | None] = (None, None)
    trashed: tuple[datetime | None, datetime | None] = (None, None)
    # whose photos the caller sees (owner ids, None = the library's user); None: everybody's
    owners: frozenset[str | None] | None = None


def parse_filter(body: Mapping[str, Any], c: Checker) -> SearchFilter:
    """Validate the filter fields of `body` into `c` (call `c.done()` afterwards)."""
    for key in ("isMotion", "isEncoded", "withStacked", "withExif", "withPeople"):
        c.boolean([key], body.get(key))
    is_offline = c.boolean(["isOffline"], body.get("isOffline"))
    d = [c.datetime([k], body.get(k)) for k in _RANGES]
    name = c.string(["originalFileName"], body.get("originalFileName"))
    trashed = (d[6], d[7])
    with_deleted = c.boolean(["withDeleted"], body.get("withDeleted"))
    return SearchFilter(
        person_ids=tuple(c.uuid_list(["personIds"], body.get("personIds")) or ()),
        album_ids=tuple(c.uuid_list(["albumIds"], body.get("albumIds")) or ()),
        asset_id=c.uuid(["id"], body.get("id")),
        type=c.choice(["type"], body.get("type"), ASSET_TYPES),
        visibility=c.choice(["visibility"], body.get("visibility"), VISIBILITIES),
        is_favorite=c.boolean(["isFavorite"], body.get("isFavorite")),
        is_not_in_album=c.boolean(["isNotInAlbum"], body.get("isNotInAlbum")),
        with_deleted=bool(with_deleted) or is_offline is not None or trashed != (None, None),
        file_name=name.lower() if name is not None else None,
        taken=(d[0], d[1]),
        updated=(d[2], d[3]),
        created=(d[4], d[5]),
        trashed=trashed,
    )


def _within(value: datetime | None, bounds: tuple[datetime | None, datetime | None]) -> bool:
    after, before = bounds
    if after is None and before is None:
        return True
    if value is None:
        return False
    return (after is None or value >= after) and (before is None or value <= before)


def run_search(lib: Library, f: SearchFilter, clustered: bool = False) -> list[DemoAsset]:
    """Every match, ascending by (fileCreatedAt, id); call with `lib.lock` held.

    `clustered` (Immich 3.2+): person ids are cluster-group ids and match partners' photos too;
    on 3.1 a person's id matches photos of the person's owner only (the caller's own people on
    theirs; a partner's person, searched with the caller's key, on the partner's)."""
    if len(set(f.person_ids)) != len(f.person_ids):
        return []  # count(distinct personId) = len(personIds) can never hold
    candidates: set[str] | None = None
    id_sets: list[Iterable[str]] = [lib.faces.get(p, ()) for p in f.person_ids]
    id_sets += [lib.albums[a].asset_ids for a in f.album_ids]
    if f.asset_id is not None:
        id_sets.append((f.asset_id,))
    for ids in id_sets:
        candidates = set(ids) if candidates is None else candidates.intersection(ids)
    if candidates is None:
        pool: Iterable[DemoAsset] = lib.sorted_assets()
    else:
        found = (lib.assets[i] for i in candidates if i in lib.assets)
        pool = sorted(found, key=lambda a: a.sort_key)
    in_albums: set[str] = set()
    if f.is_not_in_album is not None:
        for album in lib.albums.values():
            in_albums.update(album.asset_ids)
    allowed = {f.visibility} if f.visibility is not None else DEFAULT_VISIBILITIES
    faces_of = {lib.people[p].owner_id for p in f.person_ids if p in lib.people}
    any_owner = clustered or not f.person_ids
    return [
        a
        for a in pool
        if a.visibility in allowed
        and (a.deleted_at is None or f.with_deleted)
        and (f.type is None or a.type == f.type)
        and (f.is_favorite is None or a.is_favorite == f.is_favorite)
        and (f.is_not_in_album is None or (a.id not in in_albums) == f.is_not_in_album)
        and (f.file_name is None or f.file_name in a.original_file_name.lower())
        and _within(a.file_created_at, f.taken)
        and _within(a.updated_at, f.updated)
        and _within(a.created_at, f.created)
        and _within(a.deleted_at, f.trashed)
        and (any_owner or faces_of == {a.owner_id})
        and (f.owners is None or a.owner_id in f.owners)
    ]


class SearchCache:
    """Recent search results keyed on the filter and the library version (paging is cheap)."""

    def __init__(self, library: Library, size: int = 32, clustered: bool = False) -> None:
        self.lib = library
        self.size = size
        self.clustered = clustered
        self._hits: OrderedDict[tuple[Any, ...], list[DemoAsset]] = OrderedDict()

    def search(self, f: SearchFilter) -> list[DemoAsset]:
        """Matches of `f` (cached); an unknown album in albumIds is Immich's access-check 400."""
        lib = self.lib
        with lib.lock:
            for album_id in f.album_ids:
                if album_id not in lib.albums:
                    raise ApiError(400, "Not found or no album.read access")
            # album sizes too, so that tests poking `album.asset_ids` directly see fresh results
            sizes = tuple(len(lib.albums[a].asset_ids) for a in f.album_ids)
            key = (lib.version, sizes, f)
            hit = self._hits.get(key)
            if hit is None:
                hit = self._hits[key] = run_search(lib, f, self.clustered)
                while len(self._hits) > self.size:
                    self._hits.popitem(last=False)
            else:
                self._hits.move_to_end(key)
            return hit
