"""The peer: immich-face-to-album 1.0.17 from PyPI, run from its own venv (git-ignored).

What it does (read from its source, version 1.0.17): ``--server URL --key KEY`` (both flags,
required; the URL without ``/api``), ``--face ID`` repeated, ``--album ID``. Per face it pages
``POST /api/search/metadata {"personIds": [face], "withPeople": true, "withExif": false,
"size": 1000}`` (no ``visibility``, so archived photos are included), unions the ids and sends
*all* of them with ``PUT /api/albums/{id}/assets`` in chunks of 500, letting the server answer
``duplicate`` for those already there; it never reads the album (unless
``--remove-non-matching``). Its incremental mode (the default unless ``--full-scan``) adds
``createdAfter=<last run time>`` to the searches, so it sees new uploads only; a face assigned
later to an older photo is missed until the next ``--full-scan``. It works against Immich 3.x.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PEER = "immich-face-to-album==1.0.17"
VENV = Path(
    os.environ.get(
        "PPL2ALBUM_BENCH_VENV", Path(__file__).resolve().parents[1] / ".cache" / "peer-venv"
    )
)


def ensure_venv(venv: Path = VENV) -> Path:
    """Create the peer's own venv and install it if missing; returns its exe."""
    exe = venv / "bin" / "immich-face-to-album"
    if exe.exists():
        return exe
    print(f"bench: installing {PEER} into {venv} ...", file=sys.stderr)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", PEER],
        check=True,
    )
    return exe


def version(venv: Path = VENV) -> str:
    """The installed peer's version string ("not installed" when `--skip` left it out)."""
    if not (venv / "bin" / "python").exists():
        return "not installed"
    out = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; print(m.version('immich-face-to-album'))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "?"


def command(
    server: str, key: str, album: str, people: list[str], state_file: Path, *, full_scan: bool
) -> list[str]:
    """The peer's command line for one run."""
    cmd = [str(ensure_venv()), "--server", server, "--key", key, "--album", album]
    for person in people:
        cmd += ["--face", person]
    cmd += ["--state-file", str(state_file)]
    if full_scan:
        cmd.append("--full-scan")
    return cmd
