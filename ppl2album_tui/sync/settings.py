"""The config's data: server, sync and UI settings plus the rules (see config.py for I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ppl2album_tui.errors import UserError
from ppl2album_tui.sync.keys import MIN_INTERVAL_SECONDS, key
from ppl2album_tui.sync.rules import Rule

CONFIG_VERSION = 1
DEFAULT_ACCOUNT = "main"  # the name of server.api_key's account unless server.account_name says
IMAGE_PROTOCOLS = ("auto", "kitty", "sixel", "halfcell", "none")  # the app's --image-protocol too


class ConfigError(UserError):
    """The config cannot be used; `str(err)` is one sentence naming the key (and line)."""

    def __init__(self, message: str, key: str | None = None, line: int | None = None) -> None:
        super().__init__(message, key=key)
        self.line = line


@dataclass
class ServerSettings:
    url: str = field(
        default="",
        metadata=key("url", "the Immich server, with or without /api", strip=True),
    )
    api_key: str = field(
        default="",
        repr=False,  # never in a repr (logs, tracebacks)
        metadata=key(
            "string",
            "the API key; or api_key_file, or the IMMICH_API_KEY environment variable (it wins)",
            strip=True,
            omit_empty=True,
        ),
    )
    api_key_file: str | None = field(
        default=None,
        metadata=key("string", "a file holding just the key (docker/systemd secrets)"),
    )
    ca_bundle: str | None = field(
        default=None,
        metadata=key("string", "a PEM file of the CA that signed the server's certificate"),
    )
    insecure: bool = field(
        default=False,
        metadata=key("boolean", "true: no TLS certificate check (a warning is shown)"),
    )
    account_name: str = field(
        default="",
        metadata=key(
            "string",
            "the name of the account whose key this is, when `[[accounts]]` adds others "
            "(default: main)",
            strip=True,
            omit_empty=True,
        ),
    )

    @property
    def account_label(self) -> str:
        """The first (default) account's name."""
        return self.account_name or DEFAULT_ACCOUNT


@dataclass
class AccountSettings:
    """A further account on the same server (a `[[accounts]]` table): its name and key."""

    name: str = field(
        metadata=key(
            "string",
            'unique; people and rules name the account by it (`account = "Ben"`)',
            required=True,
            strip=True,
        )
    )
    api_key: str = field(
        default="",
        repr=False,  # never in a repr (logs, tracebacks)
        metadata=key(
            "string", "the account's API key; or api_key_file", strip=True, omit_empty=True
        ),
    )
    api_key_file: str | None = field(
        default=None,
        metadata=key("string", "a file holding just the account's key"),
    )


@dataclass
class SyncSettings:
    interval_seconds: int = field(
        default=900,
        metadata=key(
            "integer",
            "how often `sync` (without --once) and the app's auto-sync run",
            min=MIN_INTERVAL_SECONDS,
        ),
    )
    chunk_size: int = field(
        default=5000,
        metadata=key("integer", 'asset ids per "add to album" request', min=1, max=50_000),
    )
    full_reconcile_hours: float = field(
        default=24,
        metadata=key(
            "number",
            "incremental ticks fall back to a full reconcile this often (0: always)",
            min=0,
        ),
    )
    auto_apply: bool = field(
        default=True,
        metadata=key("boolean", "the app's timer applies auto rules; false: it only previews them"),
    )


@dataclass
class UiSettings:
    image_protocol: str = field(
        default="auto",
        metadata=key("choice", "how the app draws faces and photos", choices=IMAGE_PROTOCOLS),
    )


@dataclass
class Config:
    """A whole config file. `path`, `exists` and `warnings` describe where it came from."""

    server: ServerSettings = field(default_factory=ServerSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    rules: list[Rule] = field(default_factory=list)
    accounts: list[AccountSettings] = field(default_factory=list)
    version: int = field(
        default=CONFIG_VERSION,
        metadata=key("integer", "the config format; one from a newer ppl2album-tui is refused"),
    )
    path: Path | None = field(default=None, compare=False)
    exists: bool = field(default=False, compare=False)
    warnings: list[str] = field(default_factory=list, compare=False)

    @property
    def account_names(self) -> list[str]:
        """Every account's name, the first (server.api_key's) first."""
        return [self.server.account_label, *(a.name for a in self.accounts)]

    def rule(self, name: str) -> Rule:
        """The rule called `name`; KeyError when there is none."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)
