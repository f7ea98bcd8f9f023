"""`ppl2album-tui demo-server` as a real process: prints URL and key, serves, stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys

import httpx
import pytest

DEMO = [sys.executable, "-m", "ppl2album_tui", "demo-server"]


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*DEMO, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_demo_server_command_serves_until_stopped(stop: signal.Signals) -> None:
    proc = start("--port", "0", "--people", "4", "--assets", "50")
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(4)]
        url = re.search(r"(http://\S+)", lines[1])
        key = re.search(r"API key: (\S+)", lines[2])
        assert url and key, lines
        assert httpx.get(f"{url[1]}/api/server/ping", timeout=10).json() == {"res": "pong"}
        people = httpx.get(f"{url[1]}/api/people", headers={"x-api-key": key[1]}, timeout=10)
        assert people.json()["people"][0]["name"] == "Anna"
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert "Traceback" not in err and "stopped" in out


def test_busy_port_is_one_sentence_and_exit_2() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = start("--port", str(port), "--assets", "10")
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip() == (
        f"Port {port} on 127.0.0.1 is already in use; choose another with --port."
    )
