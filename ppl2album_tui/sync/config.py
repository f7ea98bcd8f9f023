"""The TOML config file: where it lives, reading it strictly, writing it atomically (0600).

Choices: a missing file loads as the defaults (`Config.exists` is False); an empty file is valid and
also means the defaults; a file that fails to load (bad TOML, bad schema, newer version) is never
overwritten: `save_config` re-checks the file on disk and refuses.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path

from ppl2album_tui.sync.fsutil import atomic_write_private
from ppl2album_tui.sync.paths import default_config_path
from ppl2album_tui.sync.schema import config_from_dict, config_to_dict
from ppl2album_tui.sync.settings import (
    CONFIG_VERSION,
    Config,
    ConfigError,
    ServerSettings,
    SyncSettings,
    UiSettings,
)

__all__ = [
    "CONFIG_VERSION",
    "Config",
    "ConfigError",
    "ServerSettings",
    "SyncSettings",
    "UiSettings",
    "default_config_path",
    "load_config",
    "resolve_account_keys",
    "resolve_api_key",
    "resolve_config_path",
    "save_config",
]

API_KEY_ENV = "IMMICH_API_KEY"


def resolve_config_path(explicit: str | os.PathLike[str] | None) -> Path:
    """`--config PATH` when given, else the default path."""
    return Path(explicit).expanduser() if explicit else default_config_path()


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"The config file {path} is not UTF-8 text.") from None
    except IsADirectoryError:
        raise ConfigError(f"The config path {path} is a directory, not a file.") from None
    except PermissionError:
        raise ConfigError(f"The config file {path} cannot be read (permission denied).") from None
    except OSError as err:
        raise ConfigError(f"The config file {path} cannot be read ({err.strerror}).") from None


def parse_config_text(text: str, source: str = "config") -> Config:
    """Parse and validate TOML `text`; errors name `source`, the key and the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        text_err = str(err)
        m = re.search(r"\(at line (\d+), column (\d+)\)", text_err)
        line = getattr(err, "lineno", None) or (int(m.group(1)) if m else None)
        col = getattr(err, "colno", None) or (int(m.group(2)) if m else None)
        msg = getattr(err, "msg", None) or text_err.split(" (at ")[0]
        where = f" at line {line}, column {col}" if line else ""
        raise ConfigError(f"{source} is not valid TOML{where}: {msg}.", line=line) from None
    try:
        return config_from_dict(data, text)
    except ConfigError as err:
        raise ConfigError(f"{source}: {err}", key=err.key, line=err.line) from None


def load_config(path: Path) -> Config:
    """Read the config at `path` (defaults when it does not exist); `.warnings` lists concerns."""
    if not path.exists():
        return Config(path=path, exists=False)
    config = parse_config_text(_read_text(path), str(path))
    config.path, config.exists = path, True
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        config.warnings.append(
            f"The config file {path} is readable by other users (mode {mode:04o}) and may hold "
            f"the API key; run: chmod 600 {path}"
        )
    return config


def dump_config(config: Config) -> str:
    """The TOML text `save_config` writes."""
    import tomli_w  # only the TUI writes the config

    return tomli_w.dumps(config_to_dict(config))


def save_config(config: Config, path: Path) -> None:
    """Write `config` to `path` atomically with mode 0600.

    Refuses (ConfigError) when the file on disk exists but does not load: a broken or newer
    config is never overwritten.
    """
    if path.exists():
        try:
            parse_config_text(_read_text(path), str(path))
        except ConfigError as err:
            raise ConfigError(
                f"Not saving: the existing config file {path} does not load ({err}); fix or move "
                "it first.", key=err.key, line=err.line) from None  # fmt: skip
    text = dump_config(config)
    parse_config_text(text, "the config being saved")  # never write what we could not read back
    atomic_write_private(path, text.encode("utf-8"))


def resolve_api_key(config: Config) -> str:
    """The API key: env IMMICH_API_KEY, else `api_key_file`, else `api_key`; ConfigError if none."""
    env = os.environ.get(API_KEY_ENV, "").strip()
    if env:
        return env
    key_file = config.server.api_key_file
    if key_file:
        return _read_key_file(key_file, "server.api_key_file")
    if config.server.api_key:
        return config.server.api_key
    raise ConfigError(
        "No API key: set server.api_key or server.api_key_file in the config, or the "
        "IMMICH_API_KEY environment variable.", key="server.api_key")  # fmt: skip


def resolve_account_keys(config: Config) -> dict[str, str]:
    """Every account's API key by account name, the first account's (`resolve_api_key`) first."""
    keys = {config.server.account_label: resolve_api_key(config)}
    for i, account in enumerate(config.accounts):
        if account.api_key_file:
            key = f"accounts[{i + 1}].api_key_file"
            keys[account.name] = _read_key_file(account.api_key_file, key)
        else:
            keys[account.name] = account.api_key
    return keys


def _read_key_file(key_file: str, key: str) -> str:
    p = Path(key_file).expanduser()
    try:
        text = p.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise ConfigError(f"{key} {p} cannot be read ({err.strerror}).", key=key) from None
    if not text:
        raise ConfigError(f"{key} {p} is empty.", key=key)
    return text
