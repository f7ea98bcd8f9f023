"""ppl2album-tui as a contender: the headless ``sync --once`` in a subprocess, isolated dirs."""

from __future__ import annotations

import compileall
import importlib.util
import os
import sys
from pathlib import Path

from ppl2album_tui.sync.config import save_config
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.sync.settings import Config, ServerSettings, SyncSettings

RULE_NAME = "bench"


def write_config(
    path: Path, server: str, album: str, people: list[str], names: list[str], chunk: int = 1000
) -> Path:
    """A config with one `any` rule of `people` into `album` (the key comes from the env)."""
    rule = Rule(
        name=RULE_NAME,
        people=[PersonRef(p, n) for p, n in zip(people, names, strict=True)],
        album_id=album,
    )
    config = Config(
        server=ServerSettings(url=server), sync=SyncSettings(chunk_size=chunk), rules=[rule]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    save_config(config, path)
    return path


def env(home: Path, key: str) -> dict[str, str]:
    """A process environment whose config, data and cache dirs all live under `home`."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PPL2ALBUM_"))}
    out.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        PPL2ALBUM_TUI_DATA_DIR=str(home / "data" / "ppl2album-tui"),
        IMMICH_API_KEY=key,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return out


def compile_bytecode() -> None:
    """Compile the package's bytecode, as ``pip install`` does for the peer: an editable install
    under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module on every run (~0.1 s
    of CPU per run that no installed copy pays)."""
    package = Path(__file__).resolve().parents[2] / "ppl2album_tui"
    compileall.compile_dir(package, quiet=1)


def has_headless_sync() -> bool:
    return importlib.util.find_spec("ppl2album_tui.headless.sync_cmd") is not None


def command(config: Path, *extra: str) -> list[str]:
    """``python -m ppl2album_tui sync --once --config <config>`` (the product's own command)."""
    return [sys.executable, "-m", "ppl2album_tui", "sync", "--once", "--config", str(config),
            *extra]  # fmt: skip
