"""Async client for the Immich 3.x HTTP API: one long-lived `httpx.AsyncClient` per server.

Sends only the ``x-api-key`` header (no cookie jar: an Immich session cookie would override the
key and its scopes), maps every failure onto `ppl2album_tui.immich.errors`, and retries transient
failures of idempotent requests (see `ppl2album_tui.immich.retry`).
"""

from __future__ import annotations

import asyncio
import functools
import http.client
import http.cookiejar
import logging
import ssl
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
import msgspec

from ppl2album_tui import __version__
from ppl2album_tui.immich.capabilities import Capabilities
from ppl2album_tui.immich.chunks import even_chunks
from ppl2album_tui.immich.errors import (
    ImmichError,
    InvalidResponse,
    MissingPermission,
    NotFound,
    NotImmich,
    TLSFailure,
    Unauthorized,
    UnsupportedVersion,
)
from ppl2album_tui.immich.http import (
    decode_any,
    decode_with,
    is_dns_error,
    is_html,
    is_tls_error,
    qbool,
    status_error,
    transport_error,
)
from ppl2album_tui.immich.models import (
    Album,
    ApiKeyInfo,
    Asset,
    AssetQuery,
    BulkResult,
    Person,
    ServerAbout,
    ServerVersion,
    SharedLink,
    Thumbnail,
    User,
)
from ppl2album_tui.immich.retry import (
    RETRY_STATUSES,
    RetryPolicy,
    Transient,
    parse_retry_after,
    retrying,
)
from ppl2album_tui.immich.search import (
    NOT_TIMELINE_OR_ARCHIVE,
    ONLY_LOCKED,
    PAGE_SIZE,
    metadata_body,
    read_asset_ids,
    read_assets,
    unique,
)
from ppl2album_tui.immich.search_v2 import V2Query, v2_assets, v2_body, v2_page, v2_statistics_body
from ppl2album_tui.immich.urls import normalise_server_url

__all__ = ["MIN_SUPPORTED_VERSION", "ImmichClient", "RetryPolicy"]

log = logging.getLogger(__name__)  # never given the API key: messages come from errors.py

MIN_SUPPORTED_VERSION = (2, 0)
THUMBNAIL_SIZES = ("thumbnail", "preview", "fullsize")
T = TypeVar("T")
R = TypeVar("R")
# Decodes one search answer's bytes into its kept items and the next page number.
PageReader = Callable[[bytes], tuple[list[T], int | None]]
# A search's count hint: known, absent, or still on its way (awaited while page 1 is in flight).
Hint = int | Callable[[], Awaitable[int | None]] | None
USER_AGENT = f"ppl2album-tui/{__version__}"
_BULK_ANSWER = msgspec.json.Decoder(list[BulkResult]).decode
_ASSET_ANSWER = msgspec.json.Decoder(Asset).decode


async def cancel_and_wait(futures: Sequence[asyncio.Future[Any]]) -> None:
    """Cancel what is still running of `futures` and wait until all have ended (their errors,
    the cancellations included, are swallowed: the caller is already failing)."""
    for future in futures:
        future.cancel()  # a no-op on one that is done
    await asyncio.gather(*futures, return_exceptions=True)


class _NoCookies(http.cookiejar.CookieJar):
    """A cookie jar that never stores anything, so no cookie is ever sent back."""

    def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
        return None

    def extract_cookies(
        self, response: http.client.HTTPResponse, request: urllib.request.Request
    ) -> None:
        return None


def _seg(value: str) -> str:
    """One path segment, percent-encoded so an id can never change the path."""
    return quote(value, safe="")


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    """httpx's default verifying context, built once (it costs ~0.1 s per client otherwise)."""
    return httpx.create_ssl_context()


def _ssl_verify(verify: bool | str) -> bool | ssl.SSLContext:
    if verify is True:
        return _default_ssl_context()
    if isinstance(verify, bool):
        return verify
    try:
        return ssl.create_default_context(cafile=verify)
    except (OSError, ssl.SSLError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "unreadable"
        raise TLSFailure(f"Cannot use the CA bundle {verify}: {reason}.") from None


class ImmichClient:
    """The Immich API as typed async methods; use as ``async with ImmichClient(url, key) as c``.

    `requests_made`, `bytes_sent` and `bytes_received` count every HTTP attempt (retries
    included) and the request/response body bytes on the wire, for benchmarks; `retries_made`
    and `retry_wait` count retried attempts and the backoff seconds slept before them.
    """

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        verify: bool | str = True,
        timeout: float = 30.0,
        max_connections: int = 8,
        retry: RetryPolicy | None = None,
    ) -> None:
        server_url = normalise_server_url(url)
        self.base_url: str = server_url.api
        self.server: str = server_url.display  # for messages: never holds user:password
        self.timeout = timeout
        self.max_connections = max(1, max_connections)
        self.retry_policy = retry or RetryPolicy()
        self.requests_made = 0
        self.bytes_sent = 0
        self.bytes_received = 0
        self.retries_made = 0
        self.retry_wait = 0.0
        self._api_key = api_key.strip()
        self._capabilities: Capabilities | None = None
        self._owner_id: str | None = None
        headers = {"user-agent": USER_AGENT, "accept": "application/json"}
        if self._api_key:
            if not self._api_key.isascii() or not self._api_key.isprintable():
                raise ImmichError("The API key contains characters that cannot be sent.")
            headers["x-api-key"] = self._api_key
        self._slots = asyncio.Semaphore(self.max_connections)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            cookies=_NoCookies(),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(
                max_connections=self.max_connections,
                max_keepalive_connections=self.max_connections,
            ),
            transport=transport,
            # plain http never uses TLS: skip loading the CA bundle (~80 ms CPU per client)
            verify=_ssl_verify(verify) if self.base_url.startswith("https:") else False,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"ImmichClient({self.server!r})"

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> ImmichClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ transport core

    def _scrub(self, err: ImmichError) -> ImmichError:
        """Belt and braces: mask the API key should any message ever quote it."""
        key = self._api_key
        if len(key) >= 4 and any(key in str(a) for a in err.args):
            err.args = tuple(str(a).replace(key, "***") for a in err.args)
        return err

    def _note_retry(self, wait: float) -> None:
        self.retries_made += 1
        self.retry_wait += wait

    def _transient_transport(self, exc: httpx.TransportError, idempotent: bool) -> bool:
        if isinstance(exc, httpx.ConnectError):
            # Never left the machine: safe for any request. TLS and DNS failures are not transient.
            return not (is_tls_error(exc) or is_dns_error(exc))
        if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
            return True
        return idempotent and isinstance(
            exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError
        )

    async def _attempt(
        self,
        method: str,
        path: str,
        what: str,
        params: dict[str, str | int] | None,
        content: bytes | None,
        headers: dict[str, str] | None,
        idempotent: bool,
        retry_500: bool,
    ) -> httpx.Response:
        self.requests_made += 1
        self.bytes_sent += len(content or b"")
        try:
            async with self._slots:
                response = await self._http.request(
                    method, path, params=params, content=content, headers=headers
                )
        except httpx.TransportError as exc:
            err = transport_error(exc, self.server, self.timeout)
            if self._transient_transport(exc, idempotent):
                log.info("%s %s: %s (transient)", method, path, self._scrub(err))
                raise Transient(err) from None
            raise err from None
        self.bytes_received += response.num_bytes_downloaded
        if response.is_success:
            return response
        err = status_error(response, self.server, what)
        status = response.status_code
        retry_after_header = response.headers.get("retry-after")
        refused = status == 429 or (status == 503 and retry_after_header is not None)
        if refused or (idempotent and (status in RETRY_STATUSES or (status == 500 and retry_500))):
            retry_after = parse_retry_after(retry_after_header)
            log.info("%s %s: %s (transient)", method, path, self._scrub(err))
            raise Transient(err, retry_after, status)
        raise err

    async def _send(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: dict[str, str | int] | None = None,
        body: object = None,
        headers: dict[str, str] | None = None,
        idempotent: bool = True,
    ) -> httpx.Response:
        """One request with retries; returns a 2xx response or raises an ImmichError."""
        if params:  # Immich accepts only lowercase "true"/"false" in query strings
            params = {k: qbool(v) if isinstance(v, bool) else v for k, v in params.items()}
        content: bytes | None = None
        if body is not None:
            content = msgspec.json.encode(body)
            headers = {**(headers or {}), "content-type": "application/json"}
        retries_500 = self.retry_policy.retries_on_500
        try:
            async for attempt in retrying(self.retry_policy, self._note_retry):
                with attempt:
                    return await self._attempt(
                        method, path, what, params, content, headers, idempotent, retries_500 > 0
                    )
                outcome = attempt.retry_state.outcome
                failure = outcome.exception() if outcome else None
                if isinstance(failure, Transient) and failure.status == 500:
                    retries_500 -= 1
        except Transient as exc:
            raise self._scrub(exc.error) from None
        except ImmichError as exc:
            raise self._scrub(exc) from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _json(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: dict[str, str | int] | None = None,
        body: object = None,
        idempotent: bool = True,
    ) -> Any:
        return await self._decoded(
            method, path, what, decode_any, params=params, body=body, idempotent=idempotent
        )

    async def _decoded(
        self,
        method: str,
        path: str,
        what: str,
        read: Callable[[bytes], T],
        *,
        params: dict[str, str | int] | None = None,
        body: object = None,
        idempotent: bool = True,
    ) -> T:
        """One request's answer decoded by `read` (a msgspec decoder) from its bytes."""
        response = await self._send(
            method, path, what, params=params, body=body, idempotent=idempotent
        )
        try:
            return decode_with(response, self.server, what, read)
        except ImmichError as exc:
            raise self._scrub(exc) from None

    async def _thumbnail(self, path: str, what: str, params: dict[str, str | int]) -> Thumbnail:
        response = await self._send("GET", path, what, params=params, headers={"accept": "*/*"})
        if is_html(response):
            raise NotImmich(
                f"The server at {self.server} sent a web page instead of an image "
                f"when asked to {what}."
            )
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype.startswith("text/") or ctype.endswith("json") or not response.content:
            raise InvalidResponse(f"The server sent no image when asked to {what}.")
        return Thumbnail(response.content, ctype or "application/octet-stream")

    # ------------------------------------------------------------------ server

    async def ping(self) -> None:
        """``GET /server/ping``; raises NotImmich unless the answer is ``{"res": "pong"}``."""
        try:
            data = await self._json("GET", "/server/ping", "answer a ping")
        except (NotFound, InvalidResponse):
            data = None
        except (Unauthorized, MissingPermission):  # Immich's ping is public: a proxy asked
            raise NotImmich(
                f"The server at {self.server} asks for a login before Immich's public ping; "
                "check the URL or the proxy in front of Immich."
            ) from None
        if not (isinstance(data, dict) and data.get("res") == "pong"):
            raise NotImmich(
                f"The server at {self.server} does not answer like an Immich server; "
                "check the URL and port."
            )

    async def version(self) -> ServerVersion:
        """The server's version; raises UnsupportedVersion below Immich 2.0."""
        try:
            data = await self._json("GET", "/server/version", "read the server version")
        except NotFound:
            raise NotImmich(
                f"The server at {self.server} does not report an Immich version; "
                "check the URL and port."
            ) from None
        found = ServerVersion.from_json(data)
        if (found.major, found.minor) < MIN_SUPPORTED_VERSION:
            raise UnsupportedVersion(
                f"The server runs Immich {found}, but ppl2album-tui needs Immich 2.0 or newer."
            )
        self._capabilities = Capabilities.of(found)
        return found

    @property
    def known_capabilities(self) -> Capabilities | None:
        """The capabilities if the version was read already (no request), else None."""
        return self._capabilities

    async def capabilities(self) -> Capabilities:
        """What the server can do (from ``GET /server/version``, read once per client)."""
        if self._capabilities is None:
            await self.version()
        assert self._capabilities is not None
        return self._capabilities

    async def owner_id(self) -> str:
        """The key's user id (``GET /users/me``, read once per client): whose photos are own."""
        if self._owner_id is None:
            self._owner_id = (await self.me()).id
        return self._owner_id

    async def check_version(self) -> ServerVersion:
        """Ping, then read and check the version: the first call to make on a new server."""
        await self.ping()
        return await self.version()

    async def about(self) -> ServerAbout:
        """``GET /server/about`` (scope server.about)."""
        return ServerAbout.from_json(await self._json("GET", "/server/about", "read server info"))

    async def me(self) -> User:
        """The key's user (``GET /users/me``, scope user.read)."""
        return User.from_json(await self._json("GET", "/users/me", "read your user account"))

    async def key_permissions(self) -> ApiKeyInfo:
        """The calling key's name and scopes (``GET /api-keys/me``, needs no scope)."""
        data = await self._json("GET", "/api-keys/me", "read the API key's permissions")
        return ApiKeyInfo.from_json(data)

    # ------------------------------------------------------------------ people

    async def people(self, with_hidden: bool = False) -> list[Person]:
        """Every person Immich lists (all pages of 1000, following ``hasNextPage``)."""
        found: list[Person] = []
        page = 1
        while True:
            params: dict[str, str | int] = {
                "page": page,
                "size": PAGE_SIZE,
                "withHidden": with_hidden,
            }
            data = await self._json("GET", "/people", "list people", params=params)
            items = data.get("people") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise InvalidResponse(
                    "The server sent an unexpected answer to the people list: it has no people."
                )
            found.extend(Person.from_json(item) for item in items)
            if not items or data.get("hasNextPage") is not True:
                return found
            page += 1

    async def person(self, person_id: str) -> Person:
        """One person by id (hidden ones included)."""
        data = await self._json("GET", f"/people/{_seg(person_id)}", f"read person {person_id}")
        return Person.from_json(data)

    async def asset(self, asset_id: str) -> Asset:
        """One asset by id (``GET /assets/{id}``, scope ``asset.read``), its people included."""
        what = f"read photo {asset_id}"
        return await self._decoded("GET", f"/assets/{_seg(asset_id)}", what, _ASSET_ANSWER)

    async def person_thumbnail(self, person_id: str) -> Thumbnail:
        """The person's face thumbnail: bytes and the content type the server declared."""
        what = f"download the face of person {person_id}"
        return await self._thumbnail(f"/people/{_seg(person_id)}/thumbnail", what, {})

    async def person_statistics(self, person_id: str) -> int:
        """How many timeline assets show the person (a cheap change signal)."""
        what = f"count the photos of person {person_id}"
        data = await self._json("GET", f"/people/{_seg(person_id)}/statistics", what)
        count = data.get("assets") if isinstance(data, dict) else None
        if not isinstance(count, int) or isinstance(count, bool):
            raise InvalidResponse(
                "The server sent an unexpected answer to a person's statistics: no asset count."
            )
        return count

    # ------------------------------------------------------------------ search

    async def _search_page(
        self, query: AssetQuery, page: int, read: PageReader[T]
    ) -> tuple[list[T], int | None]:
        """One page of `query`, decoded by `read` straight from the answer's bytes into the
        typed items it keeps (no JSON tree is built); (items, next page)."""
        body = metadata_body(query, page)
        items, following = await self._decoded(
            "POST", "/search/metadata", "search assets", read, body=body
        )
        if not items:  # an empty page ends paging, whatever it says
            following = None
        if following is not None and following <= page:
            raise InvalidResponse(
                "The server sent an unexpected answer to a search: its pages went backwards."
            )
        return items, following

    async def _search_pages(
        self, query: AssetQuery, read: PageReader[T], expected: Hint = None
    ) -> AsyncIterator[list[T]]:
        """Every page of `query`, converted, in order.

        Pages are chained by ``nextPage``. With `expected` (a count hint such as a person's
        statistics or an album's assetCount) the first ⌈expected/1000⌉ pages are fetched
        concurrently, then ``nextPage`` is followed from the last one: a wrong hint costs at
        most a few empty pages, never a missed asset. A hint still on its way (a callable) is
        awaited while the first page, sent at once, is in flight.
        """
        first: asyncio.Future[tuple[list[T], int | None]] | None = None
        if callable(expected):
            first = asyncio.ensure_future(self._search_page(query, 1, read))
            try:
                expected = await expected()
            except BaseException:
                await cancel_and_wait([first])
                raise
        last = max(1, -(-expected // PAGE_SIZE)) if expected else 1
        pages = [self._search_page(query, p, read) for p in range(2 if first else 1, last + 1)]
        batch = await self._gather([first, *pages] if first else pages)
        for items, _ in batch:
            yield items
        following = batch[-1][1]
        while following is not None:
            items, following = await self._search_page(query, following, read)
            yield items

    async def _gather(self, coros: Sequence[Awaitable[R]]) -> list[R]:
        """Await all, results in order; the first failure cancels the rest and is raised."""
        if len(coros) == 1:
            return [await coros[0]]
        tasks = [asyncio.ensure_future(c) for c in coros]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            await cancel_and_wait(tasks)
            raise

    async def iter_search_assets(
        self, query: AssetQuery, expected: Hint = None
    ) -> AsyncIterator[list[Asset]]:
        """`search_assets` page by page (at most 1000 assets per list).

        `query.visibility=None` means timeline and archive: the field is omitted and `hidden`
        and `locked` items are dropped here; otherwise only `locked` items are ever dropped.
        """
        drop = NOT_TIMELINE_OR_ARCHIVE if query.visibility is None else ONLY_LOCKED
        read = functools.partial(read_assets, drop=drop)
        async for page in self._search_pages(query, read, expected):
            yield page

    async def search_assets(self, query: AssetQuery, expected: Hint = None) -> list[Asset]:
        """Every asset matching `query` (``POST /search/metadata``, all pages of 1000).

        Several person ids mean AND in Immich 3.1 (repeats are removed before sending); for OR,
        run one query per person with `search_many` and take the union. `expected` is an
        optional count hint that lets the pages be fetched concurrently (see `_search_pages`).
        """
        found: list[Asset] = []
        async for page in self.iter_search_assets(query, expected):
            found.extend(page)
        return found

    async def search_many(
        self, queries: Sequence[AssetQuery], expected: Sequence[Hint] | None = None
    ) -> list[list[Asset]]:
        """`search_assets` for each query concurrently (at most `max_connections` requests in
        flight), results in query order; the first failure cancels the others and is raised.
        """
        hints: list[Hint] = list(expected) if expected is not None else [None] * len(queries)
        if len(hints) != len(queries):
            raise ValueError("expected must have one hint per query")
        return await self._gather(
            [self.search_assets(q, hint) for q, hint in zip(queries, hints, strict=True)]
        )

    async def _v2_supported(self) -> None:
        caps = await self.capabilities()
        if not caps.search_v2:
            raise UnsupportedVersion(
                f"Immich {caps.version} has no search filter (Search API v2 came in 3.2.0)."
            )

    async def search_v2(self, query: V2Query) -> list[Asset]:
        """Every asset a v2 search finds (Immich 3.2+; pages follow ``nextCursor`` one after
        another, each with the same filter). FilterIgnored (nothing to act on) when the server
        answered without ``nextCursor``."""
        await self._v2_supported()
        found: list[Asset] = []
        cursor: str | None = None
        while True:
            body = v2_body(query, cursor)
            data = await self._json("POST", "/search/metadata", "search assets", body=body)
            items, following = v2_page(data)
            found.extend(v2_assets(items))
            if not items or following is None:
                return found
            if following == cursor:
                raise InvalidResponse(
                    "The server sent an unexpected answer to a search: its cursor did not move."
                )
            cursor = following

    async def count_v2(self, query: V2Query, *, known_v2: bool = False) -> int:
        """How many assets `query` matches (``POST /search/statistics`` with its filter).

        `known_v2`: the caller knows the server speaks v2 (the version is then not read)."""
        if not (known_v2 and self._capabilities is None):
            await self._v2_supported()
        data = await self._json(
            "POST", "/search/statistics", "count assets", body=v2_statistics_body(query)
        )
        total = data.get("total") if isinstance(data, dict) else None
        if not isinstance(total, int) or isinstance(total, bool):
            raise InvalidResponse("The server sent an unexpected answer to a count: no total.")
        return total

    # ------------------------------------------------------------------ albums

    async def albums(self) -> list[Album]:
        """Albums the user owns or that are shared with them (``GET /albums``)."""
        data = await self._json("GET", "/albums", "list albums")
        if not isinstance(data, list):
            raise InvalidResponse("The server sent an unexpected answer to the album list.")
        return [Album.from_json(item) for item in data]

    async def album(self, album_id: str) -> Album:
        """One album by id (Immich 3.x returns it without assets; see `album_asset_ids`)."""
        data = await self._json("GET", f"/albums/{_seg(album_id)}", f"read album {album_id}")
        return Album.from_json(data)

    async def create_album(self, name: str, shared_with: Mapping[str, str] | None = None) -> Album:
        """Create an empty album, shared at once with `shared_with` (user id -> ``editor`` or
        ``viewer``; scope album.create only). Retried only when the server refused it (429, or
        503 with Retry-After): after a timeout or a dropped answer a retry could create it twice."""
        body: dict[str, object] = {"albumName": name}
        if shared_with:
            body["albumUsers"] = [{"userId": u, "role": r} for u, r in shared_with.items()]
        data = await self._json(
            "POST", "/albums", f"create the album '{name}'", body=body, idempotent=False
        )
        return Album.from_json(data)

    async def album_asset_ids(self, album_id: str, expected: Hint = None) -> set[str]:
        """Ids of every asset in the album (search by ``albumIds``; any visibility but locked).

        `expected` (e.g. the album's `asset_count`) lets the pages be fetched concurrently.
        """
        ids: set[str] = set()
        query = AssetQuery(album_ids=(album_id,), visibility=None)
        async for page in self._search_pages(query, read_asset_ids, expected):
            ids.update(page)
        return ids

    async def _bulk(
        self,
        method: str,
        album_id: str,
        ids: Iterable[str],
        chunk_size: int,
        on_chunk: Callable[[list[BulkResult]], None] | None,
        what: str,
    ) -> list[BulkResult]:
        results: list[BulkResult] = []
        path = f"/albums/{_seg(album_id)}/assets"
        for chunk in even_chunks(unique(ids), chunk_size):
            answers = await self._decoded(method, path, what, _BULK_ANSWER, body={"ids": chunk})
            if [r.id for r in answers] != chunk:  # Immich answers each id in order
                by_id = {r.id: r for r in answers}
                answers = [by_id.get(i) or BulkResult(i, False, "failed") for i in chunk]
            results.extend(answers)
            if on_chunk is not None:
                on_chunk(answers)
        return results

    async def add_to_album(
        self,
        album_id: str,
        ids: Sequence[str],
        chunk_size: int = 1000,
        on_chunk: Callable[[list[BulkResult]], None] | None = None,
    ) -> list[BulkResult]:
        """Add assets in chunks; one BulkResult per distinct id, in input order.

        Outcomes: success, or error ``duplicate`` (already there) / ``no_permission`` (also for
        unknown ids). A chunk is retried on transient failures; ids that a lost attempt already
        added then come back as ``duplicate``.
        """
        what = f"add photos to album {album_id}"
        return await self._bulk("PUT", album_id, ids, chunk_size, on_chunk, what)

    async def remove_from_album(
        self,
        album_id: str,
        ids: Sequence[str],
        chunk_size: int = 1000,
        on_chunk: Callable[[list[BulkResult]], None] | None = None,
    ) -> list[BulkResult]:
        """Remove assets in chunks; one BulkResult per distinct id (``not_found``: not there)."""
        what = f"remove photos from album {album_id}"
        return await self._bulk("DELETE", album_id, ids, chunk_size, on_chunk, what)

    # ----------------------------------------------------------------- sharing

    async def users(self) -> list[User]:
        """Every user of the server one may share with (``GET /users``, scope user.read)."""
        data = await self._json("GET", "/users", "list the server's users")
        if not isinstance(data, list):
            raise InvalidResponse("The server sent an unexpected answer to the user list.")
        return [User.from_json(item) for item in data]

    async def add_album_users(self, album_id: str, roles: Mapping[str, str]) -> Album:
        """Share an album: user id -> ``editor`` or ``viewer`` (``PUT /albums/{id}/users``,
        scope albumUser.create; only the owner may). Not retried after a lost answer: a second
        try would be refused with "User already added"."""
        body = {"albumUsers": [{"userId": u, "role": r} for u, r in roles.items()]}
        path = f"/albums/{_seg(album_id)}/users"
        what = f"share album {album_id}"
        return Album.from_json(await self._json("PUT", path, what, body=body, idempotent=False))

    async def remove_album_user(self, album_id: str, user_id: str) -> None:
        """Stop sharing an album with `user_id` (``me``: leave it); scope albumUser.delete."""
        path = f"/albums/{_seg(album_id)}/user/{_seg(user_id)}"
        await self._send("DELETE", path, f"stop sharing album {album_id} with user {user_id}")

    async def set_album_user_role(self, album_id: str, user_id: str, role: str) -> None:
        """Change a member's role (``editor``/``viewer``); scope albumUser.update."""
        path = f"/albums/{_seg(album_id)}/user/{_seg(user_id)}"
        what = f"change the role of user {user_id} in album {album_id}"
        await self._send("PUT", path, what, body={"role": role})

    async def create_shared_link(
        self,
        album_id: str,
        *,
        expires_at: datetime | None = None,
        password: str | None = None,
        allow_download: bool = True,
        description: str | None = None,
    ) -> SharedLink:
        """A shared link to an album (``POST /shared-links``, scope sharedLink.create; only the
        owner may). Not retried after a lost answer, which could make a second link."""
        body: dict[str, object] = {
            "type": "ALBUM",
            "albumId": album_id,
            "allowDownload": allow_download,
            "allowUpload": False,
        }
        if expires_at is not None:
            body["expiresAt"] = _iso(expires_at)
        if password:
            body["password"] = password
        if description:
            body["description"] = description
        what = f"make a shared link to album {album_id}"
        data = await self._json("POST", "/shared-links", what, body=body, idempotent=False)
        return SharedLink.from_json(data)

    async def shared_links(self, album_id: str | None = None) -> list[SharedLink]:
        """The key owner's shared links, those of one album if given (scope sharedLink.read)."""
        params: dict[str, str | int] | None = {"albumId": album_id} if album_id else None
        data = await self._json("GET", "/shared-links", "list shared links", params=params)
        if not isinstance(data, list):
            raise InvalidResponse("The server sent an unexpected answer to the shared links.")
        return [SharedLink.from_json(item) for item in data]

    async def delete_shared_link(self, link_id: str) -> None:
        """Delete a shared link (``DELETE /shared-links/{id}``, scope sharedLink.delete)."""
        await self._send("DELETE", f"/shared-links/{_seg(link_id)}", "delete a shared link")

    async def set_birth_date(self, person_id: str, birth_date: date | None) -> Person:
        """Set (or clear, with None) a person's birth date (``PUT /people/{id}``, scope
        person.update)."""
        body = {"birthDate": birth_date.isoformat() if birth_date else None}
        path = f"/people/{_seg(person_id)}"
        what = f"set the birth date of person {person_id}"
        return Person.from_json(await self._json("PUT", path, what, body=body))

    # ------------------------------------------------------------------ assets

    async def asset_thumbnail(self, asset_id: str, size: str = "thumbnail") -> Thumbnail:
        """An asset's thumbnail (``thumbnail``: WebP 250 px by default; ``preview``: JPEG)."""
        if size not in THUMBNAIL_SIZES:
            raise ValueError(f"size must be one of {', '.join(THUMBNAIL_SIZES)}")
        what = f"download the thumbnail of asset {asset_id}"
        return await self._thumbnail(f"/assets/{_seg(asset_id)}/thumbnail", what, {"size": size})


def _iso(moment: datetime) -> str:
    """A timestamp as Immich wants it: UTC with milliseconds and ``Z`` (naive = UTC)."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")
