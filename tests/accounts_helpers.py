"""Helpers of the several-accounts tests: the demo user ("main") and Robin Roe ("Robin"), each
with their own "Emma", and the rule "Emma from both of us"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from ppl2album_tui.demo.library import DemoPerson, Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.accounts import Accounts
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.config import Config, save_config
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.sync.settings import AccountSettings
from tests.sync_helpers import visible

RULE = "Emma from both of us"
ALBUM = "Emma"


def person(lib: Library, name: str, owner: str | None) -> DemoPerson:
    """The person called `name` of the account `owner` (None: the library's own user)."""
    return next(p for p in lib.people.values() if p.name == name and p.owner_id == owner)


def photos(lib: Library, name: str, owner: str | None) -> set[str]:
    """The photos of that person a rule matches."""
    return {a.id for a in lib.assets_of(person(lib, name, owner).id) if visible(a)}


def emma_rule(lib: Library, robin_id: str, **options: object) -> Rule:
    """Emma of the demo user and Emma of Robin, into the album "Emma" (by name)."""
    people = [PersonRef(person(lib, "Emma", None).id, "Emma"),
              PersonRef(person(lib, "Emma", robin_id).id, "Emma", "Robin")]  # fmt: skip
    fields: dict[str, object] = {"album_name": ALBUM, **options}
    return Rule(RULE, people, **fields)  # type: ignore[arg-type]


def two_accounts(srv: DemoServer, robin_key: str, *rules: Rule) -> Config:
    """The demo server's key as the first account ("main"), Robin's as "Robin"."""
    config = Config(rules=list(rules), accounts=[AccountSettings("Robin", robin_key)])
    config.server.url, config.server.api_key = srv.url, srv.api_key
    return config


def write_config(tmp_path: Path, config: Config) -> Path:
    path = tmp_path / "config.toml"
    save_config(config, path)
    return path


@asynccontextmanager
async def accounts_on(srv: DemoServer, config: Config, journal: Journal) -> AsyncIterator[Accounts]:
    """Both accounts' clients open on the demo server, and their Accounts."""
    async with AsyncExitStack() as stack:
        clients: dict[str, ImmichApi] = {}
        keys = {"main": config.server.api_key, **{a.name: a.api_key for a in config.accounts}}
        for name, key in keys.items():
            clients[name] = await stack.enter_async_context(ImmichClient(srv.url, key))
        yield Accounts(SyncEngine(clients["main"], config, journal), clients)
