"""ppl2album-tui as a contender: the headless ``sync --once`` in a subprocess, isolated dirs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import tomli_w

RULE_NAME = "bench"
REPO = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("PPL2ALBUM_BENCH_OURS_VENV", REPO / "bench" / ".cache" / "ours-venv"))
BEFORE_VENV = REPO / "bench" / ".cache" / "before-venv"  # `--before REF`: an older commit


def write_config(
    path: Path, server: str, album: str, people: list[str], names: list[str],
    chunk: int | None = None,
) -> Path:  # fmt: skip
    """A config with one `any` rule of `people` into `album` (the key comes from the env).

    Only the keys the benchmark sets are written, so that the `--before` commit, which knows
    fewer keys than today's writer writes, reads the same file; the rest (`chunk` unless
    given) are each version's defaults."""
    rule = {
        "name": RULE_NAME,
        "people": [{"id": p, "name": n} for p, n in zip(people, names, strict=True)],
        "album_id": album,
    }
    config: dict[str, object] = {"version": 1, "server": {"url": server}}
    if chunk is not None:
        config["sync"] = {"chunk_size": chunk}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps({**config, "rules": [rule]}))
    path.chmod(0o600)  # as the app writes it (a readable config draws a warning)
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


def install_before(ref: str, venv: Path = BEFORE_VENV) -> str:
    """Commit `ref` of this repository installed into its own venv, for a side-by-side
    comparison with the working tree; returns the short commit id."""
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", ref],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="ppl2album-before-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", commit], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        install(venv, Path(tmp))
    return commit


def install(venv: Path = VENV, src: Path = REPO) -> Path:
    """This checkout installed into its own venv the way users install it (``pip install .``:
    not editable, bytecode compiled), like the peer; refreshed on every benchmark run. The dev
    venv's editable install would add its path finder to every interpreter start (20-40 ms)
    and, under ``PYTHONDONTWRITEBYTECODE``, leave the package uncompiled."""
    python = venv / "bin" / "python"
    first = not python.exists()
    if first:
        print(f"bench: installing ppl2album-tui into {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(src)], check=True)
    if not first:  # a new dependency came with the line above; this checkout's code with this
        again = ["--no-deps", "--force-reinstall"]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *again, str(src)], check=True)
    shutil.rmtree(src / "build", ignore_errors=True)  # setuptools' leftovers
    return python


def command(config: Path, *extra: str, venv: Path = VENV) -> list[str]:
    """``ppl2album-tui sync --once --config <config>``, the script of the venv `install` made."""
    exe = str(venv / "bin" / "ppl2album-tui")
    return [exe, "sync", "--once", "--config", str(config), *extra]
