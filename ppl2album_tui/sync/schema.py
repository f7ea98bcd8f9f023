"""Strict conversion between a parsed TOML document and `Config`, and back.

Every problem raises `ConfigError` naming the key (``server.url``, ``rules[2].media_type``; arrays
count from 1) and, when the key can be found in the text, its line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from ppl2album_tui.immich.urls import url_problem
from ppl2album_tui.sync.dates import window_problem
from ppl2album_tui.sync.keys import KeySpec, default_of, specs
from ppl2album_tui.sync.rules import SHARE_ROLES, PersonRef, Rule, ShareRef
from ppl2album_tui.sync.settings import (
    CONFIG_VERSION,
    IMAGE_PROTOCOLS,
    AccountSettings,
    Config,
    ConfigError,
    ServerSettings,
    SyncSettings,
    UiSettings,
)

__all__ = [
    "IMAGE_PROTOCOLS",
    "RULE_KEYS",
    "UUID_RE",
    "config_from_dict",
    "config_to_dict",
    "person_to_dict",
    "rule_from_dict",
    "rule_to_dict",
]

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
SECTIONS: dict[str, type] = {"server": ServerSettings, "sync": SyncSettings, "ui": UiSettings}
RULE_KEYS = tuple(f.name for f, _ in specs(Rule))
Path_ = tuple[str | int, ...]
T = TypeVar("T")


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
        subject = f"{key_name(path)} " if path else ""
        return ConfigError(f"{where}{subject}{message}.", key=key_name(path), line=line)

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
            "list of integers": lambda v: (
                isinstance(v, list)
                and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
            ),
        }
        if not checks[kind](value):
            article = "an" if kind[0] in "aeiou" else "a"
            raise self.fail((*path, key), f"must be {article} {kind} (got {_show(value)})")
        return list(value) if isinstance(value, list) else value

    def declared(self, cls: type[T], raw: object, path: Path_) -> T:
        """An instance of dataclass `cls` from TOML table `raw`, every key checked by its spec."""
        fields = list(specs(cls))
        table = self.table(raw, path, tuple(f.name for f, _ in fields))
        values = {
            f.name: self.value(table, path, f.name, spec, default_of(f)) for f, spec in fields
        }
        return cls(**values)

    def value(
        self, table: Mapping[str, Any], path: Path_, key: str, spec: KeySpec, default: Any
    ) -> Any:
        """One key of `table` as `spec` declares it (`default` when absent)."""
        where, kind = (*path, key), spec.kind
        if default is dataclasses.MISSING:  # a required key: absent reads as empty, refused below
            default = ""
        if kind == "people":
            value: Any = self.people(table, path, key)
        elif kind == "shares":
            value = self.shares(table, path, key)
        elif kind == "date":
            value = self.date(table, path, key)
        elif kind in ("strings", "ids"):
            value = self.typed(table, path, key, "list of strings", default)
            if kind == "ids":
                for j, item in enumerate(value):
                    self.ident(item, (*where, j))
        elif kind == "integers":
            value = self.typed(table, path, key, "list of integers", default)
        elif kind in ("integer", "boolean", "number"):
            value = self.typed(table, path, key, kind, default)
            value = float(value) if kind == "number" else value
        else:  # string, url, choice, id
            value = self.typed(table, path, key, "string", default)
            if spec.strip and isinstance(value, str):
                value = value.strip()
            if kind == "choice" and value not in spec.choices:
                raise self.fail(where, f"must be one of {', '.join(spec.choices)} (got {value!r})")
            if kind == "id" and value is not None:
                self.ident(value, where)
            if kind == "url" and value and (problem := url_problem(value)):
                raise self.fail(where, problem)
        if spec.required and not value:
            raise self.fail(where, _REQUIRED.get(kind, "is required"))
        low, high = spec.min, spec.max
        if value is None:
            return value
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise self.fail(where, f"must be {bounds} (got {_number(value)})")
        return value

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
        got = repr(value) if isinstance(value, str) else _show(value)
        raise self.fail((*path, key), f"must be a date like 2024-12-31 (got {got})")

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
            t = self.table(item, where, ("id", "name", "account"))
            name = self.typed(t, where, "name", "string", "")
            account = self.typed(t, where, "account", "string", "").strip()
            if "id" not in t:
                if not name.strip():
                    raise self.fail(where, "needs an id (or a name, until it is on the server)")
                refs.append(PersonRef("", name, account))
                continue
            pid = self.ident(self.typed(t, where, "id", "string", ""), (*where, "id"))
            refs.append(PersonRef(pid, name, account))
        return refs

    def shares(self, table: Mapping[str, Any], path: Path_, key: str) -> list[ShareRef]:
        raw = table.get(key, [])
        like = 'must be a list of users like { user = "grandma@example.com", role = "viewer" }'
        if not isinstance(raw, list):
            raise self.fail((*path, key), like)
        refs: list[ShareRef] = []
        for i, item in enumerate(raw):
            where = (*path, key, i)
            t = self.table(item, where, ("user", "role"))
            user = self.typed(t, where, "user", "string", "").strip()
            if not user:
                raise self.fail(where, "needs a user (their email or user id)")
            role = self.typed(t, where, "role", "string", "viewer")
            if role not in SHARE_ROLES:
                raise self.fail((*where, "role"), f"must be viewer or editor (got {role!r})")
            if any(r.user.casefold() == user.casefold() for r in refs):
                raise self.fail(where, f"names {user!r} twice")
            refs.append(ShareRef(user, role))
        return refs


_REQUIRED = {
    "string": "is required (a non-empty string)",
    "people": "must name at least one person",
}


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


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
    top = r.table(data, (), ("version", "server", "sync", "ui", "rules", "accounts"))
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
    sections: dict[str, Any] = {
        name: r.declared(cls, top.get(name, {}), (name,)) for name, cls in SECTIONS.items()
    }
    accounts = _accounts(r, top.get("accounts", []), sections["server"])
    rules = _rules(r, top.get("rules", []))
    names = {sections["server"].account_label, *(a.name for a in accounts)}
    for i, rule in enumerate(rules):
        _check_accounts(r, rule, ("rules", i), names)
    return Config(**sections, rules=rules, accounts=accounts, version=CONFIG_VERSION)


def _accounts(r: _Reader, raw: object, server: ServerSettings) -> list[AccountSettings]:
    """The `[[accounts]]` tables: unique names (not the first account's), each with a key."""
    if not isinstance(raw, list):
        raise r.fail(("accounts",), "must be an array of tables ([[accounts]])")
    accounts: list[AccountSettings] = []
    seen = {server.account_label}
    for i, item in enumerate(raw):
        account = r.declared(AccountSettings, item, ("accounts", i))
        if account.name in seen:
            raise r.fail(("accounts", i, "name"), f"{account.name!r} names two accounts")
        if not account.api_key and not account.api_key_file:
            why = f"(account {account.name!r}) needs api_key or api_key_file"
            raise r.fail(("accounts", i), why)
        seen.add(account.name)
        accounts.append(account)
    return accounts


def _check_accounts(r: _Reader, rule: Rule, p: Path_, names: set[str]) -> None:
    """Every account a rule names (its people's, its album's) is configured."""
    for key in ("people", "exclude"):
        for j, ref in enumerate(getattr(rule, key)):
            if ref.account and ref.account not in names:
                known = ", ".join(sorted(names))
                why = f"names the account {ref.account!r}, which is not configured ({known})"
                raise r.fail((*p, key, j), why)
    if rule.album_account and rule.album_account not in names:
        raise r.fail((*p, "album_account"), f"{rule.album_account!r} is not a configured account")


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
    rule = r.declared(Rule, raw, p)
    if not rule.album_id and not (rule.album_name or "").strip():
        raise r.fail(p, f"(rule {rule.name!r}) needs album_id or album_name")
    if rule.taken_after and rule.taken_before and rule.taken_after > rule.taken_before:
        raise r.fail((*p, "taken_before"), "must not be earlier than taken_after")
    if problem := window_problem(rule):
        raise r.fail((*p, problem[0]), problem[1])
    return rule


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """One `[[rules]]` table checked as the config reader checks it; errors name the bare key
    (``taken_after``; an empty key for the rule as a whole), with no line."""
    return _rule(_Reader(""), data, ())


def config_to_dict(config: Config) -> dict[str, Any]:
    """The TOML document for `config`: every declared key, None values left out."""
    sections = {name: declared_to_dict(getattr(config, name)) for name in SECTIONS}
    rules = [rule_to_dict(rule) for rule in config.rules]
    accounts = [declared_to_dict(a) for a in config.accounts]
    extra = {"accounts": accounts} if accounts else {}
    return {"version": CONFIG_VERSION, **sections, "rules": rules, **extra}


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    """The `[[rules]]` table of `rule`."""
    return declared_to_dict(rule)


def declared_to_dict(obj: Any) -> dict[str, Any]:
    """The TOML table of a dataclass with declared keys (None and omit-empty values left out)."""
    out: dict[str, Any] = {}
    for f, spec in specs(type(obj)):
        value = getattr(obj, f.name)
        if value is None or (spec.omit_empty and not value):
            continue
        if spec.kind == "people":
            value = [person_to_dict(ref) for ref in value]
        elif spec.kind == "shares":
            value = [{"user": ref.user, "role": ref.role} for ref in value]
        out[f.name] = list(value) if isinstance(value, list) else value
    return out


def person_to_dict(ref: PersonRef) -> dict[str, str]:
    """A person as the config writes it: ``{ id, name }``, either left out when empty."""
    fields = {"id": ref.id, "name": ref.name, "account": ref.account}
    return {k: v for k, v in fields.items() if v}
