"""The rule editor's form API (sync/ruleform.py): derived from the declarations, checked alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppl2album_tui.sync.config import ConfigError
from ppl2album_tui.sync.ruleform import FORM, rule_from_form, rule_to_form
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.sync.schema import RULE_KEYS
from tests.sync.test_config_properties import rules

ANNA = PersonRef("5b1f0c6e-2a3b-4c5d-8e6f-7a8b9c0d1e2f", "Anna")
ALBUM = "2f4a6c8e-1b3d-4f5a-8c7e-9d0b1a2c3e4f"


def test_the_form_has_every_rule_key_once() -> None:
    assert tuple(f.key for f in FORM) == RULE_KEYS
    controls = {f.key: f.control for f in FORM}
    assert controls["name"] == controls["globs"] == controls["taken_after"] == "text"
    assert controls["enabled"] == "switch" and controls["media_type"] == "choice"
    assert controls["people"] == controls["album_id"] == controls["never_add"] == "picked"
    media = next(f for f in FORM if f.key == "media_type")
    assert media.choices == ("all", "image", "video") and media.default == "all"


def test_a_new_rule_from_the_form_gets_the_declared_defaults() -> None:
    values = {f.key: f.default for f in FORM if f.default is not None}
    rule = rule_from_form({**values, "name": "Kids", "album_name": "Kids"}, people=[ANNA])
    assert rule == Rule("Kids", [ANNA], album_name="Kids")


def test_form_values_are_what_the_editor_shows() -> None:
    rule = Rule(
        "Kids", [ANNA], album_id=ALBUM, globs=["*.jpg", "IMG_*"], taken_after=date(2020, 1, 2)
    )
    form = rule_to_form(rule)
    assert form["globs"] == "*.jpg, IMG_*" and form["taken_after"] == "2020-01-02"
    assert form["taken_before"] == "" and form["album_name"] == "" and form["enabled"] is True
    assert "people" not in form and "album_id" not in form and "never_add" not in form
    edited = rule_from_form({**form, "taken_after": "", "globs": " *.heic , "}, rule)
    assert edited == replace(rule, taken_after=None, globs=["*.heic"])


@pytest.mark.parametrize(
    ("values", "picked", "key", "message"),
    [
        ({"taken_after": "2024-13-01"}, {}, "taken_after",
         "taken_after must be a date like 2024-12-31 (got '2024-13-01')."),
        ({"name": "  "}, {}, "name", "name is required (a non-empty string)."),
        ({}, {"people": []}, "people", "people must name at least one person."),
        ({"album_name": ""}, {"album_id": ""}, "album_name",
         "The rule needs an album: pick a server album (album_id) or name a new one (album_name)."),
        ({"taken_after": "2024-02-01", "taken_before": "2024-01-01"}, {}, "taken_before",
         "taken_before must not be earlier than taken_after."),
        ({"media_type": "photo"}, {}, "media_type",
         "media_type must be one of all, image, video (got 'photo')."),
        ({"name": "Other"}, {}, "name", "name 'Other' is used by another rule."),
        ({"never_add": ""}, {}, "never_add", "never_add is not a field of the rule form."),
    ],
)  # fmt: skip
def test_bad_form_values_name_their_field(
    values: dict[str, str], picked: dict[str, Any], key: str, message: str
) -> None:
    base = Rule("Kids", [ANNA], album_name="Kids")
    others = [base, Rule("Other", [ANNA], album_name="O")]
    with pytest.raises(ConfigError) as info:
        rule_from_form(values, base, others=others, **picked)
    assert (info.value.key, str(info.value)) == (key, message)


clean = st.text("abcXYZ*?._-0", min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(rules("r"), st.lists(clean, max_size=3), st.one_of(st.none(), clean))
def test_every_rule_survives_the_form(rule: Rule, globs: list[str], album_name: str | None) -> None:
    rule = replace(rule, globs=globs, album_name=album_name or (None if rule.album_id else "A"))
    assert rule_from_form(rule_to_form(rule), rule) == rule
