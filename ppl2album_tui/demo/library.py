"""A generated, deterministic photo library that the demo server serves.

`generate_library(people=12, assets=600, seed=7)` always yields the same people, assets and
albums for the same arguments. `people` is the number of *named* people; the library adds
unnamed face clusters (some large enough to be listed, two with only 1-2 faces that Immich does
not list), one hidden cluster and one cluster that appears only in archived photos.

Facts for `generate_library(people=12, assets=600, seed=7)` (the `demo_library` fixture), which
tests may rely on:

- 19 people: Anna, Ben, Clara, David, Emma, Felix, Greta, Hugo, Ines, Jonas, Karla, Leo (Anna
  and Clara are favourites); unnamed clusters with 12, 9 and 6 timeline faces (listed), 1 and 2
  faces (not listed), a hidden unnamed cluster (8 faces) and an archive-only cluster (0 timeline
  faces, not listed). GET /people lists 15 (16 withHidden); total 18, hidden 1.
- Timeline faces (= statistics): Anna 229, Ben 146, Clara 107, David 76, Emma 68, Hugo 64,
  Greta 56, Felix 54, Ines 47, Jonas 31, Leo 31, Karla 27. Anna's 248 photos: 229 timeline,
  13 archived, 5 trashed, 1 locked, so personIds=[Anna] finds 242 by default (229 with
  visibility "timeline"); Anna and Ben together: 69.
- 600 assets: 564 timeline, 25 archive, 10 hidden (motion parts, no faces), 1 locked (with Anna);
  17 trashed; 46 videos; 36 favourites; taken 2016-2025. A search without filters finds 582.
- Albums: "Family" (50 of Anna's timeline photos, every 4th by date), "Summer 2019" (10),
  "Drafts" (empty).
- In 5000 assets (seed 7) Anna has 1950 timeline photos: searches go past 1000 results.

Change the library through its methods (add_asset, assign_face, update_asset, add_to_album, ...):
they bump `version`, which keys the server's caches.
"""

from __future__ import annotations

import base64
import bisect
import colorsys
import gc
import itertools
import random
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

FIRST_NAMES = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Emma",
    "Felix",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Karla",
    "Leo",
    "Mila",
    "Noah",
    "Olga",
    "Paul",
    "Rosa",
    "Simon",
    "Tara",
    "Umut",
    "Vera",
    "Wim",
    "Xenia",
    "Yara",
    "Zeno",
]

#: Visibility values of Immich 3.x (`hidden` = the video half of a motion photo).
VISIBILITIES = ("timeline", "archive", "hidden", "locked")

_START = datetime(2016, 1, 1, tzinfo=UTC)
_SPAN_SECONDS = 10 * 365 * 24 * 3600  # taken dates span ten years (2016..2025)
_UPLOAD_LIMIT = datetime(2026, 1, 1, tzinfo=UTC)
_WORDS = ["beach", "birthday", "hike", "garden", "party", "lake", "dinner", "holiday", "picnic"]
_IMAGE_EXTS = [".jpg", ".JPG", ".jpeg", ".png", ".HEIC", ".heic"]
_MIME = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
}


def make_uuid4(rng: random.Random) -> str:
    """A uuid4 string built from `rng` (deterministic per seed), version and variant bits set."""
    x = rng.getrandbits(128)
    x = (x & ~(0xF << 76)) | (0x4 << 76)
    x = (x & ~(0x3 << 62)) | (0x2 << 62)
    h = f"{x:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def mime_type(file_name: str) -> str:
    """MIME type for a file name by its (case-insensitive) extension."""
    return _MIME.get(file_name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


@dataclass(slots=True)
class DemoUser:
    id: str
    name: str = "Demo User"
    email: str = "demo@example.com"
    created_at: datetime = _START


@dataclass(slots=True)
class DemoPerson:
    id: str
    name: str
    look: int  # seed for the face drawing
    created_at: datetime
    updated_at: datetime
    is_hidden: bool = False
    is_favorite: bool = False
    birth_date: str | None = None
    color: str = "#888888"
    owner_id: str | None = None  # another account's user id (users.py); None: the library's user
    members: set[str] = field(default_factory=set)  # further users having it (clusters.py)


@dataclass(slots=True)
class DemoAsset:
    id: str
    original_file_name: str
    type: str  # IMAGE | VIDEO
    file_created_at: datetime
    created_at: datetime
    updated_at: datetime
    people: list[str] = field(default_factory=list)  # person ids with a visible face
    visibility: str = "timeline"
    is_favorite: bool = False
    deleted_at: datetime | None = None
    width: int = 4032
    height: int = 3024
    duration_ms: int | None = None
    checksum: str = ""
    thumbhash: str = ""
    look: int = 0  # seed for the scene drawing
    owner_id: str | None = None  # a partner's user id; None: the library's user
    utc_offset_minutes: int = 0  # where it was taken: localDateTime = fileCreatedAt + this
    json_cache: bytes | None = field(default=None, repr=False, compare=False)  # server's DTO

    @property
    def is_trashed(self) -> bool:
        return self.deleted_at is not None

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return (self.file_created_at, self.id)


@dataclass(slots=True)
class DemoAlbum:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    description: str = ""
    asset_ids: dict[str, None] = field(default_factory=dict)  # insertion-ordered set
    thumbnail_asset_id: str | None = None
    owner_id: str | None = None  # another account's user id (users.py); None: the library's user
    members: dict[str, str] = field(default_factory=dict)  # user id -> "editor" | "viewer"


class Library:
    """People, assets and albums of one demo user; all mutators take `self.lock`."""

    def __init__(self, user: DemoUser, seed: int) -> None:
        self.user = user
        self.seed = seed
        self.people: dict[str, DemoPerson] = {}
        self.assets: dict[str, DemoAsset] = {}
        self.albums: dict[str, DemoAlbum] = {}
        self.faces: dict[str, set[str]] = {}  # person id -> asset ids
        self.partners: dict[str, DemoUser] = {}  # users sharing their photos (see partners.py)
        self.users: dict[str, DemoUser] = {}  # further accounts with keys (see users.py)
        # (sharer, viewer) user ids -> "show in timeline" (partners.py share_partner)
        self.partner_shares: dict[tuple[str, str], bool] = {}
        self.cluster_groups: dict[str, str] = {}  # user id -> cluster group id (clusters.py)
        self.shared_links: dict[str, Any] = {}  # id -> sharing.SharedLink
        self.lock = threading.RLock()
        self.version = 0  # bumped by every mutation (server caches key on it)
        self._rng = random.Random(f"runtime-{seed}")
        self._sorted: list[tuple[datetime, str]] | None = None
        self._last_now = _UPLOAD_LIMIT + timedelta(days=1)  # after every generated updatedAt

    # ----------------------------------------------------------------- queries
    def named_people(self) -> list[DemoPerson]:
        """Named people in generation order (Anna, Ben, Clara, ...)."""
        return [p for p in self.people.values() if p.name]

    def person_by_name(self, name: str) -> DemoPerson:
        """The person called `name`; KeyError when there is none."""
        for p in self.people.values():
            if p.name == name:
                return p
        raise KeyError(name)

    def album_by_name(self, name: str) -> DemoAlbum:
        """The first album called `name`; KeyError when there is none."""
        for a in self.albums.values():
            if a.name == name:
                return a
        raise KeyError(name)

    def assets_of(self, person_id: str) -> list[DemoAsset]:
        """Every asset with a face of `person_id` (any visibility, trashed included)."""
        with self.lock:
            return [self.assets[i] for i in self.faces.get(person_id, ())]

    def timeline_count(self, person_id: str) -> int:
        """Faces of the person on its owner's own timeline, non-trashed assets (Immich's listing
        and statistics; whether 3.2+ counts partners' photos there is unverified)."""
        with self.lock:
            n = 0
            owner = self.people[person_id].owner_id if person_id in self.people else None
            for aid in self.faces.get(person_id, ()):
                a = self.assets[aid]
                if a.visibility == "timeline" and a.deleted_at is None and a.owner_id == owner:
                    n += 1
            return n

    def sorted_assets(self) -> Iterator[DemoAsset]:
        """All assets ordered by (fileCreatedAt, id) ascending."""
        with self.lock:
            if self._sorted is None:
                self._sorted = sorted(a.sort_key for a in self.assets.values())
            keys = self._sorted
            return iter([self.assets[k[1]] for k in keys])

    # ---------------------------------------------------------------- mutators
    def _touch(self) -> None:
        self.version += 1

    def _now(self) -> datetime:
        """Wall-clock now (ms precision), strictly after every earlier updatedAt."""
        now = datetime.now(UTC)
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        self._last_now = max(now, self._last_now + timedelta(milliseconds=1))
        return self._last_now

    def add_asset(
        self,
        people: Iterable[str] = (),
        file_name: str | None = None,
        *,
        type: str = "IMAGE",
        visibility: str = "timeline",
        is_favorite: bool = False,
        file_created_at: datetime | None = None,
        trashed: bool = False,
    ) -> DemoAsset:
        """Simulate a new upload: a fresh asset with createdAt = updatedAt = now."""
        with self.lock:
            now = self._now()
            aid = make_uuid4(self._rng)
            name = file_name or f"IMG_{len(self.assets) + 1:04d}.JPG"
            asset = DemoAsset(
                id=aid,
                original_file_name=name,
                type=type,
                file_created_at=file_created_at or now,
                created_at=now,
                updated_at=now,
                people=[],
                visibility=visibility,
                is_favorite=is_favorite,
                deleted_at=now if trashed else None,
                checksum=_b64(self._rng, 20),
                thumbhash=_b64(self._rng, 24),
                look=self._rng.getrandbits(32),
            )
            if type == "VIDEO":
                asset.width, asset.height, asset.duration_ms = 1920, 1080, 12_000
            self.assets[aid] = asset
            for pid in dict.fromkeys(people):
                self._add_face(asset, pid)
            self._insert_sorted(asset)
            self._touch()
            return asset

    def assign_face(self, asset_id: str, person_id: str) -> None:
        """Late face recognition: the asset gains a face; asset.updated_at is NOT changed."""
        with self.lock:
            asset = self.assets[asset_id]
            if person_id not in asset.people:
                self._add_face(asset, person_id)
                self._touch()

    def reassign_face(self, asset_id: str, person_id: str, to_id: str | None = None) -> None:
        """A face fixed in Immich: `person_id`'s face on the asset goes to `to_id` (None: the
        face is removed); asset.updated_at is NOT changed, as with assign_face."""
        with self.lock:
            asset = self.assets[asset_id]
            if person_id not in asset.people:
                raise KeyError(person_id)
            asset.people = [p for p in asset.people if p != person_id]
            self.faces.get(person_id, set()).discard(asset_id)
            if to_id is not None and to_id not in asset.people:
                self._add_face(asset, to_id)
            self._touch()

    def update_asset(self, asset_id: str, **fields: Any) -> DemoAsset:
        """Change asset fields (visibility, is_favorite, deleted_at, ...) and bump updatedAt."""
        with self.lock:
            asset = self.assets[asset_id]
            for key, value in fields.items():
                if key in ("id", "people", "sort_key", "is_trashed"):
                    raise ValueError(f"cannot update {key}")
                setattr(asset, key, value)
            asset.updated_at = self._now()
            asset.json_cache = None
            self._sorted = None
            self._touch()
            return asset

    def trash_asset(self, asset_id: str) -> DemoAsset:
        """Move an asset to the trash (it stays in its albums, as in Immich)."""
        return self.update_asset(asset_id, deleted_at=datetime.now(UTC))

    def delete_album(self, album_id: str) -> None:
        with self.lock:
            del self.albums[album_id]
            self._touch()

    def add_to_album(
        self,
        album_id: str,
        asset_ids: Iterable[str],
        may_share: Callable[[DemoAsset], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """Immich's per-id add: success, or `duplicate` (already there or repeated in this call),
        or `no_permission` (unknown or locked asset, or one `may_share` refuses)."""
        with self.lock:
            album = self.albums[album_id]
            results: list[dict[str, Any]] = []
            for aid in asset_ids:
                asset = self.assets.get(aid)
                if aid in album.asset_ids:
                    results.append({"id": aid, "success": False, "error": "duplicate"})
                elif (
                    asset is None
                    or asset.visibility == "locked"
                    or (may_share is not None and not may_share(asset))
                ):
                    results.append({"id": aid, "success": False, "error": "no_permission"})
                else:
                    album.asset_ids[aid] = None
                    results.append({"id": aid, "success": True})
            if any(r["success"] for r in results):
                self._album_changed(album)
            return results

    def remove_from_album(self, album_id: str, asset_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Immich's per-id remove: success, or `not_found` when the asset is not in the album."""
        with self.lock:
            album = self.albums[album_id]
            results: list[dict[str, Any]] = []
            for aid in asset_ids:
                if aid in album.asset_ids:
                    del album.asset_ids[aid]
                    results.append({"id": aid, "success": True})
                else:
                    results.append({"id": aid, "success": False, "error": "not_found"})
            if any(r["success"] for r in results):
                self._album_changed(album)
            return results

    def _album_changed(self, album: DemoAlbum) -> None:
        album.updated_at = self._now()
        if album.thumbnail_asset_id not in album.asset_ids:
            album.thumbnail_asset_id = next(iter(album.asset_ids), None)
        self._touch()

    def create_album(
        self, name: str, asset_ids: Iterable[str] = (), description: str = ""
    ) -> DemoAlbum:
        """Create an album owned by the demo user (unknown/locked asset ids are dropped)."""
        with self.lock:
            now = self._now()
            album = DemoAlbum(make_uuid4(self._rng), name, now, now, description)
            for aid in asset_ids:
                a = self.assets.get(aid)
                if a is not None and a.visibility != "locked":
                    album.asset_ids[aid] = None
            album.thumbnail_asset_id = next(iter(album.asset_ids), None)
            self.albums[album.id] = album
            self._touch()
            return album

    def name_person(self, person_id: str, name: str) -> None:
        """Give person `person_id` a (new) name, as a user naming a face cluster in Immich does."""
        with self.lock:
            person = self.people[person_id]
            person.name, person.updated_at = name, self._now()
            self._touch()

    def merge_person(self, target_id: str, source_id: str) -> None:
        """Move every face of `source_id` to `target_id` and delete the source person."""
        with self.lock:
            target = self.people[target_id]
            for aid in self.faces.pop(source_id, set()):
                asset = self.assets[aid]
                asset.people = [p for p in asset.people if p != source_id]
                if target_id not in asset.people:
                    self._add_face(asset, target_id)
            del self.people[source_id]
            target.updated_at = self._now()
            self._touch()

    def _add_face(self, asset: DemoAsset, person_id: str) -> None:
        if person_id not in self.people:
            raise KeyError(person_id)
        asset.people.append(person_id)
        self.faces.setdefault(person_id, set()).add(asset.id)

    def _insert_sorted(self, asset: DemoAsset) -> None:
        if self._sorted is not None:
            bisect.insort(self._sorted, asset.sort_key)


def _b64(rng: random.Random, n: int) -> str:
    return base64.b64encode(rng.getrandbits(8 * n).to_bytes(n, "big")).decode()


def _person_weights(n_named: int) -> list[float]:
    """Skewed popularity: Anna appears most, then Ben, Clara, ... (Zipf-like)."""
    return [10.0 / (i + 1) ** 0.95 for i in range(n_named)]


def _named(i: int) -> str:
    first = FIRST_NAMES[i % len(FIRST_NAMES)]
    rnd = i // len(FIRST_NAMES)
    return first if rnd == 0 else f"{first} {chr(ord('A') + (rnd - 1) % 26)}."


def generate_library(people: int = 12, assets: int = 600, seed: int = 7, users: int = 1) -> Library:
    """Build a deterministic library with `people` named people and `assets` assets; `users` > 1
    adds further accounts with their own people and photos (users.py)."""
    if people < 1 or assets < 1 or users < 1:
        raise ValueError("people, assets and users must be at least 1")
    # millions of new objects and no cycles among them: the collector's passes over the
    # growing heap cost more than the generation itself (a 1,000,000-asset library: 10×)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(people, assets, seed, users)
    finally:
        if collecting:
            gc.enable()


def _generate(people: int, assets: int, seed: int, users: int) -> Library:
    rng = random.Random(seed)
    user = DemoUser(id=make_uuid4(rng))
    lib = Library(user, seed)

    def new_person(name: str, look: int, **kw: Any) -> DemoPerson:
        created = _START + timedelta(seconds=rng.randrange(_SPAN_SECONDS // 4))
        hue = (look * 137) % 360
        p = DemoPerson(
            id=make_uuid4(rng),
            name=name,
            look=look,
            created_at=created,
            updated_at=created + timedelta(days=rng.randrange(1, 400)),
            color=_hsl_hex(hue),
            **kw,
        )
        lib.people[p.id] = p
        return p

    named = [new_person(_named(i), i) for i in range(people)]
    for i, p in enumerate(named):
        if i % 3 == 0:
            p.birth_date = f"{1950 + (i * 7) % 60:04d}-{1 + i % 12:02d}-{1 + (i * 5) % 28:02d}"
        p.is_favorite = i in (0, 2)
    n_big = max(2, people // 4)
    big = [new_person("", people + k) for k in range(n_big)]
    small = [new_person("", people + n_big + k) for k in range(2)]
    hidden = new_person("", people + n_big + 2, is_hidden=True)
    archive_only = new_person("", people + n_big + 3)

    weights = _person_weights(people)
    cum = list(itertools.accumulate(weights))
    total_w = cum[-1]
    named_ids = [p.id for p in named]

    counters = {"IMG": 1, "DSC": 42, "VID": 0}
    for pid in lib.people:
        lib.faces[pid] = set()
    k_cum = (0.45, 0.73, 0.88)  # 1, 2, 3 or 4 people: 45%, 28%, 15%, 12%
    rand = rng.random
    for _ in range(assets):
        taken = _START + timedelta(seconds=int(rand() * _SPAN_SECONDS))
        roll = rand()
        visibility = "timeline"
        if roll < 0.05:
            visibility = "archive"
        elif roll < 0.07:
            visibility = "hidden"
        elif roll < 0.075:
            visibility = "locked"
        is_video = visibility == "hidden" or rand() < 0.06
        name = _file_name(rng, counters, is_video, taken)
        upload = min(taken + timedelta(seconds=int(rand() * 30 * 86400)), _UPLOAD_LIMIT)
        updated = upload + timedelta(seconds=int(rand() * 3600))
        checksum = _b64(rng, 20)
        asset = DemoAsset(
            id=make_uuid4(rng),
            original_file_name=name,
            type="VIDEO" if is_video else "IMAGE",
            file_created_at=taken,
            created_at=upload,
            updated_at=updated,
            visibility=visibility,
            is_favorite=rand() < 0.08,
            checksum=checksum,
            thumbhash=checksum[:24],
            look=rng.getrandbits(32),
        )
        if is_video:
            asset.width, asset.height = 1920, 1080
            asset.duration_ms = 2_000 + int(rand() * 118_000)
        elif rand() < 0.3:
            asset.width, asset.height = 3024, 4032
        if visibility in ("timeline", "archive") and rand() < 0.03:
            asset.deleted_at = updated + timedelta(days=1 + int(rand() * 19))
        lib.assets[asset.id] = asset
        if visibility != "hidden" and rand() >= 0.12:
            k = 1 + bisect.bisect_right(k_cum, rand())
            chosen: dict[str, None] = {}
            while len(chosen) < min(k, people):
                idx = bisect.bisect_right(cum, rand() * total_w)
                chosen[named_ids[min(idx, people - 1)]] = None
            asset.people = list(chosen)
            for pid in chosen:
                lib.faces[pid].add(asset.id)

    _place_clusters(lib, rng, big, small, hidden, archive_only)
    _fix_guarantees(lib, named[0])
    _make_albums(lib, rng, named[0])
    if users > 1:
        from ppl2album_tui.demo.users import add_user

        for _ in range(users - 1):
            add_user(lib)
    return lib


def _hsl_hex(hue: int) -> str:
    r, g, b = colorsys.hls_to_rgb(hue / 360, 0.6, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _file_name(
    rng: random.Random, counters: dict[str, int], is_video: bool, taken: datetime
) -> str:
    r = rng.random()
    if is_video:
        if r < 0.4:
            counters["VID"] += 1
            return f"VID_{taken:%Y%m%d_%H%M%S}.mp4"
        if r < 0.7:
            return f"clip_{rng.randrange(1000)}.MP4"
        return f"MVI_{rng.randrange(10000):04d}.MOV"
    if r < 0.40:
        counters["IMG"] += 1
        return f"IMG_{counters['IMG']:04d}.JPG"
    if r < 0.55:
        counters["IMG"] += 1
        return f"IMG_{counters['IMG']:04d}.HEIC"
    if r < 0.70:
        counters["DSC"] += 1
        return f"DSC_{counters['DSC']:04d}.jpeg"
    if r < 0.80:
        return f"PXL_{taken:%Y%m%d_%H%M%S}{rng.randrange(1000):03d}.jpg"
    word = rng.choice(_WORDS)
    return f"{word}_{rng.randrange(1, 100)}{rng.choice(_IMAGE_EXTS)}"


def _place_clusters(
    lib: Library,
    rng: random.Random,
    big: list[DemoPerson],
    small: list[DemoPerson],
    hidden: DemoPerson,
    archive_only: DemoPerson,
) -> None:
    """Unnamed clusters: big (>=3 timeline faces), small (1 and 2 faces), hidden, archive-only."""
    timeline = [
        a
        for a in lib.assets.values()
        if a.visibility == "timeline"
        and a.deleted_at is None
        and a.type == "IMAGE"
        and len(a.people) < 4
    ]
    archived = [
        a
        for a in lib.assets.values()
        if a.visibility == "archive" and a.deleted_at is None and len(a.people) < 4
    ]
    plan: list[tuple[DemoPerson, list[DemoAsset], int]] = [
        (p, timeline, 3 + (len(big) - k) * 3) for k, p in enumerate(big)
    ]
    plan += [(small[0], timeline, 1), (small[1], timeline, 2), (hidden, timeline, 8)]
    plan.append((archive_only, archived, 4))
    for person, pool, count in plan:
        for asset in rng.sample(pool, min(count, len(pool))):
            lib._add_face(asset, person.id)


def _fix_guarantees(lib: Library, anna: DemoPerson) -> None:
    """Make the documented facts hold for every seed: a locked photo of Anna, fixed file names."""
    assets = list(lib.assets.values())
    if not any(a.visibility == "locked" for a in assets):
        candidates = [a for a in assets if a.type == "IMAGE" and a.visibility == "timeline"]
        candidates[len(candidates) // 2].visibility = "locked"
    locked = next(a for a in assets if a.visibility == "locked")
    if anna.id not in locked.people:
        locked.type = "IMAGE"
        if len(locked.people) >= 4:
            lib.faces[locked.people.pop()].discard(locked.id)
        lib._add_face(locked, anna.id)
    specials = [
        ("IMG_0001.JPG", "IMAGE"),
        ("beach.jpg", "IMAGE"),
        ("scan.png", "IMAGE"),
        ("clip.MP4", "VIDEO"),
        ("img.HEIC", "IMAGE"),
        ("DSC_0042.jpeg", "IMAGE"),
    ]
    timeline = [a for a in assets if a.visibility == "timeline" and a.deleted_at is None]
    used: set[str] = set()
    for name, typ in specials:
        for a in timeline:
            if a.id not in used and a.type == typ:
                a.original_file_name = name
                used.add(a.id)
                break


def _make_albums(lib: Library, rng: random.Random, anna: DemoPerson) -> None:
    """Albums: "Family" (every 4th of Anna's timeline photos), a holiday year, an empty one."""

    def album(name: str, ids: list[str], description: str = "") -> None:
        created = _UPLOAD_LIMIT - timedelta(days=rng.randrange(30, 300))
        a = DemoAlbum(make_uuid4(rng), name, created, created + timedelta(days=3), description)
        a.asset_ids = dict.fromkeys(ids)
        a.thumbnail_asset_id = ids[0] if ids else None
        lib.albums[a.id] = a

    by_date = sorted(lib.assets.values(), key=lambda a: a.sort_key)
    anna_timeline = [
        a.id
        for a in by_date
        if anna.id in a.people and a.visibility == "timeline" and a.deleted_at is None
    ]
    album("Family", anna_timeline[::4][:50], "Some of Anna's photos, added by hand")
    holiday = [
        a.id
        for a in by_date
        if a.file_created_at.year == 2019
        and a.file_created_at.month in (7, 8)
        and a.visibility == "timeline"
        and a.deleted_at is None
    ]
    album("Summer 2019", holiday)
    album("Drafts", [])
