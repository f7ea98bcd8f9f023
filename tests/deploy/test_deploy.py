"""deploy/: the systemd user units pass `systemd-analyze verify` (skipped, saying why, where it is
absent), and the commands of the service and of the cron line, run as written under a fresh
$HOME with the command where pipx puts it, fill the album on the demo server."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ppl2album_tui.demo.library import Library
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.sync.rules import PersonRef, Rule
from tests.sync_helpers import make_config, photos_of

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SERVICE = DEPLOY / "ppl2album-tui-sync.service"
UNITS = (SERVICE, DEPLOY / "ppl2album-tui-sync.timer")
COMMAND = Path(sys.executable).with_name("ppl2album-tui")  # this venv's console script
needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian package systemd)",
)


def user_home(tmp_path: Path, with_command: bool = True) -> Path:
    """A $HOME with ~/.local/bin/ppl2album-tui (this venv's) and a runtime dir."""
    home = tmp_path / "home"
    (home / ".local" / "state").mkdir(parents=True)
    (tmp_path / "run").mkdir(mode=0o700)
    if with_command:
        (home / ".local" / "bin").mkdir()
        (home / ".local" / "bin" / "ppl2album-tui").symlink_to(COMMAND)
    return home


def user_env(home: Path) -> dict[str, str]:
    """The environment of a login with this $HOME: no app or XDG variables of the test run."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PPL2ALBUM_TUI_", "XDG_", "IMMICH_"))
    }
    return {**env, "HOME": str(home), "XDG_RUNTIME_DIR": str(home.parent / "run")}


def verify(home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "--user", "verify", *map(str, UNITS)],
        capture_output=True,
        text=True,
        env=user_env(home),
        timeout=60,
    )


@needs_systemd
def test_units_verify_cleanly(tmp_path: Path) -> None:
    done = verify(user_home(tmp_path))
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


@needs_systemd
def test_verify_checks_the_command_exists(tmp_path: Path) -> None:
    done = verify(user_home(tmp_path, with_command=False))
    assert done.returncode != 0 and "is not executable" in done.stderr


def exec_start() -> str:
    lines = [ln for ln in SERVICE.read_text().splitlines() if ln.startswith("ExecStart=")]
    assert len(lines) == 1
    return lines[0].removeprefix("ExecStart=")


def cron_command() -> str:
    lines = [
        ln
        for ln in (DEPLOY / "crontab").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    assert fields[:5] == ["*/15", "*", "*", "*", "*"]
    return fields[5]


def config_at_home(home: Path, srv: DemoServer, lib: Library, album: str) -> None:
    """~/.config/ppl2album-tui/config.toml: Anna and Ben into `album` (created by the sync)."""
    folder = home / ".config" / "ppl2album-tui"
    folder.mkdir(parents=True)
    people = [PersonRef(lib.person_by_name(n).id, n) for n in ("Anna", "Ben")]
    make_config(folder, srv, Rule("kids", people, album_name=album))


def album_ids(lib: Library, name: str) -> set[str]:
    return set(lib.album_by_name(name).asset_ids)


def test_service_command_syncs(
    tmp_path: Path, demo_server: DemoServer, demo_library: Library
) -> None:
    home = user_home(tmp_path)
    config_at_home(home, demo_server, demo_library, "From systemd")
    argv = shlex.split(exec_start().replace("%h", str(home)))
    done = subprocess.run(argv, capture_output=True, text=True, env=user_env(home), timeout=120)
    assert done.returncode == 0, done.stderr
    assert album_ids(demo_library, "From systemd") == photos_of(demo_library, "Anna", "Ben")
    assert "kids → From systemd" in done.stdout and demo_server.api_key not in done.stdout
    assert (home / ".local" / "share" / "ppl2album-tui" / "journal.jsonl").exists()


def test_cron_line_syncs_and_logs(
    tmp_path: Path, demo_server: DemoServer, demo_library: Library
) -> None:
    home = user_home(tmp_path)
    config_at_home(home, demo_server, demo_library, "From cron")
    done = subprocess.run(
        ["/bin/sh", "-c", cron_command()],
        capture_output=True,
        text=True,
        env=user_env(home),
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout + done.stderr == ""
    assert album_ids(demo_library, "From cron") == photos_of(demo_library, "Anna", "Ben")
    log = (home / ".local" / "state" / "ppl2album-tui-sync.log").read_text()
    assert "kids → From cron" in log and demo_server.api_key not in log
