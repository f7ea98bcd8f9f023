"""Typed views of Immich API payloads, parsed defensively.

Unknown fields are ignored and missing optional fields get defaults; a payload of the wrong shape
(a required field missing or of the wrong type) raises `InvalidResponse` with one clear sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import msgspec

from ppl2album_tui.immich.errors import InvalidResponse

AssetType = Literal["IMAGE", "VIDEO", "AUDIO", "OTHER"]
Visibility = Literal["timeline", "archive", "hidden", "locked"]


def _obj(data: object, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidResponse(f"The server sent an unexpected answer: {what} is not a JSON object.")
    return data


def _req(data: Mapping[str, Any], key: str, typ: type | tuple[type, ...], what: str) -> Any:
    value = data.get(key)
    if not isinstance(value, typ) or (isinstance(value, bool) and typ is int):
        raise InvalidResponse(
            f"The server sent an unexpected answer: {what} has no valid '{key}' field."
        )
    return value


def _opt(data: Mapping[str, Any], key: str, typ: type | tuple[type, ...], default: Any) -> Any:
    value = data.get(key, default)
    return value if isinstance(value, typ) else default


def _ids(items: object) -> tuple[str, ...]:
    """The string ``id`` of each object in a JSON list (others skipped); () when not a list."""
    if not items or not isinstance(items, list):
        return ()
    return tuple(i["id"] for i in items if isinstance(i, Mapping) and isinstance(i.get("id"), str))


def parse_datetime(value: object) -> datetime | None:
    """Parse an ISO-8601 timestamp as Immich sends it (``Z`` or offset); None when absent/bad."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class ServerVersion(msgspec.Struct, frozen=True):
    major: int
    minor: int
    patch: int
    prerelease: int | None = None

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @classmethod
    def from_json(cls, data: object) -> ServerVersion:
        d = _obj(data, "the server version")
        return cls(
            major=_req(d, "major", int, "the server version"),
            minor=_req(d, "minor", int, "the server version"),
            patch=_req(d, "patch", int, "the server version"),
            prerelease=_opt(d, "prerelease", int, None),
        )


class ServerAbout(msgspec.Struct, frozen=True):
    version: str
    licensed: bool = False

    @classmethod
    def from_json(cls, data: object) -> ServerAbout:
        d = _obj(data, "the server description")
        return cls(
            version=_req(d, "version", str, "the server description"),
            licensed=_opt(d, "licensed", bool, False),
        )


class User(msgspec.Struct, frozen=True):
    id: str
    name: str
    email: str = ""
    is_admin: bool = False
    cluster_group_id: str | None = None  # Immich 3.2+

    @classmethod
    def from_json(cls, data: object) -> User:
        d = _obj(data, "the user")
        return cls(
            id=_req(d, "id", str, "the user"),
            name=_opt(d, "name", str, ""),
            email=_opt(d, "email", str, ""),
            is_admin=_opt(d, "isAdmin", bool, False),
            cluster_group_id=_opt(d, "clusterGroupId", str, None),
        )


class ApiKeyInfo(msgspec.Struct, frozen=True):
    id: str
    name: str
    permissions: tuple[str, ...]

    def allows(self, scope: str) -> bool:
        """True when this key grants `scope` (the ``all`` permission grants everything)."""
        return "all" in self.permissions or scope in self.permissions

    @classmethod
    def from_json(cls, data: object) -> ApiKeyInfo:
        d = _obj(data, "the API key description")
        perms = _req(d, "permissions", list, "the API key description")
        return cls(
            id=_req(d, "id", str, "the API key description"),
            name=_opt(d, "name", str, ""),
            permissions=tuple(p for p in perms if isinstance(p, str)),
        )


class Person(msgspec.Struct, frozen=True):
    id: str
    name: str
    is_hidden: bool = False
    is_favorite: bool = False
    birth_date: str | None = None
    updated_at: datetime | None = None
    shared_by: tuple[str, ...] = ()  # Immich 3.3: ids of the users who shared this person

    @property
    def display_name(self) -> str:
        return self.name or "(unnamed)"

    @classmethod
    def from_json(cls, data: object) -> Person:
        d = _obj(data, "a person")
        return cls(
            id=_req(d, "id", str, "a person"),
            name=_opt(d, "name", str, ""),
            is_hidden=_opt(d, "isHidden", bool, False),
            is_favorite=_opt(d, "isFavorite", bool, False),
            birth_date=_opt(d, "birthDate", str, None),
            updated_at=parse_datetime(d.get("updatedAt")),
            shared_by=_ids(d.get("sharedBy")),
        )


class AssetPerson(msgspec.Struct, frozen=True, gc=False):
    """A person in a search result's ``people`` list (sent only when searched with_people)."""

    id: str


class Asset(msgspec.Struct, frozen=True, gc=False):
    """An asset as search returns it; `taken_at` is Immich's ``fileCreatedAt``.

    Decoded straight from the answer's bytes by msgspec (`decode_assets`): only these fields are
    read, the others are skipped without being built; a field of the wrong type fails the page.
    """

    id: str
    original_file_name: str = msgspec.field(default="", name="originalFileName")
    type: str = "IMAGE"
    taken_at: datetime | None = msgspec.field(default=None, name="fileCreatedAt")
    # the wall-clock time where it was taken, sent with a "Z" that does not mean UTC
    local_at: datetime | None = msgspec.field(default=None, name="localDateTime")
    updated_at: datetime | None = msgspec.field(default=None, name="updatedAt")
    is_favorite: bool = msgspec.field(default=False, name="isFavorite")
    visibility: str = "timeline"
    is_trashed: bool = msgspec.field(default=False, name="isTrashed")
    thumbhash: str | None = None
    faces: tuple[AssetPerson, ...] = msgspec.field(default=(), name="people")
    created_at: datetime | None = msgspec.field(default=None, name="createdAt")  # uploaded
    owner_id: str | None = msgspec.field(default=None, name="ownerId")  # a partner's, possibly
    duration: int | str | None = None  # a video's length: ms (3.x); older servers "H:MM:SS.ffffff"

    @property
    def people(self) -> tuple[str, ...]:
        """Person ids; filled only when searched with_people."""
        return tuple(p.id for p in self.faces)


class AssetRef(msgspec.Struct, frozen=True, gc=False):
    """Just what an album read needs of a search result: its id and visibility."""

    id: str
    visibility: str = "timeline"


class AlbumUser(msgspec.Struct, frozen=True):
    """A member of an album: the user and their role (``owner``, ``editor`` or ``viewer``)."""

    user: User
    role: str

    @classmethod
    def from_json(cls, data: object) -> AlbumUser:
        d = _obj(data, "an album user")
        return cls(User.from_json(d.get("user")), _opt(d, "role", str, "viewer"))


def _album_users(items: object) -> tuple[AlbumUser, ...]:
    """The well-formed entries of ``albumUsers`` (others skipped); () when not a list."""
    if not isinstance(items, list):
        return ()
    return tuple(
        AlbumUser.from_json(i)
        for i in items
        if isinstance(i, Mapping)
        and isinstance(i.get("user"), Mapping)
        and isinstance(i["user"].get("id"), str)
    )


class Album(msgspec.Struct, frozen=True):
    id: str
    name: str
    asset_count: int = 0
    shared: bool = False
    updated_at: datetime | None = None
    users: tuple[AlbumUser, ...] = ()  # the owner first (Immich 3.x), then the members
    has_shared_link: bool = False

    @property
    def owner_id(self) -> str | None:
        """The owner's user id (``albumUsers`` entry with role ``owner``), when sent."""
        return next((u.user.id for u in self.users if u.role == "owner"), None)

    def role_of(self, user_id: str) -> str | None:
        """`user_id`'s role in this album (``owner``/``editor``/``viewer``), None if no member."""
        return next((u.role for u in self.users if u.user.id == user_id), None)

    @classmethod
    def from_json(cls, data: object) -> Album:
        d = _obj(data, "an album")
        return cls(
            id=_req(d, "id", str, "an album"),
            name=_opt(d, "albumName", str, ""),
            asset_count=_opt(d, "assetCount", int, 0),
            shared=_opt(d, "shared", bool, False),
            updated_at=parse_datetime(d.get("updatedAt")),
            users=_album_users(d.get("albumUsers")),
            has_shared_link=_opt(d, "hasSharedLink", bool, False),
        )


class SharedLink(msgspec.Struct, frozen=True):
    """A shared link; its address is `url(server)` = ``<server>/share/<key>``."""

    id: str
    key: str
    album_id: str | None = None
    expires_at: datetime | None = None
    has_password: bool = False
    allow_download: bool = True
    allow_upload: bool = False
    description: str | None = None
    slug: str | None = None

    def url(self, server: str) -> str:
        """The link's address on `server` (Immich's web app serves ``/share/<key>``)."""
        return f"{server.rstrip('/')}/share/{self.key}"

    @classmethod
    def from_json(cls, data: object) -> SharedLink:
        d = _obj(data, "a shared link")
        album = d.get("album")
        return cls(
            id=_req(d, "id", str, "a shared link"),
            key=_req(d, "key", str, "a shared link"),
            album_id=_opt(album, "id", str, None) if isinstance(album, Mapping) else None,
            expires_at=parse_datetime(d.get("expiresAt")),
            has_password=bool(_opt(d, "password", str, "")),
            allow_download=_opt(d, "allowDownload", bool, True),
            allow_upload=_opt(d, "allowUpload", bool, False),
            description=_opt(d, "description", str, None),
            slug=_opt(d, "slug", str, None),
        )


class BulkResult(msgspec.Struct, frozen=True, gc=False):
    """One id's outcome of an album add/remove: success, or Immich's error reason."""

    id: str
    success: bool
    error: str | None = None

    @property
    def outcome(self) -> str:
        if self.success:
            return "ok"
        return self.error or "failed"


class Thumbnail(msgspec.Struct, frozen=True):
    data: bytes
    content_type: str


class AssetQuery(msgspec.Struct, frozen=True):
    """Filters for `POST /search/metadata`; see ImmichClient.search_assets.

    `visibility=None` means "timeline and archive" (the field is then omitted on purpose and the
    client drops any `hidden` items); any other value is sent explicitly.
    """

    person_ids: tuple[str, ...] = ()
    album_ids: tuple[str, ...] = ()
    type: AssetType | None = None
    visibility: Visibility | None = "timeline"
    is_favorite: bool | None = None
    taken_after: datetime | None = None
    taken_before: datetime | None = None
    updated_after: datetime | None = None
    with_people: bool = False
