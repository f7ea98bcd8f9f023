"""How a config key is declared: one `KeySpec` in the metadata of its dataclass field.

The settings and rule dataclasses declare every key once (type, default, bounds, doc line) with
`key(...)`; the strict reader, the writer, the README's key table and the rule editor's form are
all derived from those declarations (see schema.py, keydoc.py and ruleform.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal[
    "string",  # any text
    "url",  # a server URL (http:// or https://)
    "boolean",
    "integer",
    "integers",  # a list of integers
    "number",  # an integer or a float, read as a float
    "choice",  # one string of `choices`
    "date",  # a TOML date or an ISO 'YYYY-MM-DD' string
    "id",  # an Immich id (a UUID)
    "ids",  # a list of Immich ids
    "strings",  # a list of strings
    "people",  # a list of { id = "…", name = "…" }
    "shares",  # a list of { user = "email or id", role = "viewer" | "editor" }
]

MIN_INTERVAL_SECONDS = 10  # the shortest sync interval anywhere (TOML, .env, the app's prompt)


@dataclass(frozen=True)
class KeySpec:
    """What a key holds and how it is checked; `doc` is its line in the README's key table."""

    kind: Kind
    doc: str
    choices: tuple[str, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    required: bool = False  # must be present and non-empty
    strip: bool = False  # surrounding spaces are dropped when read
    omit_empty: bool = False  # not written when empty (the API key)
    secret: bool = False  # never shown unmasked (an editor masks it)


def key(kind: Kind, doc: str, **options: Any) -> dict[str, KeySpec]:
    """Field metadata declaring a config key: ``field(default=…, metadata=key("integer", …))``."""
    return {"key": KeySpec(kind, doc, **options)}


def specs(cls: type) -> Iterator[tuple[dataclasses.Field[Any], KeySpec]]:
    """The declared keys of dataclass `cls`, in declaration order (the order they are written)."""
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("key")
        if isinstance(spec, KeySpec):
            yield f, spec


def default_of(f: dataclasses.Field[Any]) -> Any:
    """The field's default (a fresh one for factories); MISSING when the key is required."""
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING
