"""The original script's .env: syntax as python-dotenv reads it, and the rule it stands for."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppl2album_tui.immich.models import Person
from ppl2album_tui.sync.envfile import (
    EnvFileError,
    env_rule,
    env_settings,
    load_env,
    parse_env_text,
    read_env_file,
)
from ppl2album_tui.sync.rules import RuleError
from ppl2album_tui.sync.settings import ConfigError
from tests.sync_helpers import SCRIPT_ENV_VARS

ALBUM = "0b9a2f1e-3c44-4d5e-8f00-0000000000aa"

SCRIPT_ENV = f"""\
# the original script's settings
IMMICH_BASE_URL=http://photos.local:2283
export IMMICH_API_KEY = 'abc#def'
IMMICH_ALBUM_ID="{ALBUM}"   # trailing comment
IMMICH_PERSONS= "Anna, Ben ,Zoe"

IMMICH_NAME_FILTERS=IMG_*.JPG,*.heic # only camera files
SYNC_INTERVAL_SECONDS=300
"""


def test_typical_env_file() -> None:
    values = parse_env_text(SCRIPT_ENV)
    assert values == {
        "IMMICH_BASE_URL": "http://photos.local:2283",
        "IMMICH_API_KEY": "abc#def",
        "IMMICH_ALBUM_ID": ALBUM,
        "IMMICH_PERSONS": "Anna, Ben ,Zoe",
        "IMMICH_NAME_FILTERS": "IMG_*.JPG,*.heic",
        "SYNC_INTERVAL_SECONDS": "300",
    }
    s = env_settings(values)
    assert s.persons == ["Anna", "Ben", "Zoe"] and s.name_filters == ["IMG_*.JPG", "*.heic"]
    assert s.interval_seconds == 300 and s.album_id == ALBUM


def test_quoting_details() -> None:
    v = parse_env_text('A="x\\"y\\nz"\nB=\'lit\\n\'\nC=\nD="multi\nline"\nE=a#b\n')
    assert v == {"A": 'x"y\nz', "B": "lit\\n", "C": "", "D": "multi\nline", "E": "a#b"}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("JUST TEXT\n", "line 1 is not of the form NAME=value"),
        ("A=1\nB='open\n", "line 2: the value of B has no closing '"),
        ('A="x" y\n', "unexpected text after the quoted value of A"),
    ],
)
def test_bad_env_lines(text: str, needle: str) -> None:
    with pytest.raises(EnvFileError, match=needle):
        parse_env_text(text, ".env")


def test_missing_and_bad_values() -> None:
    with pytest.raises(ConfigError, match="does not set IMMICH_API_KEY, IMMICH_ALBUM_ID"):
        env_settings({"IMMICH_BASE_URL": "http://x", "IMMICH_PERSONS": "A"})
    base = {
        "IMMICH_BASE_URL": "http://x",
        "IMMICH_API_KEY": "k",
        "IMMICH_PERSONS": "A",
        "IMMICH_ALBUM_ID": ALBUM,
    }
    with pytest.raises(ConfigError, match=r"IMMICH_ALBUM_ID .* not an Immich album id"):
        env_settings({**base, "IMMICH_ALBUM_ID": "kids"})
    with pytest.raises(ConfigError, match=r"SYNC_INTERVAL_SECONDS .* whole number"):
        env_settings({**base, "SYNC_INTERVAL_SECONDS": "5m"})
    with pytest.raises(ConfigError, match="IMMICH_PERSONS in the environment names nobody"):
        env_settings({**base, "IMMICH_PERSONS": " , "})
    with pytest.raises(ConfigError, match=r"IMMICH_BASE_URL .* http"):
        env_settings({**base, "IMMICH_BASE_URL": "photos.local"})


def test_file_and_process_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in SCRIPT_ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / ".env"
    path.write_text(SCRIPT_ENV)
    assert load_env(path).api_key == "abc#def"
    monkeypatch.setenv("IMMICH_API_KEY", "from-process")
    assert load_env(path).api_key == "from-process"
    with pytest.raises(EnvFileError, match="does not exist"):
        read_env_file(tmp_path / "missing.env")
    with pytest.raises(ConfigError, match="the environment does not set"):
        load_env(None)


def test_env_rule_resolves_names_exactly() -> None:
    s = env_settings(parse_env_text(SCRIPT_ENV))
    people = [Person("1", "Anna"), Person("2", "Ben"), Person("3", "ben"), Person("4", "Anna")]
    rule, warnings = env_rule(s, people)
    assert [p.id for p in rule.people] == ["1", "4", "2"]
    assert rule.match == "any" and rule.album_id == ALBUM and rule.globs == ["IMG_*.JPG", "*.heic"]
    assert any("'Zoe'" in w and "other people still sync" in w for w in warnings)
    assert any("2 people are named 'Anna'" in w for w in warnings)
    with pytest.raises(RuleError, match="None of the names"):
        env_rule(s, [Person("9", "anna")])


values_st = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\\\"'"),
    max_size=20,
)


@settings(deadline=None)  # a loaded CI machine must not make it flaky
@given(
    st.dictionaries(st.from_regex(r"[A-Z_][A-Z0-9_]{0,10}", fullmatch=True), values_st, max_size=6),
    st.sampled_from(["'", '"']),
    st.booleans(),
)
def test_quoted_values_round_trip(values: dict[str, str], quote: str, export: bool) -> None:
    text = "\n".join(
        f"{'export ' if export else ''}{k} = {quote}{v}{quote}  # c" for k, v in values.items()
    )
    assert parse_env_text(text) == values


@settings(deadline=None)  # a loaded CI machine must not make it flaky
@given(
    st.dictionaries(
        st.from_regex(r"[A-Z_][A-Z0-9_]{0,10}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9_./:,*-]{0,20}", fullmatch=True),
        max_size=6,
    )
)
def test_unquoted_values_round_trip(values: dict[str, str]) -> None:
    text = "# header\n\n" + "\n".join(f"{k}={v}" for k, v in values.items())
    assert parse_env_text(text) == values


@settings(deadline=None)  # a loaded CI machine must not make it flaky
@given(st.text(max_size=80))
def test_reader_never_crashes(text: str) -> None:
    try:
        parse_env_text(text)
    except EnvFileError as err:
        assert str(err).endswith(".")
