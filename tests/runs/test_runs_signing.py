"""Webhook signatures: HMAC-SHA256 over "timestamp.body", five-minute window, constant time."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from agentsim.runs.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureInvalid,
    sign,
    verify,
)

SECRET = "s3cret-for-tests"
BODY = b'{"provider":"bluejay","simulation_id":"12"}'
NOW = 1_800_000_000


def test_signed_request_verifies() -> None:
    headers = sign(SECRET, BODY, timestamp=NOW)

    verify(SECRET, BODY, headers, now=NOW + 10)


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    # Given the documented construction, computed independently
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()

    # Then the signature header carries exactly it
    assert sign(SECRET, BODY, timestamp=NOW) == {
        TIMESTAMP_HEADER: str(NOW),
        SIGNATURE_HEADER: f"v1={expected}",
    }


def test_header_names_are_case_insensitive() -> None:
    headers = {k.lower(): v for k, v in sign(SECRET, BODY, timestamp=NOW).items()}

    verify(SECRET, BODY, headers, now=NOW)


@pytest.mark.parametrize("missing", [TIMESTAMP_HEADER, SIGNATURE_HEADER])
def test_missing_header_is_refused_naming_it(missing: str) -> None:
    headers = sign(SECRET, BODY, timestamp=NOW)
    del headers[missing]

    with pytest.raises(SignatureInvalid, match=missing):
        verify(SECRET, BODY, headers, now=NOW)


@pytest.mark.parametrize("skew", [301, -301, 3600])
def test_stale_or_future_timestamp_is_refused(skew: int) -> None:
    headers = sign(SECRET, BODY, timestamp=NOW)

    with pytest.raises(SignatureInvalid, match="5-minute window"):
        verify(SECRET, BODY, headers, now=NOW + skew)


def test_timestamp_at_the_edge_of_the_window_is_accepted() -> None:
    verify(SECRET, BODY, sign(SECRET, BODY, timestamp=NOW), now=NOW + 300)


def test_wrong_secret_is_refused() -> None:
    headers = sign("another-secret", BODY, timestamp=NOW)

    with pytest.raises(SignatureInvalid, match="does not match"):
        verify(SECRET, BODY, headers, now=NOW)


def test_tampered_body_is_refused() -> None:
    headers = sign(SECRET, BODY, timestamp=NOW)

    with pytest.raises(SignatureInvalid, match="does not match"):
        verify(SECRET, BODY.replace(b"12", b"13"), headers, now=NOW)


def test_timestamp_cannot_be_replaced_without_the_signature() -> None:
    headers = sign(SECRET, BODY, timestamp=NOW)
    headers[TIMESTAMP_HEADER] = str(NOW + 60)

    with pytest.raises(SignatureInvalid, match="does not match"):
        verify(SECRET, BODY, headers, now=NOW + 60)


def test_one_matching_value_among_several_is_accepted_for_rotation() -> None:
    good = sign(SECRET, BODY, timestamp=NOW)
    old = sign("old-secret", BODY, timestamp=NOW)[SIGNATURE_HEADER]
    headers = {**good, SIGNATURE_HEADER: f"{old}, {good[SIGNATURE_HEADER]}"}

    verify(SECRET, BODY, headers, now=NOW)


def test_signature_without_version_prefix_is_refused() -> None:
    headers = sign(SECRET, BODY, timestamp=NOW)
    headers[SIGNATURE_HEADER] = headers[SIGNATURE_HEADER].removeprefix("v1=")

    with pytest.raises(SignatureInvalid, match="v1="):
        verify(SECRET, BODY, headers, now=NOW)


def test_non_numeric_timestamp_is_refused() -> None:
    headers = sign(SECRET, BODY, timestamp=NOW)
    headers[TIMESTAMP_HEADER] = "yesterday"

    with pytest.raises(SignatureInvalid, match="unix seconds"):
        verify(SECRET, BODY, headers, now=NOW)


def test_empty_secret_never_verifies() -> None:
    with pytest.raises(SignatureInvalid, match="not configured"):
        verify("", BODY, sign("", BODY, timestamp=NOW), now=NOW)
