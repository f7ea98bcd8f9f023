"""The config keys are declared once: the README's table and example follow the declarations."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from ppl2album_tui.sync.config import ConfigError, dump_config, parse_config_text
from ppl2album_tui.sync.keydoc import BEGIN, END, TABLES, key_table, with_table
from ppl2album_tui.sync.keys import specs

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_key_table_is_the_declarations() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text, (
        "README.md's key table differs from the declarations: "
        "run python -m ppl2album_tui.sync.keydoc README.md"
    )


def test_table_drifts_when_a_declaration_changes() -> None:
    text = README.read_text(encoding="utf-8")
    stale = text.replace("| `sync.chunk_size` | integer, 1–50000", "| `sync.chunk_size` | integer")
    assert stale != text and with_table(stale) == text


def test_readme_example_uses_every_declared_key() -> None:
    text = README.read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, re.S)
    assert example is not None
    data = tomllib.loads(example.group(1).replace("# album_id", "album_id"))
    for prefix, cls in TABLES:
        table = data if not prefix else data[prefix.strip(".[]")]
        table = table[0] if isinstance(table, list) else table
        missing = [f.name for f, _ in specs(cls) if f.name not in table]
        assert not missing, f"the README's TOML example lacks {prefix}{missing}"


def test_every_row_of_the_table_is_a_declared_key() -> None:
    declared = {f"{prefix}{f.name}" for prefix, cls in TABLES for f, _ in specs(cls)}
    rows = re.findall(r"^\| `([^`]+)` \|", key_table(), re.M)
    assert set(rows) == declared and len(rows) == len(declared)
    assert BEGIN in README.read_text() and END in README.read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[sync]\ninterval_seconds = 9\n",
            "config: line 2: sync.interval_seconds must be at least 10 (got 9).",
        ),
        (
            "[sync]\nfull_reconcile_hours = -1\n",
            "config: line 2: sync.full_reconcile_hours must be at least 0 (got -1).",
        ),
        (
            "[server]\nurl = 'photos.local'\n",
            "config: line 2: server.url has no scheme: write http://photos.local or https://photos.local.",
        ),
        (
            "[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = [{}]\n",
            "config: line 4: rules[1].people[1] needs an id "
            "(or a name, until it is on the server).",
        ),
    ],
)
def test_bounds_and_checks_come_from_the_declarations(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config_text(text)
    assert str(info.value) == message


def test_a_person_by_name_alone_is_kept_and_written_back() -> None:
    text = "[[rules]]\nname = 'a'\nalbum_name = 'A'\npeople = [{ name = 'Zed' }]\n"
    config = parse_config_text(text)
    assert config.rules[0].people[0].id == "" and config.rules[0].people[0].name == "Zed"
    assert 'people = [\n    { name = "Zed" },\n]' in dump_config(config)
