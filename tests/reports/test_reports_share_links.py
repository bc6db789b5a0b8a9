"""Share links open one report until they expire; any change to their path, expiry or
signature, or a link without them, is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from agentsim.reports.share import LinkRefused, ShareLinks, report_path

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
KEY = b"k" * 32


def links(now: datetime = NOW, key: bytes = KEY) -> ShareLinks:
    return ShareLinks(key=lambda: key, base_url="https://api.example/v1", clock=lambda: now)


def parts(url: str) -> tuple[str, str, str]:
    split = urlsplit(url)
    query = parse_qs(split.query)
    return split.path.removeprefix("/v1"), query["expires"][0], query["signature"][0]


def test_a_fresh_link_opens_its_report() -> None:
    path, expires, signature = parts(links().url("run-1") or "")

    links().check(path, expires, signature)

    assert path == "/simulations/run-1/report"
    assert int(expires) == int((NOW + timedelta(days=7)).timestamp())


def test_a_link_expires_after_its_lifetime() -> None:
    path, expires, signature = parts(links().url("run-1") or "")

    with pytest.raises(LinkRefused, match="expired"):
        links(now=NOW + timedelta(days=7, seconds=1)).check(path, expires, signature)


@pytest.mark.parametrize("part", ["path", "expires", "signature", "key"])
def test_an_altered_link_is_refused(part: str) -> None:
    path, expires, signature = parts(links().url("run-1") or "")
    altered = {
        "path": (report_path("run-2"), expires, signature),
        "expires": (path, str(int(expires) + 86400), signature),
        "signature": (path, expires, ("0" if signature[0] != "0" else "1") + signature[1:]),
        "key": (path, expires, signature),
    }[part]
    checker = links(key=b"x" * 32) if part == "key" else links()

    with pytest.raises(LinkRefused, match="signature"):
        checker.check(*altered)


@pytest.mark.parametrize(
    ("expires", "signature"),
    [(None, "ab"), ("1", None), ("", ""), ("\uff11\uff12", "ab"), ("12", "é")],
)
def test_a_missing_or_malformed_link_is_refused(expires: str | None, signature: str | None) -> None:
    with pytest.raises(LinkRefused):
        links().check(report_path("run-1"), expires, signature)


def test_the_run_id_is_quoted_in_the_path() -> None:
    assert report_path("a/b c") == "/simulations/a%2Fb%20c/report"


def test_without_a_base_url_no_link_is_made() -> None:
    unrooted = ShareLinks(key=lambda: KEY)

    assert unrooted.url("run-1") is None
    assert (unrooted.url("run-1", "http://127.0.0.1:1/v1/") or "").startswith(
        "http://127.0.0.1:1/v1/simulations/run-1/report?expires="
    )
