"""Container health check: exit 0 when the config loads, Immich answers and accepts the key.

Two small requests (``GET /server/ping`` and ``GET /api-keys/me``, which needs no scope), with
the same config sources as ``ppl2album-tui sync``; on failure one sentence on stderr, the key
masked, and exit 1 (Docker reserves 2).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from ppl2album_tui.headless.context import Target, load_target, make_client, report_failure
from ppl2album_tui.sync.config import ConfigError

UNHEALTHY = 1


async def _check(target: Target) -> None:
    async with make_client(target) as client:
        await client.ping()
        await client.key_permissions()


def main() -> int:
    """Check once; the exit code is the container's health (0 healthy)."""
    try:
        target = load_target(argparse.Namespace(config=None, env_file=None))
    except ConfigError as err:
        report_failure(err)
        return UNHEALTHY
    try:
        asyncio.run(_check(target))
    except Exception as err:  # one sentence, never a traceback
        report_failure(err, target.api_key)
        return UNHEALTHY
    return 0


if __name__ == "__main__":
    sys.exit(main())
