"""The demo server's accounts and sharing endpoints (Immich 3.1 `user.service`, `album.service`
addUsers/removeUser/updateUser and `shared-link.service`).

- ``GET /users`` lists every account (Immich's default ``server.publicUsers = true``).
- Album members: only the owner may add (``PUT /albums/{id}/users``), change a role or remove
  someone (access ``album.share``); a member may remove themselves (``userId`` = their id or
  ``me``). Errors are 400s with Immich's messages ("Cannot be shared with owner", "User already
  added", "User not found", "Cannot remove album owner", "Album not shared with user").
- Shared links: an ``ALBUM`` link needs ``album.share`` access (the owner); the key is 50 random
  bytes in base64url (the URL is ``<server>/share/<key>``); ``password`` is answered as given.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ppl2album_tui.demo import dto, users
from ppl2album_tui.demo.library import make_uuid4
from ppl2album_tui.demo.routing import Request, Response, json_response, route
from ppl2album_tui.demo.validate import ApiError, Checker, object_body

if TYPE_CHECKING:
    from ppl2album_tui.demo.api import Api

ROLES = ("editor", "owner", "viewer")


@dataclass(slots=True)
class SharedLink:
    id: str
    key: str
    user_id: str
    album_id: str | None
    created_at: datetime
    expires_at: datetime | None = None
    password: str | None = None
    description: str | None = None
    allow_download: bool = True
    allow_upload: bool = True
    show_metadata: bool = True
    slug: str | None = None
    asset_ids: list[str] = field(default_factory=list)


@route("GET", "/users", "user.read")
def list_users(api: Api, req: Request) -> Response:
    return json_response([dto.user_dto(api.lib, u) for u in users.accounts(api.lib)])


def _owned_album(api: Api, req: Request) -> Any:
    """The path's album, for its owner only (Immich's album.share access)."""
    album = api.lib.albums.get(api.path_id(req))
    if album is None or api.role(req, album) != "owner":
        raise ApiError(400, "Not found or no album.share access")
    return album


@route("PUT", "/albums/{id}/users", "albumUser.create")
def add_album_users(api: Api, req: Request) -> Response:
    body = object_body(req.body)
    c = Checker()
    raw = c.required(body, "albumUsers", "array")
    if isinstance(raw, list) and not raw:
        c._issue(["albumUsers"], "too_small", "Too small: expected array to have >=1 items")
    wanted = album_users(c, raw, role_required=False)
    c.done()
    lib = api.lib
    with lib.lock:
        album = _owned_album(api, req)
        for user_id, role in wanted:  # one by one, as Immich does: earlier adds stay
            if user_id == users.owner_of(lib, album):
                raise ApiError(400, "Cannot be shared with owner")
            if user_id in album.members:
                raise ApiError(400, "User already added")
            if users.user_by_id(lib, user_id) is None:
                raise ApiError(400, "User not found")
            album.members[user_id] = role
            album.updated_at = lib._now()
            lib._touch()
        return json_response(dto.album_dto(lib, album))


def album_users(c: Checker, raw: object, role_required: bool) -> list[tuple[str, str]]:
    """(user id, role) of an ``albumUsers`` list, its issues recorded in `c`; a missing role is
    ``editor`` (AlbumUserAddDto) unless `role_required` (AlbumUserCreateDto)."""
    wanted: list[tuple[str, str]] = []
    if raw is None or not isinstance(raw, list):
        if raw is not None:
            c.type_error(["albumUsers"], "array", raw)
        return wanted
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            c.type_error(["albumUsers", i], "object", item)
            continue
        user_id = c.uuid(["albumUsers", i, "userId"], c.required(item, "userId", "string"))
        role_raw = c.required(item, "role", "string") if role_required else item.get("role")
        role = c.choice(["albumUsers", i, "role"], role_raw, ROLES) or "editor"
        wanted.append((user_id or "", role))
    return wanted


def _member(api: Api, req: Request) -> tuple[Any, str]:
    album = api.lib.albums.get(api.path_id(req))
    if album is None:
        raise ApiError(400, "Album not found")
    user_id = req.params["userId"]
    return album, api.caller(req) if user_id == "me" else user_id


@route("DELETE", "/albums/{id}/user/{userId}", "albumUser.delete")
def remove_album_user(api: Api, req: Request) -> Response:
    lib = api.lib
    with lib.lock:
        album, user_id = _member(api, req)
        if user_id == users.owner_of(lib, album):
            raise ApiError(400, "Cannot remove album owner")
        if user_id not in album.members:
            raise ApiError(400, "Album not shared with user")
        if user_id != api.caller(req) and api.role(req, album) != "owner":
            raise ApiError(400, "Not found or no album.share access")
        del album.members[user_id]
        lib._touch()
    return Response(204, b"", "text/plain")


@route("PUT", "/albums/{id}/user/{userId}", "albumUser.update")
def update_album_user(api: Api, req: Request) -> Response:
    body = object_body(req.body)
    c = Checker()
    role = c.choice(["role"], c.required(body, "role", "string"), ROLES)
    c.done()
    lib = api.lib
    with lib.lock:
        album = _owned_album(api, req)
        user_id = req.params["userId"]
        if user_id in album.members and role is not None:  # Immich's UPDATE of no row: a 204
            album.members[user_id] = role
            lib._touch()
    return Response(204, b"", "text/plain")


# ---------------------------------------------------------------- shared links
def link_dto(api: Api, link: SharedLink) -> dict[str, Any]:
    """A SharedLinkResponseDto."""
    album = api.lib.albums.get(link.album_id) if link.album_id else None
    out: dict[str, Any] = {
        "id": link.id,
        "description": link.description,
        "password": link.password,
        "userId": link.user_id,
        "key": link.key,
        "type": "ALBUM" if link.album_id else "INDIVIDUAL",
        "createdAt": dto.iso(link.created_at),
        "expiresAt": dto.iso(link.expires_at) if link.expires_at else None,
        "assets": [],
        "allowUpload": link.allow_upload,
        "allowDownload": link.allow_download,
        "showMetadata": link.show_metadata,
        "slug": link.slug,
    }
    if album is not None:
        out["album"] = dto.album_dto(api.lib, album)
    return out


@route("POST", "/shared-links", "sharedLink.create")
def create_shared_link(api: Api, req: Request) -> Response:
    body = object_body(req.body)
    c = Checker()
    kind = c.choice(["type"], c.required(body, "type", "string"), ("ALBUM", "INDIVIDUAL"))
    album_id = c.uuid(["albumId"], body.get("albumId"))
    asset_ids = c.uuid_list(["assetIds"], body.get("assetIds")) or []
    expires = c.datetime(["expiresAt"], body.get("expiresAt"))
    texts = {k: c.string([k], body.get(k)) for k in ("password", "description", "slug")}
    flags = {k: c.boolean([k], body.get(k)) for k in ("allowDownload", "allowUpload")}
    show_metadata = c.boolean(["showMetadata"], body.get("showMetadata"))
    c.done()
    lib = api.lib
    with lib.lock:
        if kind == "ALBUM":
            if album_id is None:
                raise ApiError(400, "Invalid albumId")
            album = lib.albums.get(album_id)
            if album is None or api.role(req, album) != "owner":
                raise ApiError(400, "Not found or no album.share access")
        else:
            if not asset_ids:
                raise ApiError(400, "Invalid assetIds")
            shareable = api.may_share(req)
            if not all(a in lib.assets and shareable(lib.assets[a]) for a in asset_ids):
                raise ApiError(400, "Not found or no asset.share access")
        rng = random.Random(f"link-{lib.seed}-{len(lib.shared_links)}-{lib.version}")
        secret = base64.urlsafe_b64encode(rng.getrandbits(400).to_bytes(50, "big"))
        link = SharedLink(
            id=make_uuid4(rng),
            key=secret.decode().rstrip("="),
            user_id=api.caller(req),
            album_id=album_id if kind == "ALBUM" else None,
            created_at=lib._now(),
            expires_at=expires,
            password=texts["password"],
            description=texts["description"] or None,
            allow_upload=True if flags["allowUpload"] is None else flags["allowUpload"],
            allow_download=False if show_metadata is False else flags["allowDownload"] is not False,
            show_metadata=show_metadata is not False,
            slug=texts["slug"],
            asset_ids=asset_ids if kind == "INDIVIDUAL" else [],
        )
        lib.shared_links[link.id] = link
        lib._touch()
        return json_response(link_dto(api, link), 201)


@route("GET", "/shared-links", "sharedLink.read")
def list_shared_links(api: Api, req: Request) -> Response:
    c = Checker()
    album_id = c.query_uuid(req.query, "albumId")
    link_id = c.query_uuid(req.query, "id")
    c.done()
    me = api.caller(req)
    with api.lib.lock:
        found = [
            link
            for link in api.lib.shared_links.values()
            if link.user_id == me
            and (album_id is None or link.album_id == album_id)
            and (link_id is None or link.id == link_id)
        ]
        found.sort(key=lambda link: link.created_at, reverse=True)
        return json_response([link_dto(api, link) for link in found])


def _link(api: Api, req: Request) -> SharedLink:
    link: SharedLink | None = api.lib.shared_links.get(api.path_id(req))
    if link is None or link.user_id != api.caller(req):
        raise ApiError(400, "Shared link not found")
    return link


@route("GET", "/shared-links/{id}", "sharedLink.read")
def shared_link(api: Api, req: Request) -> Response:
    with api.lib.lock:
        return json_response(link_dto(api, _link(api, req)))


@route("DELETE", "/shared-links/{id}", "sharedLink.delete")
def delete_shared_link(api: Api, req: Request) -> Response:
    with api.lib.lock:
        del api.lib.shared_links[_link(api, req).id]
        api.lib._touch()
    return Response(204, b"", "text/plain")
