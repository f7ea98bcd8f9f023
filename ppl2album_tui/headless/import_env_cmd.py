"""`ppl2album-tui import-env FILE`: write the TOML config equivalent to the script's .env.

The names in IMMICH_PERSONS are resolved to ids on the server; a name that matches nobody is
named in a warning and kept in the rule by name (``{ name = "…" }``), looked up again at every
sync, which warns until a person of that name exists and then syncs them. An existing config
keeps its other settings and rules: the server URL, API key and interval are set and the rule
named ``env`` is added or replaced. A config that does not load is never overwritten. Only the
file is read (not the process environment).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from ppl2album_tui.headless.context import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    report_failure,
    say,
)
from ppl2album_tui.sync.config import (
    ConfigError,
    load_config,
    resolve_config_path,
    save_config,
)
from ppl2album_tui.sync.connection import make_client
from ppl2album_tui.sync.envfile import EnvSettings, env_rule, env_settings, read_env_file
from ppl2album_tui.sync.names import pending
from ppl2album_tui.sync.rules import Rule, RuleError
from ppl2album_tui.sync.settings import ServerSettings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the original script's .env file")
    parser.add_argument("--config", metavar="PATH", help="the TOML config to write")


def run(args: argparse.Namespace) -> int:
    env_path = Path(args.file).expanduser()
    path = resolve_config_path(args.config)
    try:
        settings = env_settings(read_env_file(env_path), str(env_path))
        config = load_config(path)  # fails (and nothing is written) if the file is broken
    except ConfigError as err:
        say(None, str(err))
        return EXIT_USAGE
    try:
        rule, warnings = asyncio.run(_resolve(settings, config.server))
    except RuleError as err:  # nobody in IMMICH_PERSONS exists: the server's state, not usage
        say(None, str(err))
        return EXIT_FAILED
    except Exception as err:  # one sentence on stderr, never a traceback
        return report_failure(err, settings.api_key)
    for warning in warnings:
        say(None, f"Warning: {warning}")
    config.server.url = settings.base_url
    config.server.api_key = settings.api_key
    config.sync.interval_seconds = settings.interval_seconds
    config.rules = [r for r in config.rules if r.name != rule.name] + [rule]
    waiting = pending(rule)
    try:
        save_config(config, path)
    except (ConfigError, OSError) as err:
        return report_failure(err, settings.api_key)
    people = ", ".join(p.name for p in rule.people if p.id)
    print(f"Wrote {path}: rule '{rule.name}' puts the photos of {people} into album "
          f"'{rule.album_label}'.")  # fmt: skip
    if waiting:
        names = ", ".join(repr(name) for name in waiting)
        say(None, f"Kept {names} in the rule by name: every sync warns until it is on the server.")
    return EXIT_OK


async def _resolve(settings: EnvSettings, server: ServerSettings) -> tuple[Rule, list[str]]:
    async with make_client(server, settings.api_key, settings.base_url) as client:
        people = await client.people(with_hidden=True)
        rule, warnings = env_rule(settings, people, keep_missing=True)
        rule.album_name = (await client.album(settings.album_id)).name or None
        return rule, warnings
