"""Immich 3.1 response shapes (DTOs) for the demo library's objects."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from ppl2album_tui.demo.library import (
    DemoAlbum,
    DemoAsset,
    DemoPerson,
    DemoUser,
    Library,
    mime_type,
)
from ppl2album_tui.demo.users import owner_of, user_by_id

SERVER_VERSION = (3, 1, 0)
_ZERO = timedelta(0)


def iso(dt: datetime) -> str:
    """Immich's timestamp format: UTC with milliseconds and ``Z``."""
    if dt.utcoffset() != _ZERO:
        dt = dt.astimezone(UTC)
    return dt.isoformat(timespec="milliseconds")[:23] + "Z"


def _local(a: DemoAsset) -> str:
    """Immich's localDateTime: the wall-clock time where the photo was taken, written as UTC."""
    if not a.utc_offset_minutes:
        return iso(a.file_created_at)
    return iso(a.file_created_at + timedelta(minutes=a.utc_offset_minutes))


def user_dto(lib: Library, user: DemoUser | None = None) -> dict[str, Any]:
    """A UserResponseDto of `user` (default: the library's user)."""
    u = user or lib.user
    return {
        "id": u.id,
        "email": u.email,
        "name": u.name,
        "profileImagePath": "",
        "avatarColor": "primary",
        "profileChangedAt": iso(u.created_at),
    }


def user_admin_dto(lib: Library, user: DemoUser | None = None) -> dict[str, Any]:
    """A UserAdminResponseDto; the library's user is the admin, further accounts are not."""
    u = user or lib.user
    admin = u is lib.user
    return {
        **user_dto(lib, u),
        "storageLabel": "admin" if admin else None,
        "shouldChangePassword": False,
        "isAdmin": admin,
        "createdAt": iso(u.created_at),
        "deletedAt": None,
        "updatedAt": iso(u.created_at),
        "oauthId": "",
        "quotaSizeInBytes": None,
        "quotaUsageInBytes": 0,
        "status": "active",
        "license": None,
    }


def person_dto(lib: Library, p: DemoPerson) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "birthDate": p.birth_date,
        "thumbnailPath": f"/data/thumbs/{owner_of(lib, p)}/{p.id[:2]}/{p.id[2:4]}/{p.id}.jpeg",
        "isHidden": p.is_hidden,
        "isFavorite": p.is_favorite,
        "color": p.color,
        "updatedAt": iso(p.updated_at),
    }


def asset_dto(
    lib: Library, a: DemoAsset, *, with_people: bool = False, with_exif: bool = False
) -> dict[str, Any]:
    taken = iso(a.file_created_at)
    day = f"{taken[:4]}/{taken[:10]}"
    out: dict[str, Any] = {
        "id": a.id,
        "ownerId": a.owner_id or lib.user.id,
        "type": a.type,
        "originalPath": f"/data/library/admin/{day}/{a.original_file_name}",
        "originalFileName": a.original_file_name,
        "originalMimeType": mime_type(a.original_file_name),
        "thumbhash": a.thumbhash,
        "fileCreatedAt": taken,
        "fileModifiedAt": taken,
        "localDateTime": _local(a),
        "createdAt": iso(a.created_at),
        "updatedAt": iso(a.updated_at),
        "isFavorite": a.is_favorite,
        "isArchived": a.visibility == "archive",
        "isTrashed": a.deleted_at is not None,
        "isOffline": False,
        "isEdited": False,
        "visibility": a.visibility,
        "duration": a.duration_ms,
        "width": a.width,
        "height": a.height,
        "livePhotoVideoId": None,
        "checksum": a.checksum,
        "hasMetadata": with_exif or with_people,
        "duplicateId": None,
        "libraryId": None,
    }
    if with_people:
        out["people"] = [person_dto(lib, lib.people[pid]) for pid in a.people if pid in lib.people]
    if with_exif:
        out["exifInfo"] = {
            "make": "Demo",
            "model": "Camera 1",
            "exifImageWidth": a.width,
            "exifImageHeight": a.height,
            "dateTimeOriginal": taken,
            "timeZone": "UTC",
            "fileSizeInByte": a.width * a.height // 4,
            "city": None,
            "country": None,
            "rating": None,
            "description": "",
        }
    return out


def asset_json(lib: Library, a: DemoAsset) -> bytes:
    """The plain AssetResponseDto as compact JSON, cached on the asset (reset by its mutators)."""
    if a.json_cache is None:
        a.json_cache = json.dumps(asset_dto(lib, a), separators=(",", ":")).encode()
    return a.json_cache


def album_dto(lib: Library, album: DemoAlbum) -> dict[str, Any]:
    live = [lib.assets[i] for i in album.asset_ids if i in lib.assets]
    live = [a for a in live if a.deleted_at is None]
    has_link = any(link.album_id == album.id for link in lib.shared_links.values())
    owner = user_by_id(lib, owner_of(lib, album)) or lib.user
    album_users = [{"user": user_dto(lib, owner), "role": "owner"}]
    for user_id, role in album.members.items():
        if (member := user_by_id(lib, user_id)) is not None:
            album_users.append({"user": user_dto(lib, member), "role": role})
    out: dict[str, Any] = {
        "id": album.id,
        "albumName": album.name,
        "description": album.description,
        "createdAt": iso(album.created_at),
        "updatedAt": iso(album.updated_at),
        "albumThumbnailAssetId": album.thumbnail_asset_id,
        "shared": bool(album.members) or has_link,
        "albumUsers": album_users,
        "hasSharedLink": has_link,
        "assetCount": len(live),
        "isActivityEnabled": True,
        "order": "desc",
    }
    if live:
        out["startDate"] = iso(min(a.file_created_at for a in live))
        out["endDate"] = iso(max(a.file_created_at for a in live))
        out["lastModifiedAssetTimestamp"] = iso(max(a.updated_at for a in live))
    return out


def about_dto(server_version: tuple[int, int, int] = SERVER_VERSION) -> dict[str, Any]:
    version = "v{}.{}.{}".format(*server_version)
    return {
        "version": version,
        "versionUrl": f"https://github.com/immich-app/immich/releases/tag/{version}",
        "licensed": False,
        "build": "demo",
        "nodejs": "v22.18.0",
        "ffmpeg": "7.1.1",
        "libvips": "8.17.1",
        "exiftool": "13.30",
        "imagemagick": "7.1.2",
        "repository": "ppl2album-tui demo server",
        "sourceRef": "demo",
    }


def features_dto() -> dict[str, bool]:
    on = {"facialRecognition", "search", "trash", "passwordLogin", "smartSearch"}
    keys = [
        "configFile", "duplicateDetection", "email", "facialRecognition", "importFaces", "map",
        "oauth", "oauthAutoLaunch", "ocr", "passwordLogin", "realtimeTranscoding",
        "reverseGeocoding", "search", "sidecar", "smartSearch", "trash",
    ]  # fmt: skip
    return {k: k in on for k in keys}
