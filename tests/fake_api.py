"""An in-memory stand-in for the Immich client, typed by `sync.api.ImmichApi`: the fast seam for
tick, planner and journal logic (milliseconds per test). It models only what those decisions
read: assets with their people, albums, the statistics count. The end-to-end proof of every
exchange stays in the tests over HTTP against the demo server."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import msgspec

from ppl2album_tui.immich.capabilities import Capabilities
from ppl2album_tui.immich.client import Hint
from ppl2album_tui.immich.errors import NotFound
from ppl2album_tui.immich.models import (
    Album,
    Asset,
    AssetPerson,
    AssetQuery,
    BulkResult,
    Person,
    ServerVersion,
    SharedLink,
    User,
)
from ppl2album_tui.immich.search_v2 import V2Query
from ppl2album_tui.sync.api import ChunkFn, ImmichApi

T0 = datetime(2026, 1, 1, tzinfo=UTC)
OWNER = "5f0c1c8e-0000-4000-8000-000000000001"  # the key's user (every fake photo is theirs)


@dataclass
class FakeApi:
    """Assets by id, albums (name, ids), people's names by id; `calls`: each call's method name."""

    assets: dict[str, Asset] = field(default_factory=dict)
    albums_: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    clock: datetime = T0
    server: str = "http://fake.invalid"

    # ---- building the library ---------------------------------------------------------
    def person_named(self, name: str) -> str:
        pid = str(uuid.uuid4())
        self.names[pid] = name
        return pid

    def upload(self, *people: str, name: str = "", visibility: str = "timeline") -> Asset:
        """A new photo showing `people`, stamped one minute after the last."""
        self.clock += timedelta(minutes=1)
        aid = str(uuid.uuid4())
        asset = Asset(
            aid,
            name or f"IMG_{len(self.assets):04}.jpg",
            updated_at=self.clock,
            created_at=self.clock,
            visibility=visibility,
            faces=tuple(AssetPerson(p) for p in people),
        )
        self.assets[aid] = asset
        return asset

    def tag_late(self, asset: Asset, person: str) -> None:
        """Face recognition names `person` on an old photo: ``updatedAt`` does not move."""
        self.assets[asset.id] = msgspec.structs.replace(
            asset, faces=(*asset.faces, AssetPerson(person))
        )

    def make_album(self, name: str) -> str:
        aid = str(uuid.uuid4())
        self.albums_[aid] = (name, set())
        return aid

    def in_album(self, album_id: str) -> set[str]:
        return set(self.albums_[album_id][1])

    def count(self, method: str) -> int:
        return self.calls.count(method)

    # ---- ImmichApi --------------------------------------------------------------------
    @property
    def known_capabilities(self) -> Capabilities:
        return Capabilities.of(ServerVersion(3, 1, 0))  # Immich 3.1: no v2 search

    async def capabilities(self) -> Capabilities:
        return self.known_capabilities

    async def owner_id(self) -> str:
        return OWNER

    async def me(self) -> User:
        return User(OWNER, "Owner")

    async def count_v2(self, query: V2Query, *, known_v2: bool = False) -> int:
        raise AssertionError("Immich 3.1 has no v2 search")

    async def albums(self) -> list[Album]:
        self.calls.append("albums")
        return [self._album(a) for a in self.albums_]

    async def album(self, album_id: str) -> Album:
        self.calls.append("album")
        return self._album(album_id)

    def _album(self, album_id: str) -> Album:
        if album_id not in self.albums_:
            raise NotFound("Could not read the album: Immich says Album not found.")
        name, ids = self.albums_[album_id]
        return Album(album_id, name, asset_count=len(ids))

    async def album_asset_ids(self, album_id: str, expected: Hint = None) -> set[str]:
        self.calls.append("album_asset_ids")
        self._album(album_id)
        return self.in_album(album_id)

    async def create_album(self, name: str, shared_with: Mapping[str, str] | None = None) -> Album:
        self.calls.append("create_album")
        return self._album(self.make_album(name))

    async def people(self, with_hidden: bool = False) -> list[Person]:
        self.calls.append("people")
        return [Person(pid, name) for pid, name in self.names.items()]

    async def person(self, person_id: str) -> Person:
        self.calls.append("person")
        if person_id not in self.names:
            raise NotFound("Could not read the person: Immich says Not found or no access.")
        return Person(person_id, self.names[person_id])

    async def person_statistics(self, person_id: str) -> int:
        self.calls.append("person_statistics")
        await self.person(person_id)
        self.calls.pop()
        return sum(
            1
            for a in self.assets.values()
            if person_id in a.people and a.visibility == "timeline" and not a.is_trashed
        )

    async def search_assets(self, query: AssetQuery, expected: Hint = None) -> list[Asset]:
        self.calls.append("search_assets")
        return self._search(query)

    def _search(self, query: AssetQuery) -> list[Asset]:
        visible = ("timeline", "archive") if query.visibility is None else (query.visibility,)
        return [
            a
            for a in self.assets.values()
            if all(p in a.people for p in query.person_ids)
            and all(a.id in self.albums_[b][1] for b in query.album_ids)
            and a.visibility in visible
            and (query.updated_after is None or (a.updated_at or T0) > query.updated_after)
        ]

    async def search_many(
        self, queries: Sequence[AssetQuery], expected: Sequence[Hint] | None = None
    ) -> list[list[Asset]]:
        self.calls.append("search_many")
        return [self._search(q) for q in queries]

    async def add_to_album(
        self,
        album_id: str,
        ids: Sequence[str],
        chunk_size: int = 1000,
        on_chunk: ChunkFn | None = None,
    ) -> list[BulkResult]:
        self.calls.append("add_to_album")
        there = self.albums_[album_id][1]
        out = [BulkResult(i, i not in there, None if i not in there else "duplicate") for i in ids]
        there.update(ids)
        if on_chunk:
            on_chunk(out)
        return out

    async def remove_from_album(
        self,
        album_id: str,
        ids: Sequence[str],
        chunk_size: int = 1000,
        on_chunk: ChunkFn | None = None,
    ) -> list[BulkResult]:
        self.calls.append("remove_from_album")
        there = self.albums_[album_id][1]
        out = [BulkResult(i, i in there, None if i in there else "not_found") for i in ids]
        there.difference_update(ids)
        if on_chunk:
            on_chunk(out)
        return out

    # sharing is proven over HTTP only (tests/sync/test_sharing.py): the fake has no users
    async def users(self) -> list[User]:
        return []

    async def add_album_users(self, album_id: str, roles: Mapping[str, str]) -> Album:
        raise AssertionError("the fake has no users")

    async def remove_album_user(self, album_id: str, user_id: str) -> None:
        raise AssertionError("the fake has no users")

    async def set_album_user_role(self, album_id: str, user_id: str, role: str) -> None:
        raise AssertionError("the fake has no users")

    async def create_shared_link(
        self,
        album_id: str,
        *,
        expires_at: datetime | None = None,
        password: str | None = None,
        allow_download: bool = True,
        description: str | None = None,
    ) -> SharedLink:
        raise AssertionError("the fake makes no shared links")


def _typed(api: FakeApi) -> ImmichApi:
    return api  # mypy checks here that the fake keeps to the Protocol


_typed(FakeApi())
