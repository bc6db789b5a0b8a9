"""The URL rule: https to a public address, checked by what the host resolves to."""

from __future__ import annotations

import pytest

from agentsim.delivery.addresses import AddressRefused
from agentsim.delivery.urls import UrlPolicy


def resolving_to(*addresses: str) -> UrlPolicy:
    return UrlPolicy(resolver=lambda host, port: list(addresses))


def test_an_https_url_resolving_to_a_public_address_is_checked_with_that_address() -> None:
    checked = resolving_to("93.184.215.14").check("https://hooks.example.com/agentsim?x=1")

    assert (checked.scheme, checked.host, checked.port) == ("https", "hooks.example.com", 443)
    assert str(checked.address) == "93.184.215.14"


def test_an_http_url_to_a_public_address_is_refused() -> None:
    with pytest.raises(AddressRefused, match="must be an https URL"):
        resolving_to("93.184.215.14").check("http://hooks.example.com/agentsim")


def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    with pytest.raises(AddressRefused, match="private"):
        resolving_to("10.0.0.7").check("https://internal.example.com/")


def test_a_name_resolving_to_the_metadata_address_is_refused() -> None:
    with pytest.raises(AddressRefused, match="metadata"):
        resolving_to("169.254.169.254").check("https://rebind.example.com/")


@pytest.mark.parametrize(
    "url",
    ["https://169.254.169.254/x", "https://[::1]/x", "https://127.0.0.1/x", "https://[fe80::1]/"],
)
def test_literal_addresses_not_public_are_refused(url: str) -> None:
    with pytest.raises(AddressRefused):
        UrlPolicy().check(url)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://example.com/x", "must be an https URL"),
        ("https:///no-host", "must be an https URL"),
        ("https://example.com:99999/", "must be an https URL"),
        ("https://user:secret@example.com/", "must not carry credentials"),
        ("https://example.com/" + "a" * 2100, "at most 2048"),
    ],
)
def test_a_malformed_url_is_refused_before_any_lookup(url: str, problem: str) -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise AssertionError("looked up")

    with pytest.raises(AddressRefused, match=problem):
        UrlPolicy(resolver=resolver).check(url)


def test_a_local_stack_may_call_loopback_over_http() -> None:
    checked = UrlPolicy(allow_loopback=True).check("http://127.0.0.1:8080/hook")

    assert (checked.scheme, str(checked.address), checked.port) == ("http", "127.0.0.1", 8080)


def test_a_local_stack_still_refuses_private_and_metadata_addresses() -> None:
    policy = UrlPolicy(allow_loopback=True)

    for url in ("http://10.0.0.1/", "https://169.254.169.254/", "http://169.254.169.254/"):
        with pytest.raises(AddressRefused):
            policy.check(url)
