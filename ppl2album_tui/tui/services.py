"""The seam between the app and its panes: what a pane or widget may use, as a Protocol.

`PplApp` implements it; panes and widgets receive it in their constructor and never import the
App class. What they want done elsewhere they announce with the Messages in messages.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing this module loads none of them
    from textual.dom import DOMNode

    from ppl2album_tui.immich.models import Album, Person
    from ppl2album_tui.immich.thumbcache import ThumbCache
    from ppl2album_tui.sync.config import Config
    from ppl2album_tui.sync.engine import SyncEngine
    from ppl2album_tui.sync.journal import Journal
    from ppl2album_tui.sync.lock import SyncLock
    from ppl2album_tui.sync.rules import Rule
    from ppl2album_tui.tui.account_set import AccountSet
    from ppl2album_tui.tui.autosync import AutoSyncState
    from ppl2album_tui.tui.session import Session

Clock = Callable[[], datetime]


class Services(Protocol):
    """The app's state and operations, as the panes see them."""

    config: Config
    config_path: Path
    banner: str  # a line for the Connect screen and a toast (the demo's)
    image_protocol: str
    thumbs: ThumbCache
    clock: Clock
    session: Session | None  # None until connected
    account_set: AccountSet  # the further accounts (`[[accounts]]`), connected with the session
    engine: SyncEngine | None  # None until connected
    journal: Journal | None  # None until connected
    people: list[Person]
    albums: list[Album]
    sync_state: AutoSyncState
    write_lock: asyncio.Lock  # one album writer at a time in this process
    stop_event: asyncio.Event  # set when quitting: running applies stop after their chunk

    def save_config(self) -> None:
        """Write the config; a failure becomes a notification."""

    def sync_lock(self) -> SyncLock:
        """The lock `ppl2album-tui sync` takes for this config (held while writing albums)."""

    def saved_api_key(self) -> str:
        """The configured API key ('' when there is none or it cannot be read)."""

    def rule_by_name(self, name: str) -> Rule | None:
        """The configured rule called `name`."""

    def album_name(self, rule: Rule) -> str:
        """The rule's album name for display."""

    def person_name(self, person_id: str) -> str:
        """A person's display name."""

    async def open_session(self, url: str, api_key: str) -> Session:
        """Connect and check (the session is not adopted); raises ImmichError."""

    async def add_account(self, name: str, api_key: str, session: Session) -> None:
        """Keep a tested further account (`session`, opened with `api_key`): saved and used."""

    async def adopt_session(self, session: Session) -> None:
        """Make `session` the app's connection and show the main view."""

    def set_interval_seconds(self, seconds: int) -> None:
        """Change and save the auto-sync interval."""

    def open_album(self, rule_name: str) -> None:
        """Open the rule's album in the browser."""

    def sync_changed(self) -> None:
        """The auto-sync state changed: every `watch_sync` callback runs."""

    def watch_sync(self, node: DOMNode, callback: Callable[[], None]) -> None:
        """Call `callback` whenever the auto-sync state changes (each timer tick, each
        result), for as long as `node` is mounted."""
