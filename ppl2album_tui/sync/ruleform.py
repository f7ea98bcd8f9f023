"""The rule editor's form, derived from the rule's key declarations (no Textual here).

`FORM` lists every rule key with the control that edits it; `rule_to_form` fills the controls
from a rule, `rule_from_form` turns their values back into a rule, checked by the config reader
itself, so the editor accepts exactly what the config file accepts. Errors are `ConfigError`s
whose `key` names the field (see `rule_from_form`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ppl2album_tui.sync.keys import Kind, default_of, specs
from ppl2album_tui.sync.rules import PersonRef, Rule, ShareRef
from ppl2album_tui.sync.schema import person_to_dict, rule_from_dict, rule_to_dict
from ppl2album_tui.sync.settings import ConfigError

FormValue = str | bool
Control = Literal["text", "switch", "choice", "picked"]
_CONTROLS: dict[Kind, Control] = {  # the kinds a rule key has
    "string": "text",
    "integer": "text",
    "integers": "text",
    "url": "text",
    "date": "text",
    "strings": "text",
    "boolean": "switch",
    "choice": "choice",
    "id": "picked",
    "ids": "picked",
    "people": "picked",
    "shares": "picked",
}


@dataclass(frozen=True)
class FormField:
    """One rule key as the form shows it.

    `control`: ``text`` (an Input: strings as typed, lists comma separated, dates YYYY-MM-DD,
    whole numbers, two ages as ``0-2`` or ``0, 2``; empty = unset), ``switch`` (a Checkbox),
    ``choice`` (one of `choices`: radio buttons or a Select), ``picked`` (chosen elsewhere:
    people, exclude and the album on the People tab and the album picker, never_add by
    vetoes; passed to `rule_from_form` as arguments).
    """

    key: str
    control: Control
    doc: str
    choices: tuple[str, ...]
    default: FormValue | None  # the form value of a new rule (None for picked keys)
    secret: bool = False  # a text shown masked (the shared link's password)


def _form_value(kind: Kind, value: Any) -> FormValue:
    if kind == "boolean":
        return bool(value)
    if kind == "strings":
        return ", ".join(value)
    if kind == "integers":
        return "-".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _fields() -> tuple[FormField, ...]:
    out = []
    for f, spec in specs(Rule):
        control, default = _CONTROLS[spec.kind], default_of(f)
        if control == "picked":
            shown: FormValue | None = None
        else:
            shown = "" if default is dataclasses.MISSING else _form_value(spec.kind, default)
        out.append(FormField(f.name, control, spec.doc, spec.choices, shown, spec.secret))
    return tuple(out)


FORM: tuple[FormField, ...] = _fields()
_KINDS: dict[str, Kind] = {f.name: spec.kind for f, spec in specs(Rule)}
_OPTIONAL = {f.name: f.default is None for f, _ in specs(Rule)}  # empty text: unset


def _numbers(key: str, text: str) -> list[int]:
    """'0-2', '0, 2', '0–2' → [0, 2]; '3' → [3]; ConfigError for anything else."""
    parts = [p for p in re.split(r"[\s,–-]+", text) if p]
    if not all(p.isdigit() for p in parts) or (len(parts) > 1 and _KINDS[key] == "integer"):
        like = "two ages like 0-2" if _KINDS[key] == "integers" else "a whole number like 3"
        raise ConfigError(f"{key} must be {like} (got {text!r}).", key=key)
    return [int(p) for p in parts]


def rule_to_form(rule: Rule) -> dict[str, FormValue]:
    """The form values of `rule`: one per text, switch and choice field, keyed by rule key."""
    return {
        field.key: _form_value(_KINDS[field.key], getattr(rule, field.key))
        for field in FORM
        if field.control != "picked"
    }


def rule_from_form(
    values: Mapping[str, FormValue],
    base: Rule | None = None,
    *,
    people: Sequence[PersonRef] | None = None,
    exclude: Sequence[PersonRef] | None = None,
    album_id: str | None = None,
    share_with: Sequence[ShareRef] | None = None,
    others: Sequence[Rule] = (),
) -> Rule:
    """The rule the form describes, checked exactly as the config reader checks a rule.

    `values` are the text/switch/choice fields (missing ones keep `base`'s value, or the
    default); `people`, `exclude`, `album_id` and `share_with` are the picked keys (None keeps
    `base`'s; pass ``album_id=""`` for "no server album"); never_add is always `base`'s.
    `others` are the config's other rules, whose names this one must not take.

    Raises `ConfigError`: `key` is the field at fault (``name``, ``taken_after``, ``people``,
    ...; ``album_name`` when the rule has neither album), `str(err)` one sentence such as
    "taken_after must be a date like 2024-12-31 (got '2024-13-01')."
    """
    data = rule_to_dict(base) if base is not None else {}
    for key, value in values.items():
        kind = _KINDS.get(key)
        if kind is None or _CONTROLS[kind] == "picked":
            raise ConfigError(f"{key} is not a field of the rule form.", key=key)
        text = value.strip() if isinstance(value, str) else value
        if kind == "strings" and isinstance(text, str):
            data[key] = [part.strip() for part in text.split(",") if part.strip()]
        elif kind in ("integer", "integers") and isinstance(text, str):
            numbers = _numbers(key, text)
            if kind == "integers":
                data[key] = numbers
            elif numbers:
                data[key] = numbers[0]
            else:
                data.pop(key, None)
        elif text == "" and _OPTIONAL[key]:
            data.pop(key, None)  # empty = unset
        else:
            data[key] = text
    for key, refs in (("people", people), ("exclude", exclude)):
        if refs is not None:
            data[key] = [person_to_dict(ref) for ref in refs]
    if share_with is not None:
        data["share_with"] = [{"user": s.user, "role": s.role} for s in share_with]
    if album_id is not None:
        if album_id:
            data["album_id"] = album_id
        else:
            data.pop("album_id", None)
    try:
        rule = rule_from_dict(data)
    except ConfigError as err:
        if err.key:
            raise
        raise ConfigError(
            "The rule needs an album: pick a server album (album_id) or name a new one "
            "(album_name).",
            key="album_name",
        ) from None
    if any(other.name == rule.name for other in others if other is not base):
        raise ConfigError(f"name {rule.name!r} is used by another rule.", key="name")
    return rule
