"""Pure parts of the Immich client: URL normalisation, Retry-After, request bodies, backoff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from ppl2album_tui.immich.client import ImmichClient
from ppl2album_tui.immich.errors import ImmichError, InvalidResponse, InvalidServerURL, TLSFailure
from ppl2album_tui.immich.http import qbool
from ppl2album_tui.immich.models import AssetQuery
from ppl2album_tui.immich.retry import RetryPolicy, backoff, parse_retry_after
from ppl2album_tui.immich.search import iso, metadata_body, next_page, unique
from ppl2album_tui.immich.urls import normalise_server_url


@pytest.mark.parametrize(
    "raw",
    [
        "http://host:2283",
        "http://host:2283/",
        "http://host:2283/api",
        "http://host:2283/api/",
        "  HTTP://Host:2283/api//  ",
    ],
)
def test_url_forms_normalise_to_one_base(raw: str) -> None:
    url = normalise_server_url(raw)
    assert url.api == "http://host:2283/api"
    assert url.display == "http://host:2283"


def test_url_keeps_proxy_subpath_ipv6_and_hides_credentials() -> None:
    assert normalise_server_url("https://example.org/immich/").api == (
        "https://example.org/immich/api"
    )
    assert normalise_server_url("http://[::1]:2283").api == "http://[::1]:2283/api"
    url = normalise_server_url("https://me:secret@example.org/api")
    assert url.api == "https://me:secret@example.org/api"
    assert "secret" not in url.display


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("host:2283", "has no scheme"),
        ("192.168.1.10:2283/", "has no scheme"),
        ("", "No server URL"),
        ("ftp://host", "must start with http:// or https://"),
        ("http://", "no host"),
        ("http://host:99999", "invalid port"),
    ],
)
def test_bad_urls_give_one_sentence(raw: str, words: str) -> None:
    with pytest.raises(InvalidServerURL) as info:
        normalise_server_url(raw)
    message = str(info.value)
    assert words in message
    assert message.endswith(".") and message.count(". ") == 0


def test_client_rejects_url_without_scheme_at_construction() -> None:
    with pytest.raises(InvalidServerURL, match="has no scheme"):
        ImmichClient("immich.local:2283", "k")


def test_client_rejects_unreadable_ca_bundle() -> None:
    with pytest.raises(TLSFailure, match="Cannot use the CA bundle"):
        ImmichClient("https://immich.local", "k", verify="/nonexistent/ca.pem")


def test_client_rejects_unsendable_key_without_echoing_it() -> None:
    with pytest.raises(ImmichError) as info:
        ImmichClient("http://h:1", "bad\nkey-secret")
    assert "secret" not in str(info.value)


def test_query_booleans_are_lowercase() -> None:
    assert qbool(True) == "true"
    assert qbool(False) == "false"


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == pytest.approx(7.0)
    earlier = format_datetime(now - timedelta(seconds=7), usegmt=True)
    assert parse_retry_after(earlier, now=now.timestamp()) == 0.0


def test_backoff_grows_honours_retry_after_and_is_capped() -> None:
    policy = RetryPolicy(base=0.5, max_wait=10.0)
    for attempt in (1, 2, 3):
        wait = backoff(policy, attempt, None)
        assert 0.5 * 2 ** (attempt - 1) <= wait <= 0.5 * 2 ** (attempt - 1) + 0.5
    assert backoff(policy, 1, 4.0) >= 4.0
    assert backoff(policy, 1, 3600.0) == 10.0
    assert backoff(policy, 10, None) == 10.0


def test_metadata_body_is_explicit_and_deduplicated() -> None:
    a, b = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
    query = AssetQuery(
        person_ids=(a, b, a),
        type="IMAGE",
        visibility="timeline",
        is_favorite=False,
        taken_after=datetime(2020, 1, 1),  # naive: taken as UTC
        taken_before=datetime(2021, 1, 1, tzinfo=timezone(timedelta(hours=2))),
    )
    body = metadata_body(query, page=3)
    assert body == {
        "page": 3,
        "size": 1000,
        "withExif": False,
        "personIds": [a, b],
        "type": "IMAGE",
        "visibility": "timeline",
        "isFavorite": False,
        "takenAfter": "2020-01-01T00:00:00+00:00",
        "takenBefore": "2021-01-01T00:00:00+02:00",
    }
    assert "withPeople" not in body
    assert metadata_body(AssetQuery(with_people=True), 1)["withPeople"] is True
    assert "visibility" not in metadata_body(AssetQuery(visibility=None), 1)


def test_helpers() -> None:
    assert unique(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]
    assert iso(datetime(2024, 5, 6, 7, 8, 9)) == "2024-05-06T07:08:09+00:00"
    assert next_page("2") == 2
    assert next_page(3) == 3
    assert next_page(None) is None
    for bad in ("two", True, 2.5, [2]):
        with pytest.raises(InvalidResponse):
            next_page(bad)
