"""The original script's ``.env``, accepted as is, turned into a config with one rule.

Variables: IMMICH_BASE_URL, IMMICH_API_KEY, IMMICH_ALBUM_ID, IMMICH_PERSONS (comma separated,
exact case-sensitive names; the union of their photos), IMMICH_NAME_FILTERS (comma separated
globs, empty = everything), SYNC_INTERVAL_SECONDS. Syntax as python-dotenv reads it: comments,
blank lines, an optional ``export`` prefix, spaces around ``=``, values in single quotes (literal)
or double quotes (with ``\\n``, ``\\"`` and ``\\\\`` escapes), an unquoted value ending at
`` #``. As with python-dotenv, a variable set in the process environment wins over the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ppl2album_tui.immich.models import Person
from ppl2album_tui.immich.urls import url_problem
from ppl2album_tui.sync.keys import MIN_INTERVAL_SECONDS
from ppl2album_tui.sync.names import resolve_refs
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError
from ppl2album_tui.sync.schema import UUID_RE
from ppl2album_tui.sync.settings import Config, ConfigError, ServerSettings, SyncSettings

ENV_VARS = (
    "IMMICH_BASE_URL",
    "IMMICH_API_KEY",
    "IMMICH_ALBUM_ID",
    "IMMICH_PERSONS",
    "IMMICH_NAME_FILTERS",
    "SYNC_INTERVAL_SECONDS",
)
ENV_RULE_NAME = "env"
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


class EnvFileError(ConfigError):
    """The .env file cannot be read; one sentence with the line."""


def parse_env_text(text: str, source: str = ".env") -> dict[str, str]:
    """Parse .env `text` into a dict (later assignments win)."""
    out: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i].strip()
        i += 1
        if not line or line.startswith("#"):
            continue
        if line.startswith("export ") or line.startswith("export\t"):
            line = line[len("export") :].lstrip()
        key, eq, rest = line.partition("=")
        key = key.strip()
        if not eq or not _KEY.fullmatch(key):
            raise EnvFileError(
                f"{source} line {number} is not of the form NAME=value.", line=number
            )
        rest = rest.lstrip()
        if rest[:1] in ("'", '"'):
            quote = rest[0]
            body = rest[1:]
            # a quoted value may span lines until its closing quote
            while _closing(body, quote) < 0 and i < len(lines):
                body += "\n" + lines[i]
                i += 1
            end = _closing(body, quote)
            if end < 0:
                raise EnvFileError(
                    f"{source} line {number}: the value of {key} has no closing {quote}.",
                    key=key, line=number)  # fmt: skip
            trailing = body[end + 1 :].strip()
            if trailing and not trailing.startswith("#"):
                raise EnvFileError(
                    f"{source} line {number}: unexpected text after the quoted value of {key}.",
                    key=key, line=number)  # fmt: skip
            value = body[:end]
            out[key] = _unescape(value) if quote == '"' else value
        else:
            out[key] = re.split(r"\s#", rest, maxsplit=1)[0].strip()
    return out


def _closing(body: str, quote: str) -> int:
    j = 0
    while j < len(body):
        if quote == '"' and body[j] == "\\":
            j += 2
            continue
        if body[j] == quote:
            return j
        j += 1
    return -1


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), value)


def read_env_file(path: Path) -> dict[str, str]:
    """Read and parse the .env file at `path` (EnvFileError when unreadable or malformed)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise EnvFileError(f"The env file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as err:
        why = getattr(err, "strerror", None) or "not UTF-8 text"
        raise EnvFileError(f"The env file {path} cannot be read ({why}).") from None
    return parse_env_text(text, str(path))


@dataclass
class EnvSettings:
    """The original script's settings."""

    base_url: str
    api_key: str = field(repr=False)  # never in a repr (logs, tracebacks)
    album_id: str
    persons: list[str]
    name_filters: list[str] = field(default_factory=list)
    interval_seconds: int = SyncSettings.interval_seconds


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def env_settings(values: Mapping[str, str], source: str = "the environment") -> EnvSettings:
    """Validate the script's variables from `values` (ConfigError naming the variable)."""
    missing = [v for v in ENV_VARS[:4] if not values.get(v, "").strip()]
    if missing:
        raise ConfigError(f"{source} does not set {', '.join(missing)}.", key=missing[0])
    url = values["IMMICH_BASE_URL"].strip()
    if problem := url_problem(url):
        raise ConfigError(f"IMMICH_BASE_URL in {source} {problem}.", key="IMMICH_BASE_URL")
    album = values["IMMICH_ALBUM_ID"].strip()
    if not UUID_RE.fullmatch(album):
        raise ConfigError(
            f"IMMICH_ALBUM_ID in {source} is not an Immich album id (a UUID): {album!r}.",
            key="IMMICH_ALBUM_ID",
        )

    interval = SyncSettings.interval_seconds
    raw_interval = values.get("SYNC_INTERVAL_SECONDS", "").strip()
    if raw_interval:
        try:
            interval = int(raw_interval)
        except ValueError:
            interval = -1
        if interval < 0:
            raise ConfigError(
                f"SYNC_INTERVAL_SECONDS in {source} must be a whole number of seconds "
                f"(got {raw_interval!r}).", key="SYNC_INTERVAL_SECONDS")  # fmt: skip
        if interval < MIN_INTERVAL_SECONDS:
            raise ConfigError(
                f"SYNC_INTERVAL_SECONDS in {source} must be at least {MIN_INTERVAL_SECONDS} "
                f"seconds (got {interval}).", key="SYNC_INTERVAL_SECONDS")  # fmt: skip
    persons = _split(values["IMMICH_PERSONS"])
    if not persons:
        raise ConfigError(f"IMMICH_PERSONS in {source} names nobody.", key="IMMICH_PERSONS")
    return EnvSettings(
        base_url=url,
        api_key=values["IMMICH_API_KEY"].strip(),
        album_id=album,
        persons=persons,
        name_filters=_split(values.get("IMMICH_NAME_FILTERS", "")),
        interval_seconds=interval,
    )


def load_env(path: Path | None) -> EnvSettings:
    """Settings from the .env at `path` overlaid by the process environment (or env only)."""
    values = read_env_file(path) if path is not None else {}
    values.update({k: os.environ[k] for k in ENV_VARS if os.environ.get(k, "").strip()})
    return env_settings(values, str(path) if path is not None else "the environment")


def env_present() -> bool:
    """True when the process environment holds the script's variables (base URL at least)."""
    return bool(os.environ.get("IMMICH_BASE_URL", "").strip())


def env_config(settings: EnvSettings) -> Config:
    """A Config with the server and interval of `settings` (rules come from `env_rule`)."""
    config = Config(server=ServerSettings(url=settings.base_url, api_key=settings.api_key))
    config.sync.interval_seconds = settings.interval_seconds
    return config


def env_rule(
    settings: EnvSettings, people: Iterable[Person], *, keep_missing: bool = False
) -> tuple[Rule, list[str]]:
    """The rule the script ran, names resolved to ids (exact, case-sensitive), plus warnings.

    A name nobody has is named in a warning and left out (`keep_missing`: kept by name, to be
    looked up at every sync, see names.py); several people sharing the name are all used.
    RuleError when no name matches anyone.
    """
    names = [PersonRef("", name) for name in dict.fromkeys(settings.persons)]
    refs, missing, warnings = resolve_refs(names, people)
    if not refs:
        raise RuleError(
            "None of the names in IMMICH_PERSONS matches a person on the server: "
            f"{', '.join(settings.persons)}."
        )
    if keep_missing:
        refs += [PersonRef("", name) for name in missing]
    rule = Rule(
        name=ENV_RULE_NAME,
        people=refs,
        album_id=settings.album_id,
        match="any",
        globs=list(settings.name_filters),
    )
    return rule, warnings
