"""A disk cache of person and asset thumbnails, so no thumbnail is downloaded twice across launches.

Files live under the root given (the app passes ``sync.paths.default_cache_dir()``), keyed by
kind, id and a version (a person's ``updatedAt``, an asset's thumbhash): when Immich regenerates a
face the version changes, the old file is dropped and the new face is fetched once.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol

from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Asset, Person, Thumbnail


def person_version(person: Person) -> str:
    """Cache version of a person's face: changes whenever Immich updates the person."""
    return person.updated_at.isoformat() if person.updated_at else "0"


def asset_version(asset: Asset) -> str:
    """Cache version of an asset's thumbnail."""
    if asset.thumbhash:
        return asset.thumbhash
    return asset.updated_at.isoformat() if asset.updated_at else "0"


class ThumbCache:
    """Thumbnails on disk plus a per-process de-duplication of in-flight downloads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.downloads = 0  # thumbnails fetched from the server by this instance
        self.hits = 0
        self._inflight: dict[tuple[str, str, str], asyncio.Future[bytes | None]] = {}

    def path(self, kind: str, item_id: str, version: str) -> Path:
        """Where the thumbnail of `item_id` at `version` is stored."""
        digest = hashlib.sha1(version.encode()).hexdigest()[:12]
        safe_id = "".join(c for c in item_id if c.isalnum() or c == "-") or "x"
        return self.root / kind / safe_id[:2] / f"{safe_id}@{digest}.img"

    def get(self, kind: str, item_id: str, version: str) -> bytes | None:
        """The cached bytes, or None."""
        try:
            return self.path(kind, item_id, version).read_bytes()
        except OSError:
            return None

    def put(self, kind: str, item_id: str, version: str, data: bytes) -> None:
        """Store `data` atomically and drop older versions of the same item."""
        target = self.path(kind, item_id, version)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            prefix = target.name.split("@", 1)[0] + "@"
            for old in target.parent.glob(prefix + "*.img"):
                if old != target:
                    old.unlink(missing_ok=True)
            tmp = target.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(data)
            tmp.replace(target)
        except OSError:
            pass  # a cache that cannot write is only slower, never wrong

    async def fetch(
        self,
        kind: str,
        item_id: str,
        version: str,
        download: Callable[[], Awaitable[Thumbnail]],
    ) -> bytes | None:
        """Cached bytes, else `download()` once (concurrent callers share it); None on failure."""
        key = (kind, item_id, version)
        cached = await asyncio.to_thread(self.get, kind, item_id, version)
        if cached is not None:
            self.hits += 1
            return cached
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        data: bytes | None = None
        try:
            thumb = await download()
            data = thumb.data
            self.downloads += 1
            await asyncio.to_thread(self.put, kind, item_id, version, data)
        except ImmichError:
            data = None
        finally:
            future.set_result(data)
            del self._inflight[key]
        return data

    async def person(self, client: _ThumbSource, person: Person) -> bytes | None:
        """The face thumbnail of `person`, from disk or the server."""
        return await self.fetch(
            "person", person.id, person_version(person), lambda: client.person_thumbnail(person.id)
        )

    async def asset(self, client: _ThumbSource, asset: Asset) -> bytes | None:
        """The small thumbnail of `asset`, from disk or the server."""
        return await self.fetch(
            "asset", asset.id, asset_version(asset), lambda: client.asset_thumbnail(asset.id)
        )


class _ThumbSource(Protocol):
    """The two client methods the cache needs (ImmichClient satisfies this)."""

    async def person_thumbnail(self, person_id: str) -> Thumbnail: ...

    async def asset_thumbnail(self, asset_id: str, size: str = "thumbnail") -> Thumbnail: ...
