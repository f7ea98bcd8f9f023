"""What `sync/` needs of the Immich client: `ImmichApi`, the dozen calls the engine, matcher,
applier and undo make. `ImmichClient` satisfies it over HTTP; pure tick, planner and journal
logic can be driven through it without a server."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from ppl2album_tui.immich.capabilities import Capabilities
from ppl2album_tui.immich.client import Hint
from ppl2album_tui.immich.models import (
    Album,
    Asset,
    AssetQuery,
    BulkResult,
    Person,
    SharedLink,
    User,
)
from ppl2album_tui.immich.search_v2 import V2Query

ChunkFn = Callable[[list[BulkResult]], None]


class ImmichApi(Protocol):
    """The client calls `sync/` makes; each raises an `ImmichError` on failure."""

    server: str  # the server's address for people (shared links), without /api

    @property
    def known_capabilities(self) -> Capabilities | None: ...

    async def capabilities(self) -> Capabilities: ...

    async def owner_id(self) -> str: ...

    async def me(self) -> User: ...

    async def count_v2(self, query: V2Query, *, known_v2: bool = False) -> int: ...

    async def albums(self) -> list[Album]: ...

    async def album(self, album_id: str) -> Album: ...

    async def album_asset_ids(self, album_id: str, expected: Hint = None) -> set[str]: ...

    async def create_album(
        self, name: str, shared_with: Mapping[str, str] | None = None
    ) -> Album: ...

    async def people(self, with_hidden: bool = False) -> list[Person]: ...

    async def person(self, person_id: str) -> Person: ...

    async def person_statistics(self, person_id: str) -> int: ...

    async def search_assets(self, query: AssetQuery, expected: Hint = None) -> list[Asset]: ...

    async def search_many(
        self, queries: Sequence[AssetQuery], expected: Sequence[Hint] | None = None
    ) -> list[list[Asset]]: ...

    async def add_to_album(
        self,
        album_id: str,
        ids: Sequence[str],
        chunk_size: int = 1000,
        on_chunk: ChunkFn | None = None,
    ) -> list[BulkResult]: ...

    async def remove_from_album(
        self,
        album_id: str,
        ids: Sequence[str],
        chunk_size: int = 1000,
        on_chunk: ChunkFn | None = None,
    ) -> list[BulkResult]: ...

    async def users(self) -> list[User]: ...

    async def add_album_users(self, album_id: str, roles: Mapping[str, str]) -> Album: ...

    async def remove_album_user(self, album_id: str, user_id: str) -> None: ...

    async def set_album_user_role(self, album_id: str, user_id: str, role: str) -> None: ...

    async def create_shared_link(
        self,
        album_id: str,
        *,
        expires_at: datetime | None = None,
        password: str | None = None,
        allow_download: bool = True,
        description: str | None = None,
    ) -> SharedLink: ...
