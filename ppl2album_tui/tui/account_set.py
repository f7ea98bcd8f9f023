"""The app's further accounts (`[[accounts]]`): their clients, their people, and the Accounts
runner the engine uses for rules over several accounts (no Textual here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.immich.models import Person
from ppl2album_tui.sync.accounts import Accounts
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.config import ConfigError, resolve_account_keys
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.settings import Config

ALL = "all accounts"  # the People tab's view of every account at once


@dataclass
class AccountSet:
    """Every account's client and people; `runner` (once connected) runs rules over them."""

    config: Config
    clients: dict[str, ImmichClient] = field(default_factory=dict)  # further accounts only
    people: dict[str, list[Person]] = field(default_factory=dict)  # further accounts' people
    # person id → every further account having it, in the order added (several in a cluster
    # group, Immich 3.2+)
    holders: dict[str, list[str]] = field(default_factory=dict)
    first_ids: set[str] = field(default_factory=set)  # the first account's people (set on load)
    runner: Accounts | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def first(self) -> str:
        return self.config.server.account_label

    @property
    def names(self) -> list[str]:
        """The accounts connected, the first first."""
        return [self.first, *self.clients]

    async def connect(self, engine: SyncEngine, factory: Callable[[str], ImmichClient]) -> None:
        """Open every further account's client (`factory(key)`) and read its people; an
        account that fails is left out with a sentence in `problems`."""
        await self.close()
        self.problems = []
        try:
            keys = resolve_account_keys(self.config)
        except ConfigError as err:
            self.problems.append(str(err))
            keys = {}
        for account in self.config.accounts:
            key = keys.get(account.name)
            if key:
                await self.open(account.name, factory(key))
        clients: dict[str, ImmichApi] = {self.first: engine.client, **self.clients}
        self.runner = Accounts(engine, clients)

    async def open(self, name: str, client: ImmichClient) -> bool:
        """Add account `name` with `client` (its people read); False when it failed."""
        try:
            people = await client.people(with_hidden=True)
        except ImmichError as err:
            self.problems.append(f"Account '{name}' is left out: {err}")
            await client.aclose()
            return False
        self.clients[name] = client
        self.people[name] = people
        for p in people:
            self.holders.setdefault(p.id, []).append(name)
        if self.runner is not None:
            engine = self.runner.engine
            self.runner = Accounts(engine, {self.first: engine.client, **self.clients})
        return True

    def account_of(self, person_id: str) -> str:
        """The account a person belongs to ("" for the first)."""
        if person_id in self.first_ids or person_id not in self.holders:
            return ""
        return self.holders[person_id][0]

    def accounts_of(self, person_id: str) -> list[str]:
        """Every account that has the person ("" for the first): in a cluster group (Immich
        3.2+) one person id is the same person in each member's account."""
        first = [""] if person_id in self.first_ids or person_id not in self.holders else []
        return first + self.holders.get(person_id, [])

    def label(self, person_id: str) -> str:
        """The person's accounts for a tag: 'Robin', or 'main, Robin' in a cluster group."""
        return ", ".join(name or self.first for name in self.accounts_of(person_id))

    def client_of(self, person_id: str) -> ImmichClient | None:
        """The client that may read this person (None: the first account's)."""
        name = self.account_of(person_id)
        return self.clients.get(name) if name else None

    def shown(self, view: str, first: list[Person]) -> list[Person]:
        """The people of one account, or of every account (`ALL`, a person the accounts
        share in a cluster group once); `first`: the first's."""
        if view == ALL:
            everyone: dict[str, Person] = {}
            for p in [*first, *(p for ps in self.people.values() for p in ps)]:
                everyone.setdefault(p.id, p)
            return list(everyone.values())
        return list(first if view == self.first else self.people.get(view, []))

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()
        self.clients, self.people, self.holders, self.runner = {}, {}, {}, None
