"""The config's data: server, sync and UI settings plus the rules (see config.py for I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ppl2album_tui.errors import UserError
from ppl2album_tui.sync.rules import Rule

CONFIG_VERSION = 1


class ConfigError(UserError):
    """The config cannot be used; `str(err)` is one sentence naming the key (and line)."""

    def __init__(self, message: str, key: str | None = None, line: int | None = None) -> None:
        super().__init__(message, key=key)
        self.line = line


@dataclass
class ServerSettings:
    url: str = ""
    api_key: str = field(default="", repr=False)  # never in a repr (logs, tracebacks)
    api_key_file: str | None = None
    ca_bundle: str | None = None
    insecure: bool = False


@dataclass
class SyncSettings:
    interval_seconds: int = 900
    chunk_size: int = 1000
    full_reconcile_hours: float = 24
    auto_apply: bool = True  # the TUI's timer applies auto rules; false = it only previews


@dataclass
class UiSettings:
    image_protocol: str = "auto"


@dataclass
class Config:
    """A whole config file. `path`, `exists` and `warnings` describe where it came from."""

    server: ServerSettings = field(default_factory=ServerSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    rules: list[Rule] = field(default_factory=list)
    version: int = CONFIG_VERSION
    path: Path | None = field(default=None, compare=False)
    exists: bool = field(default=False, compare=False)
    warnings: list[str] = field(default_factory=list, compare=False)

    def rule(self, name: str) -> Rule:
        """The rule called `name`; KeyError when there is none."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)
