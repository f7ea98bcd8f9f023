"""Container health check: exit 0 when the config loads, Immich answers and accepts the key.

Two small requests (``GET /server/ping`` and ``GET /api-keys/me``, which needs no scope), with
the same config sources as ``ppl2album-tui sync``; on failure one sentence on stderr, the key
masked, and the exit code of ``sync`` (1 the server or key, 2 the config).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from ppl2album_tui.headless.context import Target, load_target, make_client, report_failure
from ppl2album_tui.sync.config import ConfigError


async def _check(target: Target) -> None:
    async with make_client(target) as client:
        await client.ping()
        await client.key_permissions()


def main() -> int:
    """Check once; the exit code is the container's health (0 healthy)."""
    try:
        target = load_target(argparse.Namespace(config=None, env_file=None))
    except ConfigError as err:
        return report_failure(err)
    try:
        asyncio.run(_check(target))
    except Exception as err:  # one sentence, never a traceback
        return report_failure(err, target.api_key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
