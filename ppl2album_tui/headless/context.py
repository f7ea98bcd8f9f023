"""What every headless command needs: where the settings come from, the client, clean errors.

Sources, in order: ``--env-file FILE`` (the original script's .env, with the process environment
winning as in python-dotenv); else the TOML config (``--config``, ``$PPL2ALBUM_TUI_CONFIG``, the
default path); else, when no config file exists, the script's variables from the environment.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Iterable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ppl2album_tui.errors import UserError
from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError
from ppl2album_tui.sync.accounts import Accounts
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.config import (
    Config,
    ConfigError,
    load_config,
    resolve_account_keys,
    resolve_config_path,
)
from ppl2album_tui.sync.connection import make_client, tls_warning
from ppl2album_tui.sync.engine import SyncEngine
from ppl2album_tui.sync.envfile import EnvSettings, env_config, env_present, load_env
from ppl2album_tui.sync.journal import Journal

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class Target:
    """The resolved settings of one command run."""

    config: Config
    api_key: str = field(repr=False)  # never in a repr (logs, tracebacks)
    lock_key: Path  # the file whose lock guards this run (config or .env)
    source: str  # for messages
    env: EnvSettings | None = None  # set when running from .env variables
    warnings: list[str] = field(default_factory=list)
    others: dict[str, str] = field(default_factory=dict, repr=False)  # further accounts' keys

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every API key of this run (masked in every message)."""
        return (self.api_key, *self.others.values())


def add_source_arguments(parser: argparse.ArgumentParser, env_file: bool = True) -> None:
    """`--config PATH` (and `--env-file PATH`)."""
    parser.add_argument("--config", metavar="PATH", help="the TOML config (default: user dir)")
    if env_file:
        parser.add_argument(
            "--env-file", metavar="PATH", help="use the original script's .env instead"
        )


def load_target(args: argparse.Namespace) -> Target:
    """Resolve settings from the arguments; ConfigError (one sentence) when unusable."""
    env_file = getattr(args, "env_file", None)
    if env_file:
        path = Path(env_file).expanduser()
        return _from_env(load_env(path), path, str(path))
    path = resolve_config_path(args.config)
    config = load_config(path)
    if not config.exists:
        if env_present():
            return _from_env(load_env(None), path, "the environment")
        raise ConfigError(
            f"No config file at {path}: create one with `ppl2album-tui` or `ppl2album-tui "
            "import-env FILE`, or pass --env-file FILE."
        )
    if not config.server.url:
        raise ConfigError(f"{path}: server.url is not set.", key="server.url")
    keys = resolve_account_keys(config)
    first = keys.pop(config.server.account_label)
    return Target(config, first, path, str(path), warnings=config.warnings, others=keys)


def _from_env(settings: EnvSettings, lock_key: Path, source: str) -> Target:
    return Target(env_config(settings), settings.api_key, lock_key, source, env=settings)


def client_for(target: Target, err: TextIO | None = None) -> ImmichClient:
    """The Immich client for `target`, saying so on stderr when TLS checks are off."""
    if warning := tls_warning(target.config.server):
        say(err, f"Warning: {warning}")
    return make_client(target.config.server, target.api_key)


@asynccontextmanager
async def accounts_for(target: Target) -> AsyncIterator[Accounts]:
    """Every account's client open, and the first account's engine running the rules over
    them (sync/accounts.py; with one account exactly `SyncEngine`'s own runs)."""
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(client_for(target))
        clients: dict[str, ImmichApi] = {target.config.server.account_label: first}
        for name, key in target.others.items():
            clients[name] = await stack.enter_async_context(make_client(target.config.server, key))
        yield Accounts(SyncEngine(first, target.config, Journal()), clients)


def report_failure(
    err: Exception, secret: str | Iterable[str] = "", stream: TextIO | None = None
) -> int:
    """Print `err` as one sentence on stderr (key masked) and return its exit code.

    Usage, config, rule-selection and lock problems are 2; the server or local files failing is
    1; anything unexpected is 1 too, still as one sentence, never a traceback.
    """
    if isinstance(err, ImmichError):
        text, code = str(err), EXIT_FAILED
    elif isinstance(err, UserError):
        text, code = str(err), EXIT_USAGE
    elif isinstance(err, OSError):
        text, code = (
            f"A local file could not be read or written: {err.strerror or err}.",
            EXIT_FAILED,
        )
    else:
        text, code = f"Unexpected error ({type(err).__name__}): {err}", EXIT_FAILED
    say(stream, scrub(text, secret))
    return code


def scrub(text: str, secret: str | Iterable[str]) -> str:
    """`text` with `secret` (or each of several) masked (belt and braces: no message should
    hold one anyway)."""
    for one in [secret] if isinstance(secret, str) else secret:
        text = text.replace(one, "***") if one and len(one) >= 4 else text
    return text


def say(stream: TextIO | None, text: str) -> None:
    """Print one line to `stream` (stderr by default) and flush."""
    out = stream or sys.stderr
    print(text, file=out, flush=True)
