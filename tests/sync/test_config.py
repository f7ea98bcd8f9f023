"""Config file: strict schema, line numbers, atomic 0600 writes, never overwriting a broken file."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from ppl2album_tui.sync.config import (
    Config,
    ConfigError,
    default_config_path,
    dump_config,
    load_config,
    parse_config_text,
    resolve_api_key,
    resolve_config_path,
    save_config,
)
from ppl2album_tui.sync.rules import PersonRef, Rule

ANNA = "0b9a2f1e-3c44-4d5e-8f00-000000000001"
BEN = "0b9a2f1e-3c44-4d5e-8f00-000000000002"
ALBUM = "0b9a2f1e-3c44-4d5e-8f00-0000000000aa"

FULL = f"""\
version = 1

[server]
url = "https://photos.example.com"
api_key = "secret-key"
ca_bundle = "/etc/ssl/home-ca.pem"
insecure = false

[sync]
interval_seconds = 600
chunk_size = 500
full_reconcile_hours = 12
auto_apply = false

[ui]
image_protocol = "halfcell"

[[rules]]
name = "Kids"
album_name = "Kids"
people = [{{ id = "{ANNA}", name = "Anna" }}, {{ id = "{BEN}", name = "Ben" }}]
match = "all"
exclude = ["{BEN}"]
globs = ["IMG_*.JPG"]
case_sensitive_globs = true
media_type = "image"
taken_after = 2020-01-01
taken_before = "2024-12-31"
include_archived = true
favorites_only = true
never_add = ["{ALBUM}"]
auto_apply = false
enabled = false

[[rules]]
name = "Anna"
album_id = "{ALBUM}"
people = [{{ id = "{ANNA}", name = "Anna" }}]
"""


def test_full_example_parses_every_key() -> None:
    c = parse_config_text(FULL)
    assert c.server.url == "https://photos.example.com" and c.server.ca_bundle
    assert (c.sync.interval_seconds, c.sync.chunk_size, c.sync.full_reconcile_hours) == (
        600,
        500,
        12,
    )
    assert c.sync.auto_apply is False and c.ui.image_protocol == "halfcell"
    kids = c.rule("Kids")
    assert kids.people == [PersonRef(ANNA, "Anna"), PersonRef(BEN, "Ben")]
    assert kids.exclude == [PersonRef(BEN)]
    assert kids.match == "all" and kids.media_type == "image"
    assert kids.taken_after == date(2020, 1, 1) and kids.taken_before == date(2024, 12, 31)
    assert kids.include_archived and kids.favorites_only and kids.case_sensitive_globs
    assert kids.never_add == [ALBUM] and not kids.auto_apply and not kids.enabled
    assert c.rule("Anna").album_id == ALBUM and c.rule("Anna").match == "any"


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(FULL)
    first = load_config(path)
    save_config(first, path)
    again = load_config(path)
    assert again == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not again.warnings


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[server]\nurl = 5\n", "line 2: server.url must be a string (got an integer)"),
        ("[server]\nurl = 'ftp://x'\n", "server.url must start with http"),
        ("[server]\nuri = 'http://x'\n", "line 2: server.uri is not a known setting"),
        ("[servers]\n", "line 1: servers is not a known setting"),
        ("[sync]\ninterval_seconds = 'often'\n", "sync.interval_seconds must be an integer"),
        ("[sync]\ninterval_seconds = true\n", "must be an integer (got a boolean)"),
        ("[sync]\nchunk_size = 0\n", "sync.chunk_size must be between 1 and 50000"),
        ("[ui]\nimage_protocol = 'hologram'\n", "ui.image_protocol must be one of"),
        ("[ui]\nimage_protocol = 'tgp'\n", "must be one of auto, kitty, sixel, halfcell, none"),
        ("version = 'one'\n", "version must be an integer"),
        (
            f"[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = ['{ANNA}']\nmatch = 'some'\n",
            "line 5: rules[1].match must be one of any, all",
        ),
        (
            f"[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = ['{ANNA}']\n"
            f"[[rules]]\nname = 'b'\nalbum_name = 'A'\npeople = ['{ANNA}']\ncolour = 1\n",
            "line 9: rules[2].colour is not a known setting",
        ),
        (
            f"[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = ['{ANNA}']\n"
            f"[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = ['{ANNA}']\n",
            "rules[2].name 'a' is used by two rules",
        ),
        (f"[[rules]]\nname = 'a'\npeople = ['{ANNA}']\n", "needs album_id or album_name"),
        ("[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = []\n", "must name at least one"),
        (
            "[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = ['anna']\n",
            "rules[1].people[1] must be an Immich id",
        ),
        (
            f"[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = ['{ANNA}']\ntaken_after = 'May'\n",
            "rules[1].taken_after must be a date",
        ),
        (
            f"[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = ['{ANNA}']\n"
            "taken_after = 2024-01-01\ntaken_before = 2023-01-01\n",
            "must not be earlier",
        ),
        ("a = 1\nb = = 2\n", "is not valid TOML at line 2, column 5"),
        ("[server\n", "is not valid TOML at line 1"),
    ],
)
def test_bad_input_is_one_sentence_naming_the_key(text: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config_text(text, "config.toml")
    msg = str(info.value)
    assert needle in msg
    assert msg.startswith("config.toml") and msg.endswith(".") and "\n" not in msg


def test_newer_version_is_refused_clearly() -> None:
    with pytest.raises(ConfigError, match=r"newer ppl2album-tui.*version = 2.*please upgrade"):
        parse_config_text("version = 2\n")


def test_empty_and_missing_files_mean_defaults(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    assert load_config(empty) == Config() and load_config(empty).exists
    missing = load_config(tmp_path / "nope.toml")
    assert missing == Config() and not missing.exists


def test_broken_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    for broken in ("[server\nurl = 'x'", "version = 9\n", "[server]\nwhat = 1\n"):
        path.write_text(broken)
        with pytest.raises(ConfigError):
            load_config(path)
        with pytest.raises(ConfigError, match="Not saving"):
            save_config(Config(), path)
        assert path.read_text() == broken


def test_save_creates_dirs_and_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "config.toml"
    save_config(Config(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temp files left
    assert load_config(path) == Config()


def test_world_readable_file_warns(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[server]\napi_key = 'k'\n")
    os.chmod(path, 0o644)
    config = load_config(path)
    assert any("readable by other users" in w and "chmod 600" in w for w in config.warnings)
    assert all("'k'" not in w for w in config.warnings)


def test_paths_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PPL2ALBUM_TUI_CONFIG", str(tmp_path / "c.toml"))
    assert default_config_path() == tmp_path / "c.toml"
    assert resolve_config_path(None) == tmp_path / "c.toml"
    assert resolve_config_path(str(tmp_path / "x.toml")) == tmp_path / "x.toml"
    monkeypatch.delenv("PPL2ALBUM_TUI_CONFIG")
    assert default_config_path().name == "config.toml"


def test_api_key_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("IMMICH_API_KEY", raising=False)
    c = Config()
    with pytest.raises(ConfigError, match="No API key"):
        resolve_api_key(c)
    c.server.api_key = "from-file"
    assert resolve_api_key(c) == "from-file"
    secret = tmp_path / "secret"
    secret.write_text("from-secret\n")
    c.server.api_key_file = str(secret)
    assert resolve_api_key(c) == "from-secret"
    monkeypatch.setenv("IMMICH_API_KEY", "from-env")
    assert resolve_api_key(c) == "from-env"
    monkeypatch.delenv("IMMICH_API_KEY")
    c.server.api_key_file = str(tmp_path / "missing")
    with pytest.raises(ConfigError, match=r"api_key_file .* cannot be read"):
        resolve_api_key(c)


def test_dump_leaves_out_empty_key_and_writes_dates() -> None:
    c = Config(
        rules=[Rule("r", [PersonRef(ANNA, "Anna")], album_name="A", taken_after=date(2021, 5, 1))]
    )
    text = dump_config(c)
    assert "api_key" not in text and "taken_after = 2021-05-01" in text
    assert parse_config_text(text) == c
