"""Strict conversion between a parsed TOML document and `Config`, and back.

Every problem raises `ConfigError` naming the key (``server.url``, ``rules[2].media_type``; arrays
count from 1) and, when the key can be found in the text, its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, cast

from ppl2album_tui.sync.rules import MATCH_MODES, MEDIA_TYPES, MatchMode, MediaType, PersonRef, Rule
from ppl2album_tui.sync.settings import (
    CONFIG_VERSION,
    Config,
    ConfigError,
    ServerSettings,
    SyncSettings,
    UiSettings,
)

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
IMAGE_PROTOCOLS = ("auto", "kitty", "sixel", "halfcell", "none")  # the app's --image-protocol too
Path_ = tuple[str | int, ...]


def key_name(path: Path_) -> str:
    """``("rules", 1, "globs")`` → ``rules[2].globs`` (arrays count from 1)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def find_line(text: str, path: Path_) -> int | None:
    """Best-effort 1-based line of the key at `path` in TOML `text` (None when not found)."""
    if not text or not path:
        return None
    if len(path) > 1 and isinstance(path[1], int):
        table, rest = path[:2], path[2:]
    elif len(path) > 1:
        table, rest = path[:1], path[1:]
    else:
        table, rest = (), path
    current: Path_ = ()
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if m := re.match(r"^\[\[\s*([\w.\-]+)\s*\]\]", line):
            counts[m.group(1)] = counts.get(m.group(1), -1) + 1
            current = (m.group(1), counts[m.group(1)])
        elif m := re.match(r"^\[\s*([\w.\-]+)\s*\]", line):
            current = (m.group(1),)
        elif current == table and rest and isinstance(rest[0], str):
            if re.match(rf"^[\"']?{re.escape(rest[0])}[\"']?\s*=", line):
                return number
            continue
        else:
            continue
        if current == path:
            return number
    return None


class _Reader:
    """Validates one document; raises ConfigError with the key's line."""

    def __init__(self, text: str) -> None:
        self.text = text

    def fail(self, path: Path_, message: str) -> ConfigError:
        line = find_line(self.text, path)
        where = f"line {line}: " if line else ""
        return ConfigError(f"{where}{key_name(path)} {message}.", key=key_name(path), line=line)

    def table(self, value: object, path: Path_, known: tuple[str, ...]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "must be a table")
        for key in value:
            if key not in known:
                raise self.fail((*path, key), f"is not a known setting (known: {', '.join(known)})")
        return value

    def typed(
        self, table: Mapping[str, Any], path: Path_, key: str, kind: str, default: Any
    ) -> Any:
        if key not in table:
            return default
        value = table[key]
        checks: dict[str, Callable[[object], bool]] = {
            "string": lambda v: isinstance(v, str),
            "boolean": lambda v: isinstance(v, bool),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "list of strings": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        }
        if not checks[kind](value):
            article = "an" if kind[0] in "aeiou" else "a"
            raise self.fail((*path, key), f"must be {article} {kind} (got {_show(value)})")
        return list(value) if isinstance(value, list) else value

    def choice(
        self,
        table: Mapping[str, Any],
        path: Path_,
        key: str,
        choices: tuple[str, ...],
        default: str,
    ) -> str:
        value = self.typed(table, path, key, "string", default)
        if value not in choices:
            raise self.fail((*path, key), f"must be one of {', '.join(choices)} (got {value!r})")
        return cast(str, value)

    def date(self, table: Mapping[str, Any], path: Path_, key: str) -> date | None:
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail((*path, key), f"must be a date like 2024-12-31 (got {_show(value)})")

    def ident(self, value: str, path: Path_) -> str:
        if not UUID_RE.fullmatch(value):
            raise self.fail(path, f"must be an Immich id (a UUID), got {value!r}")
        return value

    def people(self, table: Mapping[str, Any], path: Path_, key: str) -> list[PersonRef]:
        raw = table.get(key, [])
        if not isinstance(raw, list):
            raise self.fail((*path, key), 'must be a list of people like { id = "…", name = "…" }')
        refs = []
        for i, item in enumerate(raw):
            where = (*path, key, i)
            if isinstance(item, str):
                refs.append(PersonRef(self.ident(item, where)))
                continue
            t = self.table(item, where, ("id", "name"))
            if "id" not in t:
                raise self.fail(where, "needs an id")
            pid = self.ident(self.typed(t, where, "id", "string", ""), (*where, "id"))
            refs.append(PersonRef(pid, self.typed(t, where, "name", "string", "")))
        return refs


def _show(value: object) -> str:
    kind = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
    return kind


def config_from_dict(data: Mapping[str, Any], text: str = "") -> Config:
    """Validate a parsed TOML document (`text` is its source, for line numbers)."""
    r = _Reader(text)
    top = r.table(data, (), ("version", "server", "sync", "ui", "rules"))
    version = r.typed(top, (), "version", "integer", CONFIG_VERSION)
    if version > CONFIG_VERSION:
        raise ConfigError(
            f"This config was written by a newer ppl2album-tui (version = {version}); this one "
            f"understands version {CONFIG_VERSION}, please upgrade.",
            key="version",
            line=find_line(text, ("version",)),
        )
    if version < 1:
        raise r.fail(("version",), f"must be {CONFIG_VERSION}")
    return Config(
        server=_server(r, top.get("server", {})),
        sync=_sync(r, top.get("sync", {})),
        ui=_ui(r, top.get("ui", {})),
        rules=_rules(r, top.get("rules", [])),
        version=CONFIG_VERSION,
    )


def _server(r: _Reader, raw: object) -> ServerSettings:
    p: Path_ = ("server",)
    t = r.table(raw, p, ("url", "api_key", "api_key_file", "ca_bundle", "insecure"))
    url = r.typed(t, p, "url", "string", "").strip()
    if url and not re.match(r"^https?://[^/\s]+", url):
        raise r.fail((*p, "url"), f"must start with http:// or https:// (got {url!r})")
    return ServerSettings(
        url=url,
        api_key=r.typed(t, p, "api_key", "string", "").strip(),
        api_key_file=r.typed(t, p, "api_key_file", "string", None),
        ca_bundle=r.typed(t, p, "ca_bundle", "string", None),
        insecure=r.typed(t, p, "insecure", "boolean", False),
    )


def _sync(r: _Reader, raw: object) -> SyncSettings:
    p: Path_ = ("sync",)
    t = r.table(raw, p, ("interval_seconds", "chunk_size", "full_reconcile_hours", "auto_apply"))
    s = SyncSettings(
        interval_seconds=r.typed(t, p, "interval_seconds", "integer", 900),
        chunk_size=r.typed(t, p, "chunk_size", "integer", 1000),
        full_reconcile_hours=float(r.typed(t, p, "full_reconcile_hours", "number", 24)),
        auto_apply=r.typed(t, p, "auto_apply", "boolean", True),
    )
    if s.interval_seconds < 10:
        raise r.fail((*p, "interval_seconds"), f"must be at least 10 (got {s.interval_seconds})")
    if not 1 <= s.chunk_size <= 50_000:
        raise r.fail((*p, "chunk_size"), f"must be between 1 and 50000 (got {s.chunk_size})")
    if s.full_reconcile_hours < 0:
        raise r.fail((*p, "full_reconcile_hours"), "must be 0 (every tick) or more")
    return s


def _ui(r: _Reader, raw: object) -> UiSettings:
    p: Path_ = ("ui",)
    t = r.table(raw, p, ("image_protocol",))
    return UiSettings(image_protocol=r.choice(t, p, "image_protocol", IMAGE_PROTOCOLS, "auto"))


RULE_KEYS = (
    "name", "people", "album_id", "album_name", "match", "exclude", "globs",
    "case_sensitive_globs", "media_type", "taken_after", "taken_before", "include_archived",
    "favorites_only", "never_add", "auto_apply", "enabled", "include_partners",
)  # fmt: skip


def _rules(r: _Reader, raw: object) -> list[Rule]:
    if not isinstance(raw, list):
        raise r.fail(("rules",), "must be an array of tables ([[rules]])")
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        rule = _rule(r, item, ("rules", i))
        if rule.name in seen:
            raise r.fail(("rules", i, "name"), f"{rule.name!r} is used by two rules")
        seen.add(rule.name)
        rules.append(rule)
    return rules


def _rule(r: _Reader, raw: object, p: Path_) -> Rule:
    t = r.table(raw, p, RULE_KEYS)
    name = r.typed(t, p, "name", "string", "").strip()
    if not name:
        raise r.fail((*p, "name"), "is required (a non-empty string)")
    people = r.people(t, p, "people")
    if not people:
        raise r.fail((*p, "people"), "must name at least one person")
    album_id = r.typed(t, p, "album_id", "string", None)
    if album_id is not None:
        r.ident(album_id, (*p, "album_id"))
    album_name = r.typed(t, p, "album_name", "string", None)
    if not album_id and not (album_name or "").strip():
        raise r.fail(p, f"(rule {name!r}) needs album_id or album_name")
    never_add = r.typed(t, p, "never_add", "list of strings", [])
    for j, asset_id in enumerate(never_add):
        r.ident(asset_id, (*p, "never_add", j))
    rule = Rule(
        name=name,
        people=people,
        album_id=album_id,
        album_name=album_name,
        match=cast(MatchMode, r.choice(t, p, "match", MATCH_MODES, "any")),
        exclude=r.people(t, p, "exclude"),
        globs=r.typed(t, p, "globs", "list of strings", []),
        case_sensitive_globs=r.typed(t, p, "case_sensitive_globs", "boolean", False),
        media_type=cast(MediaType, r.choice(t, p, "media_type", MEDIA_TYPES, "all")),
        taken_after=r.date(t, p, "taken_after"),
        taken_before=r.date(t, p, "taken_before"),
        include_archived=r.typed(t, p, "include_archived", "boolean", False),
        favorites_only=r.typed(t, p, "favorites_only", "boolean", False),
        never_add=never_add,
        auto_apply=r.typed(t, p, "auto_apply", "boolean", True),
        enabled=r.typed(t, p, "enabled", "boolean", True),
        include_partners=r.typed(t, p, "include_partners", "boolean", False),
    )
    if rule.taken_after and rule.taken_before and rule.taken_after > rule.taken_before:
        raise r.fail((*p, "taken_before"), "must not be earlier than taken_after")
    return rule


def config_to_dict(config: Config) -> dict[str, Any]:
    """The TOML document for `config`: every known key, None values left out."""
    s = config.server
    server = {"url": s.url, "api_key": s.api_key, "api_key_file": s.api_key_file,
              "ca_bundle": s.ca_bundle, "insecure": s.insecure}  # fmt: skip
    if not s.api_key:
        del server["api_key"]
    y = config.sync
    return {
        "version": CONFIG_VERSION,
        "server": _drop_none(server),
        "sync": {"interval_seconds": y.interval_seconds, "chunk_size": y.chunk_size,
                 "full_reconcile_hours": y.full_reconcile_hours, "auto_apply": y.auto_apply},
        "ui": {"image_protocol": config.ui.image_protocol},
        "rules": [rule_to_dict(rule) for rule in config.rules],
    }  # fmt: skip


def _people(refs: list[PersonRef]) -> list[dict[str, str]]:
    return [{"id": ref.id, "name": ref.name} if ref.name else {"id": ref.id} for ref in refs]


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    return _drop_none({
        "name": rule.name, "album_id": rule.album_id, "album_name": rule.album_name,
        "people": _people(rule.people), "match": rule.match, "exclude": _people(rule.exclude),
        "globs": list(rule.globs), "case_sensitive_globs": rule.case_sensitive_globs,
        "media_type": rule.media_type, "taken_after": rule.taken_after,
        "taken_before": rule.taken_before, "include_archived": rule.include_archived,
        "favorites_only": rule.favorites_only, "never_add": list(rule.never_add),
        "auto_apply": rule.auto_apply, "enabled": rule.enabled,
        "include_partners": rule.include_partners or None,  # written only when on
    })  # fmt: skip


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
