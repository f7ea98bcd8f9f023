"""Helpers shared by the sync engine and headless tests: what the demo library should yield."""

from __future__ import annotations

from pathlib import Path

from ppl2album_tui.demo.library import DemoAsset, Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.sync.config import Config, save_config
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.envfile import ENV_VARS
from ppl2album_tui.sync.journal import Journal
from ppl2album_tui.sync.rules import PersonRef, Rule

WRITES = ("PUT", "POST", "DELETE", "PATCH")
IMMICH_VERSIONS = ("3.1.0", "3.3.5")  # the engine's end-to-end tests run on both
# the original script's variables (cleared so a test sees only what it sets)
SCRIPT_ENV_VARS = ENV_VARS


def visible(asset: DemoAsset, archived: bool = False) -> bool:
    """What a rule's search returns: timeline (and archive when asked), never trashed."""
    ok = ("timeline", "archive") if archived else ("timeline",)
    return asset.visibility in ok and not asset.is_trashed


def photos_of(lib: Library, *names: str, archived: bool = False) -> set[str]:
    """Ids of the photos showing any of `names` that a rule would match."""
    ids: set[str] = set()
    for name in names:
        ids |= {a.id for a in lib.assets_of(lib.person_by_name(name).id) if visible(a, archived)}
    return ids


def server_writes(srv: DemoServer) -> list[str]:
    """Every request that changed the server (searches and counts are POSTs but read-only)."""
    return [f"{r.method} {r.path}" for r in srv.request_log
            if r.method in WRITES and "/api/search/" not in r.path]  # fmt: skip


def engine(client: ImmichClient, journal: Journal, *rules: Rule, chunk: int = 1000) -> SyncEngine:
    """A sync engine with just these rules and this chunk size."""
    config = Config(rules=list(rules))
    config.sync.chunk_size = chunk
    return SyncEngine(client, config, journal)


def not_first_sync(journal: Journal, album_id: str) -> None:
    """Give the journal a record of `album_id` (a clear of nothing), so that the next sync reads
    the album as every sync after the first does (tests/sync/test_first_sync.py: the first)."""
    journal.clear_removed_by_hand("earlier", [], album_id)


def faceless_photo(lib: Library) -> DemoAsset:
    """The oldest timeline photo without faces (for a face recognised late)."""
    return next(
        a
        for a in sorted(lib.assets.values(), key=lambda a: a.sort_key)
        if a.visibility == "timeline" and not a.is_trashed and not a.people
    )


def make_config(tmp_path: Path, srv: DemoServer, *rules: Rule) -> Path:
    """``tmp_path/config.toml`` for the demo server (its all-permission key) with these rules."""
    config = Config(rules=list(rules))
    config.server.url, config.server.api_key = srv.url, srv.api_key
    path = tmp_path / "config.toml"
    save_config(config, path)
    return path


def kids_engine(
    client: ImmichClient, lib: Library, tmp_path: Path, hours: float = 24, **rule: object
) -> SyncEngine:
    """An engine with one rule "kids": Anna and Ben into the album Drafts (`rule`: more of its
    fields), a full reconcile every `hours`, its journal under `tmp_path`."""
    drafts = lib.album_by_name("Drafts").id
    people = [PersonRef(lib.person_by_name(n).id, n) for n in ("Anna", "Ben")]
    config = Config(rules=[Rule("kids", people, album_id=drafts, **rule)])  # type: ignore[arg-type]
    config.sync.full_reconcile_hours = hours
    return SyncEngine(client, config, Journal(tmp_path / "journal.jsonl"))
