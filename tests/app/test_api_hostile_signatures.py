"""Hostile signature headers: a byte that is not ASCII, a timestamp that is not ASCII digits or
thousands of them, a header sent twice, an overlong signature, none at all; each is a 401 in our
error shape naming the header, with nothing written, whatever the body."""

from __future__ import annotations

from typing import Any

import pytest
from support.aws_fixtures import Stack
from support.hostile_api import Call, assert_refused, raw_start, start
from support.run_requests import bluejay_request

from agentsim.runs.intake import MAX_BODY_BYTES
from agentsim.runs.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER


def with_header(event: dict[str, Any], name: str, *values: str) -> dict[str, Any]:
    """`event` with header `name` replaced by `values` (several: sent several times)."""
    headers = {**event["headers"], name: values[-1]}
    multi = {**event["multiValueHeaders"], name: list(values)}
    return {**event, "headers": headers, "multiValueHeaders": multi}


def test_signature_with_a_non_ascii_byte_is_401_naming_the_header(call: Call, stack: Stack) -> None:
    event = start(bluejay_request())
    event = with_header(event, SIGNATURE_HEADER, event["headers"][SIGNATURE_HEADER][:-1] + "é")

    assert_refused(stack, call(event), 401, f"headers.{SIGNATURE_HEADER}")


@pytest.mark.parametrize("stamp", ["1767225600²", "²", "\uff11" * 10, "-1", "1e9", " "])
def test_timestamp_that_is_not_ascii_digits_is_401_naming_the_header(
    call: Call, stack: Stack, stamp: str
) -> None:
    event = with_header(start(bluejay_request()), TIMESTAMP_HEADER, stamp)

    assert_refused(stack, call(event), 401, f"headers.{TIMESTAMP_HEADER}")


def test_five_thousand_digit_timestamp_is_401_naming_the_header(call: Call, stack: Stack) -> None:
    event = with_header(start(bluejay_request()), TIMESTAMP_HEADER, "1" * 5000)

    assert_refused(stack, call(event), 401, f"headers.{TIMESTAMP_HEADER}")


@pytest.mark.parametrize("name", [TIMESTAMP_HEADER, SIGNATURE_HEADER])
def test_signature_header_sent_twice_is_401_naming_it(call: Call, stack: Stack, name: str) -> None:
    event = start(bluejay_request())
    event = with_header(event, name, event["headers"][name], event["headers"][name])

    assert_refused(stack, call(event), 401, f"headers.{name}")


def test_overlong_signature_is_401_naming_the_header(call: Call, stack: Stack) -> None:
    event = start(bluejay_request())
    event = with_header(event, SIGNATURE_HEADER, event["headers"][SIGNATURE_HEADER] + "," * 2000)

    assert_refused(stack, call(event), 401, f"headers.{SIGNATURE_HEADER}")


def test_unsigned_request_is_401_whatever_its_body(call: Call, stack: Stack) -> None:
    for raw in (b"\xff", b"[" * 10_000, b"x" * (MAX_BODY_BYTES + 1)):
        event = raw_start(raw, "multipart/form-data")
        del event["headers"][SIGNATURE_HEADER]
        assert_refused(stack, call(event), 401, f"headers.{SIGNATURE_HEADER}")
