"""One URL check and one interval minimum, worded alike by the config, the .env and the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from ppl2album_tui.cli import main
from ppl2album_tui.demo.server import DemoServer
from ppl2album_tui.immich.errors import InvalidServerURL
from ppl2album_tui.immich.urls import normalise_server_url
from ppl2album_tui.sync.config import ConfigError, parse_config_text
from ppl2album_tui.sync.envfile import env_settings
from ppl2album_tui.sync.keys import MIN_INTERVAL_SECONDS
from ppl2album_tui.tui.autosync import parse_interval
from ppl2album_tui.tui.screenshots import SIZE, demo_config, wait_idle
from tests.sync_helpers import SCRIPT_ENV_VARS
from tests.tui.helpers import build_app

NO_SCHEME = "has no scheme: write http://photos.local:2283 or https://photos.local:2283."
ALBUM = "2f4a6c8e-1b3d-4f5a-8c7e-9d0b1a2c3e4f"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (*SCRIPT_ENV_VARS, "PPL2ALBUM_TUI_CONFIG"):
        monkeypatch.delenv(var, raising=False)


def env(**overrides: str) -> dict[str, str]:
    base = {
        "IMMICH_BASE_URL": "http://photos.local:2283",
        "IMMICH_API_KEY": "k",
        "IMMICH_ALBUM_ID": ALBUM,
        "IMMICH_PERSONS": "Anna",
    }
    return {**base, **overrides}


def test_a_url_without_scheme_gets_the_same_sentence_everywhere() -> None:
    with pytest.raises(ConfigError) as toml:
        parse_config_text("[server]\nurl = 'photos.local:2283'\n")
    assert str(toml.value) == f"config: line 2: server.url {NO_SCHEME}"
    with pytest.raises(ConfigError) as dotenv:
        env_settings(env(IMMICH_BASE_URL="photos.local:2283"), ".env")
    assert str(dotenv.value) == f"IMMICH_BASE_URL in .env {NO_SCHEME}"
    with pytest.raises(InvalidServerURL) as client:
        normalise_server_url("photos.local:2283")
    assert str(client.value) == f"The server URL {NO_SCHEME}"


@pytest.mark.parametrize("url", ["http://host:99999", "http://", "ftp://host"])
def test_the_config_refuses_what_the_client_would(url: str) -> None:
    with pytest.raises(InvalidServerURL) as client:
        normalise_server_url(url)
    with pytest.raises(ConfigError) as toml:
        parse_config_text(f"[server]\nurl = '{url}'\n")
    problem = str(client.value).removeprefix("The server URL ")
    assert str(toml.value) == f"config: line 2: server.url {problem}"


async def test_connect_refuses_a_url_without_scheme(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    app = build_app(demo_server, tmp_path, config=demo_config())
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        await pilot.click("#url")
        await pilot.press(*"photos.local:2283")
        app.screen.query_one("#key", Input).value = demo_server.api_key
        await pilot.click("#save")
        await wait_idle(pilot)
        result = str(app.screen.query_one("#connect-result", Static).render())
        assert result == f"✗ The server URL {NO_SCHEME}"
    assert not (tmp_path / "config.toml").exists()
    assert demo_server.request_log == []


def test_the_interval_minimum_is_one_constant() -> None:
    low = MIN_INTERVAL_SECONDS - 1
    with pytest.raises(
        ConfigError, match=rf"sync.interval_seconds must be at least 10 \(got {low}\)"
    ):
        parse_config_text(f"[sync]\ninterval_seconds = {low}\n")
    with pytest.raises(ConfigError) as dotenv:
        env_settings(env(SYNC_INTERVAL_SECONDS=str(low)), ".env")
    assert (
        str(dotenv.value)
        == f"SYNC_INTERVAL_SECONDS in .env must be at least 10 seconds (got {low})."
    )
    with pytest.raises(ValueError, match="at least 10 seconds"):
        parse_interval(f"{low}s")
    assert parse_config_text("[sync]\ninterval_seconds = 10\n").sync.interval_seconds == 10
    assert env_settings(env(SYNC_INTERVAL_SECONDS="10")).interval_seconds == 10
    assert parse_interval("10") == 10


@pytest.mark.parametrize("command", ["import-env", "sync"])
def test_a_short_env_interval_is_refused_not_clamped(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dotenv = tmp_path / ".env"
    lines = [f"{k}={v}" for k, v in env(SYNC_INTERVAL_SECONDS="1").items()]
    dotenv.write_text("\n".join(lines) + "\n")
    config = tmp_path / "config.toml"
    args = [str(dotenv)] if command == "import-env" else ["--once", "--env-file", str(dotenv)]
    code = main([command, *args, "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2 and "SYNC_INTERVAL_SECONDS" in err and "at least 10 seconds (got 1)" in err
    assert not config.exists()
