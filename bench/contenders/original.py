"""A plain re-implementation of the original script's algorithm, as a benchmark contender.

Written from the description of the original script (not copied from it): every cycle it
1. lists the people to map the configured names to ids (one ``GET /people`` page);
2. runs one search with ``personIds=[all people]`` (in Immich 3.x that means AND, so it returns
   only the photos with every person on them, but it is still paid for);
3. runs one search per person (all pages, size 1000, full asset payload) and takes the union;
4. re-reads the whole album through ``POST /search/metadata {"albumIds": [album]}``;
5. adds the difference with ``PUT /albums/{id}/assets`` in chunks of 1000 ids.

Requests are sequential on one synchronous ``httpx.Client`` (what ``requests`` does). It keeps no
state between runs, so it has no incremental mode: every cycle is a full scan.

Usage: ``python -m bench.contenders.original --server URL --album ID --person ID [--person ID]...``
with the key in the environment variable ``IMMICH_API_KEY``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from typing import Any

import httpx


def _pages(client: httpx.Client, body: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    page = 1
    while True:
        resp = client.post("/search/metadata", json={**body, "page": page, "size": 1000})
        resp.raise_for_status()
        assets = resp.json()["assets"]
        yield assets["items"]
        if not assets.get("nextPage"):
            return
        page = int(assets["nextPage"])


def run(server: str, key: str, album: str, people: list[str], chunk: int = 1000) -> int:
    """One cycle of the original algorithm; returns the number of assets it added."""
    with httpx.Client(
        base_url=server.rstrip("/") + "/api", headers={"x-api-key": key}, timeout=120
    ) as client:
        client.get("/people", params={"page": 1, "size": 1000}).raise_for_status()
        wanted: set[str] = set()
        for items in _pages(client, {"personIds": people}):
            wanted.update(a["id"] for a in items)
        for person in people:
            for items in _pages(client, {"personIds": [person]}):
                wanted.update(a["id"] for a in items)
        in_album: set[str] = set()
        for items in _pages(client, {"albumIds": [album]}):
            in_album.update(a["id"] for a in items)
        missing = sorted(wanted - in_album)
        for start in range(0, len(missing), chunk):
            ids = missing[start : start + chunk]
            resp = client.put(f"/albums/{album}/assets", json={"ids": ids})
            resp.raise_for_status()
        return len(missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--album", required=True)
    parser.add_argument("--person", action="append", required=True)
    parser.add_argument("--chunk", type=int, default=1000)
    args = parser.parse_args(argv)
    key = os.environ.get("IMMICH_API_KEY", "")
    added = run(args.server, key, args.album, args.person, args.chunk)
    print(f"added {added}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
