"""Property tests: any valid config survives a save/load round trip; any input fails cleanly."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ppl2album_tui.sync.config import (
    Config,
    ConfigError,
    ServerSettings,
    SyncSettings,
    UiSettings,
    dump_config,
    parse_config_text,
)
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.sync.schema import IMAGE_PROTOCOLS, RULE_KEYS, config_from_dict

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
stripped = text.map(str.strip)
nonempty = stripped.filter(bool)
ids = st.uuids(version=4).map(str)
people = st.lists(st.builds(PersonRef, ids, stripped), min_size=1, max_size=3)


@st.composite
def rules(draw: st.DrawFn, name: str) -> Rule:
    album_id = draw(st.one_of(st.none(), ids))
    by_id = st.one_of(st.none(), text.filter(lambda t: "{year}" not in t))  # refused with an id
    album_name = draw(nonempty if album_id is None else by_id)
    after = draw(st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 1, 1))))
    before = draw(st.one_of(st.none(), st.dates(after or date(1990, 1, 1), date(2031, 1, 1))))
    return Rule(
        name=name, people=draw(people), album_id=album_id, album_name=album_name,
        match=draw(st.sampled_from(["any", "all"])), exclude=draw(st.lists(
            st.builds(PersonRef, ids, stripped), max_size=2)),
        globs=draw(st.lists(text, max_size=3)), case_sensitive_globs=draw(st.booleans()),
        media_type=draw(st.sampled_from(["all", "image", "video"])),
        taken_after=after, taken_before=before, include_archived=draw(st.booleans()),
        favorites_only=draw(st.booleans()), never_add=draw(st.lists(ids, max_size=3)),
        auto_apply=draw(st.booleans()), enabled=draw(st.booleans()),
    )  # fmt: skip


@st.composite
def configs(draw: st.DrawFn) -> Config:
    names = draw(st.lists(nonempty, max_size=3, unique=True))
    return Config(
        server=ServerSettings(
            url=draw(st.sampled_from(["", "http://photos.local:2283", "https://x.example/api"])),
            api_key=draw(stripped), api_key_file=draw(st.one_of(st.none(), text)),
            ca_bundle=draw(st.one_of(st.none(), text)), insecure=draw(st.booleans()),
        ),
        sync=SyncSettings(
            interval_seconds=draw(st.integers(10, 10**7)), chunk_size=draw(st.integers(1, 50_000)),
            full_reconcile_hours=draw(st.floats(0, 1e6, allow_nan=False)),
            auto_apply=draw(st.booleans()),
        ),
        ui=UiSettings(image_protocol=draw(st.sampled_from(IMAGE_PROTOCOLS))),
        rules=[draw(rules(n)) for n in names],
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(configs())
def test_round_trip(config: Config) -> None:
    assert parse_config_text(dump_config(config)) == config


@settings(deadline=None)  # a loaded CI machine must not make it flaky
@given(st.text(max_size=200))
def test_any_text_loads_or_fails_with_one_sentence(source: str) -> None:
    try:
        parse_config_text(source, "config.toml")
    except ConfigError as err:
        msg = str(err)
        assert msg.startswith("config.toml") and "\n" not in msg.rstrip("\n")


scalars = st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), text,
                    st.dates(), st.datetimes(), st.lists(text, max_size=2))  # fmt: skip
keys = st.sampled_from([*RULE_KEYS, "version", "server", "sync", "ui", "rules", "url", "x"])
documents = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                     st.dictionaries(keys, inner, max_size=4)), max_leaves=12,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, documents, max_size=5))
def test_any_document_is_accepted_or_rejected_cleanly(doc: dict[str, Any]) -> None:
    try:
        config_from_dict(doc)
    except ConfigError as err:
        assert (str(err).endswith(".") and err.key is not None) or "newer" in str(err)


def test_datetime_is_not_a_date() -> None:
    doc = {"rules": [{"name": "a", "album_name": "A", "people": [str(ID)],
                      "taken_after": datetime(2020, 1, 1, 12)}]}  # fmt: skip
    try:
        config_from_dict(doc)
    except ConfigError as err:
        assert "taken_after must be a date" in str(err)
    else:
        raise AssertionError("a datetime was accepted as a date")


ID = "0b9a2f1e-3c44-4d5e-8f00-000000000001"
