"""`ppl2album-tui demo-server --users 2`: each account's key is printed and answers as that
account."""

from __future__ import annotations

import re
import signal

import httpx

from tests.demo.test_demo_cli import start


def test_demo_server_prints_a_key_per_account() -> None:
    proc = start("--port", "0", "--people", "4", "--assets", "50", "--users", "2")
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        url = re.search(r"(http://\S+)", lines[1])
        robin = re.search(r"API key of Robin Roe <robin@example.com>: (\S+)", lines[3])
        assert url and robin, lines
        me = httpx.get(f"{url[1]}/api/users/me", headers={"x-api-key": robin[1]}, timeout=10)
        assert me.json()["name"] == "Robin Roe"
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0


def test_zero_users_is_one_sentence() -> None:
    proc = start("--port", "0", "--users", "0")
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip() == "--people, --assets and --users must be at least 1."


def test_cluster_group_needs_two_users_and_3_2() -> None:
    proc = start("--port", "0", "--users", "2", "--cluster-group")
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip() == "--cluster-group needs --users 2 or more and Immich 3.2 or later."
