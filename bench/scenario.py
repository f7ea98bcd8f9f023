"""The benchmark's library: a generated demo library, a 3-person rule and a pre-filled album."""

from __future__ import annotations

import gc
import itertools
import time
from collections import Counter
from dataclasses import dataclass, field

from ppl2album_tui.demo.library import DemoAsset, Library, generate_library

MATCH_SHARE = 0.30  # the rule matches ~30% of the library (30k of 100k), 2/3 of them in the album
# 1,000,000 assets and more (issue 15): a rule of ~100,000 matches, 3/5 of them in the album
BIG, BIG_MATCH_SHARE = 1_000_000, 0.10
# The library of the real-server measurement (immich-api-notes.md, "Measured costs": 30,000
# assets, one person on 10,000, 5,000 of them in the album): the generator's biggest person is
# on ~29% of a library, so 35,000 assets give one person ~10,000; half of them in the album.
REAL_LIKE = 35_000


@dataclass
class Scenario:
    """One library with the rule's people, the album and its initial content."""

    size: int
    lib: Library
    people: list[str]  # the rule's 3 person ids
    names: list[str]
    album_id: str
    initial_album: list[str]
    matches: set[str]  # ids the rule matches (timeline, not trashed, any of the people)
    per_person: dict[str, int] = field(default_factory=dict)  # ids per person (as searched)
    build_seconds: float = 0.0
    twin_id: str | None = None  # `twin_album()`: the same initial content in a second album

    @property
    def new(self) -> int:
        return len(self.matches - set(self.initial_album))

    def minimum_requests(self, chunk: int = 1000) -> int:
        """⌈matches per person/1000⌉ searches + ⌈album/1000⌉ album pages + ⌈new/chunk⌉ adds."""
        searches = sum(-(-n // 1000) for n in self.per_person.values())
        album_pages = max(1, -(-len(self.initial_album) // 1000))
        adds = -(-self.new // chunk)
        return searches + album_pages + adds

    def reset_album(self) -> None:
        """Put the album (and its twin) back to the initial content; bump the version so no
        cache survives."""
        with self.lib.lock:
            for album_id in (self.album_id, self.twin_id):
                if album_id is not None:
                    self.lib.albums[album_id].asset_ids = dict.fromkeys(self.initial_album)
            self.lib.version += 1

    def twin_album(self) -> str:
        """A second album with the album's initial content, created on first use and reset with
        it: two first syncs in one process (`bench/contenders/warm.py`)."""
        if self.twin_id is None:
            self.twin_id = self.lib.create_album("Bench: the twin", self.initial_album).id
        return self.twin_id

    def album_ids(self, album_id: str | None = None) -> set[str]:
        with self.lib.lock:
            return set(self.lib.albums[album_id or self.album_id].asset_ids)

    def matching(self, asset: DemoAsset) -> bool:
        return (
            asset.visibility == "timeline"
            and asset.deleted_at is None
            and any(p in asset.people for p in self.people)
        )


def _timeline_ids(lib: Library, person: str) -> set[str]:
    out = set()
    for aid in lib.faces.get(person, ()):
        a = lib.assets[aid]
        if a.visibility == "timeline" and a.deleted_at is None:
            out.add(aid)
    return out


def build_real_like(seed: int = 11, named_people: int = 40) -> Scenario:
    """A rule of one person on ~10,000 photos, every other one of them already in the album."""
    start = time.perf_counter()
    lib = generate_library(people=named_people, assets=REAL_LIKE, seed=seed)
    person = max(lib.named_people(), key=lambda p: len(_timeline_ids(lib, p.id)))
    matches = _timeline_ids(lib, person.id)
    ordered = sorted(matches, key=lambda i: lib.assets[i].sort_key)
    initial = ordered[::2]
    album = lib.create_album("Bench: one person", initial)
    gc.freeze()
    return Scenario(
        size=REAL_LIKE,
        lib=lib,
        people=[person.id],
        names=[person.name],
        album_id=album.id,
        initial_album=initial,
        matches=matches,
        per_person={person.id: len(matches)},
        build_seconds=time.perf_counter() - start,
    )


def build(size: int, seed: int = 11, named_people: int = 40) -> Scenario:
    """Generate a library of `size` assets and pick 3 named people matching ~30% of it."""
    start = time.perf_counter()
    lib = generate_library(people=named_people, assets=size, seed=seed)
    named = [p.id for p in lib.named_people()[:16]]
    sets = {p: _timeline_ids(lib, p) for p in named}
    target = (BIG_MATCH_SHARE if size >= BIG else MATCH_SHARE) * size
    # the union of each trio counted from the assets' person masks (one pass over the
    # library, a few hundred distinct masks) instead of 560 unions of big sets
    masks: Counter[int] = Counter()
    bit = {p: 1 << k for k, p in enumerate(named)}
    for aid in set().union(*sets.values()):
        masks[sum(bit[p] for p in lib.assets[aid].people if p in bit)] += 1
    best: tuple[float, tuple[str, ...]] | None = None
    for trio in itertools.combinations(named, 3):
        want = bit[trio[0]] | bit[trio[1]] | bit[trio[2]]
        n = sum(c for m, c in masks.items() if m & want)
        score = abs(n - target)
        if best is None or score < best[0]:
            best = (score, trio)
    assert best is not None
    people = list(best[1])
    matches = set().union(*(sets[p] for p in people))
    ordered = sorted(matches, key=lambda i: lib.assets[i].sort_key)
    # every 3rd of each 3 matches stays out of the album: ~2/3 already there (3 of 5 for BIG)
    keep, of = (3, 5) if size >= BIG else (2, 3)
    initial = [aid for k, aid in enumerate(ordered) if k % of < keep]
    album = lib.create_album("Bench: the three of them", initial)
    gc.freeze()  # the library lives as long as the run: no collection walks it again
    return Scenario(
        size=size,
        lib=lib,
        people=people,
        names=[lib.people[p].name for p in people],
        album_id=album.id,
        initial_album=initial,
        matches=matches,
        per_person={p: len(sets[p]) for p in people},
        build_seconds=time.perf_counter() - start,
    )
