"""The Immich 3.1 endpoint subset served by the demo server: routing, scopes and handlers."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

from ppl2album_tui.demo import clusters, dto, faces, scenes, users
from ppl2album_tui.demo.library import DemoAlbum, DemoAsset, Library
from ppl2album_tui.demo.routing import (
    ANY_KEY,
    JSON_TYPE,
    PUBLIC,
    ApiKey,
    Request,
    Response,
    Route,
    error_response,
    find_route,
    json_response,
    route,
    scope_table,
)
from ppl2album_tui.demo.search import SearchCache, parse_filter
from ppl2album_tui.demo.search_v2 import V2Search
from ppl2album_tui.demo.validate import ApiError, Checker, object_body
from ppl2album_tui.demo.versions import Profile


class Api:
    """Endpoint handlers over one `Library`; keeps small caches keyed on `library.version`."""

    def __init__(self, library: Library, profile: Profile | None = None) -> None:
        self.lib = library
        self.profile = profile or Profile.of()
        self.searches = SearchCache(library, clustered=self.profile.clustered)
        self.searches_v2 = V2Search(library)
        self._counts: tuple[int, dict[str, int]] = (-1, {})

    def dispatch(self, route_: Route, req: Request) -> Response:
        try:
            return route_.handler(self, req)
        except ApiError as err:
            return error_response(err)

    # ------------------------------------------------------------- helpers
    def path_id(self, req: Request, name: str = "id") -> str:
        value = req.params[name]
        c = Checker()
        c.uuid([name], value)
        c.done()
        return value

    def person_dto(self, p: Any) -> dict[str, Any]:
        """A PersonResponseDto in this server version's shape."""
        return self.profile.person(dto.person_dto(self.lib, p))

    def asset_dto(self, a: DemoAsset, *, with_people: bool, with_exif: bool) -> dict[str, Any]:
        """An AssetResponseDto whose people are in this server version's shape."""
        out = dto.asset_dto(self.lib, a, with_people=with_people, with_exif=with_exif)
        for person in out.get("people", ()):
            self.profile.person(person)
        return out

    # ------------------------------------------------- accounts (users.py)
    def caller(self, req: Request) -> str:
        """The user id of the request's API key."""
        return (req.key.user_id if req.key else None) or self.lib.user.id

    def owns(self, req: Request, obj: Any) -> bool:
        """Whether the caller owns a person, asset or album."""
        return users.owner_of(self.lib, obj) == self.caller(req)

    def timeline_owners(self, req: Request) -> frozenset[str | None] | None:
        """Owner ids whose photos the caller's searches see (theirs and their partners' in the
        timeline); None while the library has one account (everybody's, partners' included)."""
        if not self.lib.users:
            return None
        mine = users.partner_owners(self.lib, self.caller(req), timeline_only=True)
        return frozenset(users.owner_key(self.lib, u) for u in mine)

    def may_share(self, req: Request) -> Any:
        """Immich's AssetShare access as a predicate: the caller's and their partners' photos."""
        lib = self.lib
        allowed = users.partner_owners(lib, self.caller(req), timeline_only=False)
        return lambda a: users.owner_of(lib, a) in allowed

    def may_read(self, req: Request, asset: DemoAsset) -> bool:
        """AssetRead: owned, a partner's, or in an album the caller is a member of."""
        if self.may_share(req)(asset):
            return True
        me = self.caller(req)
        return any(
            asset.id in a.asset_ids and users.album_role(self.lib, a, me) is not None
            for a in self.lib.albums.values()
        )

    def role(self, req: Request, album: DemoAlbum) -> str | None:
        """The caller's role in `album` ("owner", "editor", "viewer") or None."""
        return users.album_role(self.lib, album, self.caller(req))

    def timeline_counts(self) -> dict[str, int]:
        """person id -> faces on timeline, non-trashed assets (cached per library version)."""
        with self.lib.lock:
            if self._counts[0] != self.lib.version:
                counts = {pid: self.lib.timeline_count(pid) for pid in self.lib.people}
                self._counts = (self.lib.version, counts)
            return self._counts[1]


# ---------------------------------------------------------------- server
@route("GET", "/server/ping", PUBLIC)
def ping(api: Api, req: Request) -> Response:
    return json_response({"res": "pong"})


@route("GET", "/server/version", PUBLIC)
def version(api: Api, req: Request) -> Response:
    major, minor, patch = api.profile.version
    return json_response({"major": major, "minor": minor, "patch": patch, "prerelease": None})


@route("GET", "/server/features", PUBLIC)
def features(api: Api, req: Request) -> Response:
    return json_response(dto.features_dto())


@route("GET", "/server/about", "server.about")
def about(api: Api, req: Request) -> Response:
    return json_response(dto.about_dto(api.profile.version))


@route("GET", "/users/me", "user.read")
def users_me(api: Api, req: Request) -> Response:
    me = users.user_by_id(api.lib, api.caller(req))
    group = clusters.group_of(api.lib, api.caller(req))
    return json_response(api.profile.user(dto.user_admin_dto(api.lib, me), group))


@route("GET", "/api-keys/me", ANY_KEY)
def api_key_me(api: Api, req: Request) -> Response:
    key = req.key
    assert key is not None
    return json_response(
        {
            "id": key.id,
            "name": key.name,
            "permissions": key.permissions,
            "createdAt": dto.iso(key.created_at),
            "updatedAt": dto.iso(key.created_at),
        }
    )


# ---------------------------------------------------------------- people
@route("GET", "/people", "person.read")
def people(api: Api, req: Request) -> Response:
    c = Checker()
    page = c.query_int(req.query, "page", 1, 9007199254740991) or 1
    size = c.query_int(req.query, "size", 1, 1000) or 500
    with_hidden = c.query_bool(req.query, "withHidden") or False
    c.query_uuid(req.query, "closestPersonId")
    c.query_uuid(req.query, "closestAssetId")
    c.done()
    lib = api.lib
    with lib.lock:
        me, counts = api.caller(req), dict(api.timeline_counts())
        for p in lib.people.values():
            if me in p.members:  # a cluster group's person: the caller's own photos of them
                counts[p.id] = clusters.own_count(lib, p.id, me)
        present = [
            p
            for p in lib.people.values()
            if counts.get(p.id, 0) > 0 and clusters.has_person(lib, me, p)
        ]
        listed = [
            p for p in present if (p.name or counts[p.id] >= 3) and (with_hidden or not p.is_hidden)
        ]
        # person.repository getAllForUser: hidden last, favourites first, named first,
        # then face count desc, name, createdAt
        listed.sort(
            key=lambda p: (
                p.is_hidden,
                not p.is_favorite,
                p.name == "",
                -counts[p.id],
                p.name,
                p.created_at,
            )
        )
        start = (page - 1) * size
        chunk = listed[start : start + size]
        return json_response(
            {
                "people": [api.person_dto(p) for p in chunk],
                "total": len(present),
                "hidden": sum(1 for p in present if p.is_hidden),
                "hasNextPage": start + size < len(listed),
            }
        )


def _person(api: Api, req: Request) -> Any:
    pid = api.path_id(req)
    person = api.lib.people.get(pid)
    if person is None or not clusters.has_person(api.lib, api.caller(req), person):
        raise ApiError(400, "Not found or no person.read access")
    return person


@route("GET", "/people/{id}", "person.read")
def person(api: Api, req: Request) -> Response:
    return json_response(api.person_dto(_person(api, req)))


@route("PUT", "/people/{id}", "person.update")
def update_person(api: Api, req: Request) -> Response:
    """Name, birth date (``YYYY-MM-DD`` or null), hidden, favourite, colour."""
    body = object_body(req.body)
    c = Checker()
    name = c.string(["name"], body.get("name"))
    birth = body.get("birthDate")
    if birth is not None and not (isinstance(birth, str) and _valid_date(birth)):
        c._issue(["birthDate"], "invalid_format", "Invalid ISO date", format="date")
    elif isinstance(birth, str) and birth > datetime.now(UTC).date().isoformat():
        c._issue(["birthDate"], "custom", "Birth date cannot be in the future")
    flags = {k: c.boolean([k], body.get(k)) for k in ("isHidden", "isFavorite")}
    color = c.string(["color"], body.get("color"))
    c.uuid(["featureFaceAssetId"], body.get("featureFaceAssetId"))
    c.done()
    lib = api.lib
    with lib.lock:
        p = _person(api, req)
        if name is not None:
            p.name = name
        if "birthDate" in body:
            p.birth_date = birth
        if flags["isHidden"] is not None:
            p.is_hidden = flags["isHidden"]
        if flags["isFavorite"] is not None:
            p.is_favorite = flags["isFavorite"]
        if color is not None:
            p.color = color
        p.updated_at = lib._now()
        lib._touch()
        return json_response(api.person_dto(p))


def _valid_date(text: str) -> bool:
    try:
        return len(text) == 10 and date.fromisoformat(text) is not None
    except ValueError:
        return False


@route("GET", "/people/{id}/statistics", "person.statistics")
def person_statistics(api: Api, req: Request) -> Response:
    p = _person(api, req)
    me = api.caller(req)
    if me in p.members:
        return json_response({"assets": clusters.own_count(api.lib, p.id, me)})
    return json_response({"assets": api.lib.timeline_count(p.id)})


@route("GET", "/people/{id}/thumbnail", "person.read")
def person_thumbnail(api: Api, req: Request) -> Response:
    p = _person(api, req)
    data = faces.person_jpeg(p.look)
    return Response(
        200,
        data,
        "image/jpeg",
        {"Cache-Control": "private, no-cache, no-transform", "ETag": f'"{p.id[:8]}-{p.look}"'},
    )


@route("GET", "/search/person", "person.read")
def search_person(api: Api, req: Request) -> Response:
    c = Checker()
    name = req.query.get("name")
    with_hidden = c.query_bool(req.query, "withHidden") or False
    if name is None:
        c.type_error(["name"], "string", None)
    c.done()
    needle = (name or "").lower()
    found = [
        p
        for p in api.lib.people.values()
        if p.name
        and any(word.startswith(needle) for word in p.name.lower().split())
        and (with_hidden or not p.is_hidden)
        and clusters.has_person(api.lib, api.caller(req), p)
    ]
    return json_response([api.person_dto(p) for p in found])


# ---------------------------------------------------------------- search
@route("POST", "/search/metadata", "asset.read")
def search_metadata(api: Api, req: Request) -> Response:
    body = object_body(req.body)
    if api.profile.search_shape(body, "POST /search/metadata"):
        chunk, cursor = api.searches_v2.page(body, _search_owners(api, req, body))
        return _search_answer(api, body, chunk, b"null", json.dumps(cursor).encode())
    c = Checker()
    f = parse_filter(body, c)
    page = c.integer(["page"], body.get("page"), 1, 9007199254740991) or 1
    size = c.integer(["size"], body.get("size"), 1, 1000) or 250
    order = c.choice(["order"], body.get("order"), ("asc", "desc")) or "desc"
    c.done()
    if f.visibility == "locked":
        raise ApiError(401, "Elevated permission is required")
    matches = api.searches.search(_for_caller(api, req, f))
    start = (page - 1) * size
    if order == "desc":
        end = len(matches) - start
        chunk = list(reversed(matches[max(0, end - size) : max(0, end)]))
    else:
        chunk = matches[start : start + size]
    has_next = start + size < len(matches)
    next_page = json.dumps(str(page + 1) if has_next else None).encode()
    return _search_answer(api, body, chunk, next_page, None)


def _search_answer(
    api: Api, body: Any, chunk: list[DemoAsset], next_page: bytes, next_cursor: bytes | None
) -> Response:
    """A SearchResponseDto; `next_cursor` None: the flat path (null from 3.2, absent on 3.1)."""
    with_people = body.get("withPeople") is True
    with_exif = body.get("withExif") is True
    with api.lib.lock:
        if with_people or with_exif:
            items = [
                json.dumps(
                    api.asset_dto(a, with_people=with_people, with_exif=with_exif),
                    separators=(",", ":"),
                ).encode()
                for a in chunk
            ]
        else:
            items = [dto.asset_json(api.lib, a) for a in chunk]
    tail = api.profile.legacy_tail() if next_cursor is None else b',"nextCursor":' + next_cursor
    body_bytes = b"".join(
        [
            b'{"albums":{"total":0,"count":0,"items":[],"facets":[]},"assets":{"total":',
            str(len(items)).encode(),
            b',"count":',
            str(len(items)).encode(),
            b',"items":[',
            b",".join(items),
            b'],"facets":[],"nextPage":',
            next_page,
            tail,
            b"}}",
        ]
    )
    return Response(200, body_bytes)


@route("POST", "/search/statistics", "asset.statistics")
def search_statistics(api: Api, req: Request) -> Response:
    body = object_body(req.body)
    if api.profile.search_shape(body, "POST /search/statistics"):
        owners = _search_owners(api, req, body)
        return json_response({"total": len(api.searches_v2.matches(body, Checker(), owners))})
    c = Checker()
    f = parse_filter(body, c)
    c.done()
    if f.visibility == "locked":
        raise ApiError(401, "Elevated permission is required")
    return json_response({"total": len(api.searches.search(_for_caller(api, req, f)))})


def _search_owners(api: Api, req: Request, body: Any) -> frozenset[str | None] | None:
    """Whose photos a search sees: the caller's timeline; with albums, what those hold (after
    Immich's album.read check)."""
    raw = body.get("filter")
    album_ids = body.get("albumIds")
    if isinstance(raw, dict) and isinstance(raw.get("albumIds"), dict):
        v2 = raw["albumIds"]
        album_ids = [i for op in ("any", "all") if isinstance(v2.get(op), list) for i in v2[op]]
    if not isinstance(album_ids, list) or not album_ids:
        return api.timeline_owners(req)
    for album_id in album_ids:
        album_ = api.lib.albums.get(album_id) if isinstance(album_id, str) else None
        if album_ is not None and api.role(req, album_) is None:
            raise ApiError(400, "Not found or no album.read access")
    return None


def _for_caller(api: Api, req: Request, f: Any) -> Any:
    """`f` limited to what the caller sees (unchanged while the library has one account)."""
    if not api.lib.users:
        return f
    if f.album_ids:
        _search_owners(api, req, {"albumIds": list(f.album_ids)})
        owners = None
    else:
        owners = api.timeline_owners(req)
    return dataclasses.replace(f, owners=owners)


# ---------------------------------------------------------------- assets
def _asset(api: Api, req: Request, perm: str) -> DemoAsset:
    aid = api.path_id(req)
    asset = api.lib.assets.get(aid)
    if asset is None or asset.visibility == "locked" or not api.may_read(req, asset):
        raise ApiError(400, f"Not found or no {perm} access")
    return asset


def _scene(api: Api, asset: DemoAsset, size: str) -> tuple[bytes, str]:
    """The drawn scene of `asset` with the faces of its people: (bytes, content type)."""
    with api.lib.lock:
        looks = tuple(api.lib.people[p].look for p in asset.people if p in api.lib.people)
    taken = asset.file_created_at.date()
    return scenes.asset_image(asset.look, looks, asset.type == "VIDEO", taken, size)


@route("GET", "/assets/{id}", "asset.read")
def asset_info(api: Api, req: Request) -> Response:
    asset = _asset(api, req, "asset.read")
    with api.lib.lock:
        return json_response(api.asset_dto(asset, with_people=True, with_exif=True))


@route("GET", "/assets/{id}/thumbnail", "asset.view")
def asset_thumbnail(api: Api, req: Request) -> Response:
    c = Checker()
    size = c.choice(
        ["size"], req.query.get("size"), ("original", "fullsize", "preview", "thumbnail")
    )
    c.query_bool(req.query, "edited")
    c.done()
    if size in ("original", "fullsize"):
        return Response(
            302, b"", "text/plain", {"Location": f"/api/assets/{req.params['id']}/original"}
        )
    asset = _asset(api, req, "asset.view")
    size = size or "thumbnail"
    data, ctype = _scene(api, asset, size)
    ext = "webp" if ctype == "image/webp" else "jpeg"
    stem = asset.original_file_name.rsplit(".", 1)[0]
    return Response(
        200,
        data,
        ctype,
        {
            "Cache-Control": "private, max-age=86400, no-transform",
            "ETag": f'"{asset.thumbhash}"',
            "Content-Disposition": f'inline; filename="{stem}_{size}.{ext}"',
        },
    )


@route("GET", "/assets/{id}/original", "asset.download")
def asset_original(api: Api, req: Request) -> Response:
    data, ctype = _scene(api, _asset(api, req, "asset.download"), "preview")
    return Response(200, data, ctype, {"Cache-Control": "private, max-age=86400, no-transform"})


# ---------------------------------------------------------------- albums
def _album_or_400(
    api: Api, req: Request, access: str | None = None, roles: tuple[str, ...] = ()
) -> Any:
    """The album of the path; a missing one is a 400 whose message depends on the endpoint:
    Immich checks access first ("Not found or no <access> access") except when adding assets,
    where it looks the album up first ("Album not found"). With `roles`, a caller without one
    of them is refused with "Not found or no <access> access"."""
    aid = api.path_id(req)
    album = api.lib.albums.get(aid)
    if album is None:
        raise ApiError(400, f"Not found or no {access} access" if access else "Album not found")
    if roles and api.role(req, album) not in roles:
        raise ApiError(400, f"Not found or no {access} access")
    return album


_MEMBERS = ("owner", "editor", "viewer")
_EDITORS = ("owner", "editor")


@route("GET", "/albums", "album.read")
def albums(api: Api, req: Request) -> Response:
    c = Checker()
    is_owned = c.query_bool(req.query, "isOwned")
    is_shared = c.query_bool(req.query, "isShared")
    asset_id = c.query_uuid(req.query, "assetId")
    album_id = c.query_uuid(req.query, "id")
    c.done()
    lib = api.lib
    with lib.lock:
        roles = {a.id: api.role(req, a) for a in lib.albums.values()}
        found = [a for a in lib.albums.values() if roles[a.id] is not None]
        if asset_id is not None:
            found = [a for a in found if asset_id in a.asset_ids]
        else:
            if album_id is not None:
                found = [a for a in found if a.id == album_id]
            if "name" in req.query:
                found = [a for a in found if a.name == req.query["name"]]
            if is_owned is not None:
                found = [a for a in found if (roles[a.id] == "owner") == is_owned]
            if is_shared is not None:
                found = [a for a in found if dto.album_dto(lib, a)["shared"] == is_shared]
        found.sort(key=lambda a: a.created_at, reverse=True)
        return json_response([dto.album_dto(lib, a) for a in found])


@route("GET", "/albums/{id}", "album.read")
def album(api: Api, req: Request) -> Response:
    with api.lib.lock:
        album_ = _album_or_400(api, req, "album.read", _MEMBERS)
        return json_response(dto.album_dto(api.lib, album_))


@route("POST", "/albums", "album.create")
def create_album(api: Api, req: Request) -> Response:
    body = object_body(req.body)
    c = Checker()
    name = c.string(["albumName"], c.required(body, "albumName", "string"))
    description = c.string(["description"], body.get("description")) or ""
    ids = c.uuid_list(["assetIds"], body.get("assetIds")) or []
    members = sharing.album_users(c, body.get("albumUsers"), role_required=True)
    c.done()
    with api.lib.lock:
        for user_id, _role in members:  # album.service create: checked before anything is made
            if users.user_by_id(api.lib, user_id) is None:
                raise ApiError(400, "User not found")
            if user_id == api.caller(req):
                raise ApiError(400, "Cannot share album with owner")
        shareable = api.may_share(req)
        ids = [i for i in ids if i in api.lib.assets and shareable(api.lib.assets[i])]
        created = api.lib.create_album(name or "", ids, description)
        created.owner_id = users.owner_key(api.lib, api.caller(req))
        created.members = dict(members)
        return json_response(dto.album_dto(api.lib, created), 201)


@route("DELETE", "/albums/{id}", "album.delete")
def delete_album(api: Api, req: Request) -> Response:
    with api.lib.lock:
        album_ = _album_or_400(api, req, "album.delete", ("owner",))
        api.lib.delete_album(album_.id)
    return Response(204, b"", "text/plain")


def _bulk_ids(req: Request, key: str = "ids") -> list[str]:
    body = object_body(req.body)
    c = Checker()
    ids = c.uuid_list([key], c.required(body, key, "array"))
    c.done()
    return ids or []


@route("PUT", "/albums/{id}/assets", "albumAsset.create")
def add_assets(api: Api, req: Request) -> Response:
    ids = _bulk_ids(req)
    with api.lib.lock:
        album_ = _album_or_400(api, req)
        if api.role(req, album_) not in _EDITORS:
            raise ApiError(400, "Not found or no albumAsset.create access")
        if not api.lib.users:  # one account: all its photos and its partners' may be shared
            return json_response(api.lib.add_to_album(album_.id, ids))
        return json_response(api.lib.add_to_album(album_.id, ids, may_share=api.may_share(req)))


@route("DELETE", "/albums/{id}/assets", "albumAsset.delete")
def remove_assets(api: Api, req: Request) -> Response:
    ids = _bulk_ids(req)
    with api.lib.lock:
        album_ = _album_or_400(api, req, "albumAsset.delete", _EDITORS)
        if api.role(req, album_) == "owner":
            return json_response(api.lib.remove_from_album(album_.id, ids))
        # an editor removes only their own photos
        assets = api.lib.assets
        mine = [i for i in ids if i in assets and api.owns(req, assets[i])]
        done = {r["id"]: r for r in api.lib.remove_from_album(album_.id, mine)}
        refused = {"success": False, "error": "no_permission"}
        missing = {"success": False, "error": "not_found"}
        return json_response(
            [
                done.get(i) or {"id": i, **(refused if i in album_.asset_ids else missing)}
                for i in ids
            ]
        )


@route("PUT", "/albums/assets", "albumAsset.create")
def add_assets_to_albums(api: Api, req: Request) -> Response:
    body = object_body(req.body)
    c = Checker()
    album_ids = c.uuid_list(["albumIds"], c.required(body, "albumIds", "array")) or []
    asset_ids = c.uuid_list(["assetIds"], c.required(body, "assetIds", "array")) or []
    c.done()
    lib = api.lib
    with lib.lock:
        targets = [
            lib.albums[a]
            for a in album_ids
            if a in lib.albums and api.role(req, lib.albums[a]) in _EDITORS
        ]
        shareable = api.may_share(req)
        ok_assets = [
            a
            for a in asset_ids
            if a in lib.assets and lib.assets[a].visibility != "locked" and shareable(lib.assets[a])
        ]
        if not targets or not ok_assets:
            return json_response({"success": False, "error": "no_permission"})
        outcomes = [r for album_ in targets for r in lib.add_to_album(album_.id, ok_assets)]
        if not any(r["success"] for r in outcomes):
            return json_response({"success": False, "error": "duplicate"})
    return json_response({"success": True})


def new_key(name: str, permissions: list[str], secret: str, user_id: str | None = None) -> ApiKey:
    """An API key record for the server's key table (`user_id`: its account, default the
    library's user)."""
    return ApiKey(str(uuid.uuid4()), name, secret, list(permissions), datetime.now(UTC), user_id)


__all__ = [
    "ANY_KEY",
    "JSON_TYPE",
    "PUBLIC",
    "Api",
    "ApiKey",
    "Request",
    "Response",
    "find_route",
    "json_response",
    "new_key",
    "scope_table",
]

from ppl2album_tui.demo import merge, sharing  # noqa: E402, F401  (register their routes)
