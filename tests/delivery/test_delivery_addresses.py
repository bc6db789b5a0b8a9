"""Which addresses a delivery may reach: public ones only, however the host is written."""

from __future__ import annotations

import ipaddress

import pytest

from agentsim.delivery.addresses import AddressRefused, checked_address, refusal, system_resolver


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.1.2.3", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.0.0.1", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fc00::1", "a private address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("169.254.170.2", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
        ("169.254.1.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("100.64.0.1", "not a public address"),
    ],
)
def test_each_non_public_address_class_is_refused(address: str, reason: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("::ffff:127.0.0.1", "a loopback address"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "a cloud metadata address"),
        ("64:ff9b::a9fe:a9fe", "a cloud metadata address"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "a loopback address"),  # 6to4 of 127.0.0.1
        ("::7f00:1", "a loopback address"),  # IPv4-compatible
        ("::ffff:0:a00:1", "a private address"),  # IPv4-translated 10.0.0.1
    ],
)
def test_an_ipv6_address_carrying_an_ipv4_one_is_judged_by_it(address: str, reason: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111", "::ffff:93.184.215.14"])
def test_a_public_address_may_be_called(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_loopback_allowed_lets_loopback_through_and_nothing_else() -> None:
    def allowed(address: str) -> bool:
        return refusal(ipaddress.ip_address(address), allow_loopback=True) is None

    assert allowed("127.0.0.1") and allowed("::1")
    assert not any(allowed(a) for a in ("10.0.0.1", "169.254.169.254", "fd00:ec2::254"))


@pytest.mark.parametrize("host", ["2130706433", "0177.0.0.1", "0x7f.1", "127.1", "localhost"])
def test_other_spellings_of_loopback_resolve_to_it_and_are_refused(host: str) -> None:
    with pytest.raises(AddressRefused, match="loopback"):
        checked_address(host, 443, resolver=system_resolver)


def test_a_name_is_refused_when_any_of_its_addresses_is_not_public() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.1.2.3"]

    with pytest.raises(AddressRefused, match="private"):
        checked_address("mixed.example", 443, resolver=resolver)


def test_the_first_checked_address_is_the_one_called() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "2606:4700::1111"]

    assert checked_address("ok.example", 443, resolver=resolver) == ipaddress.ip_address(
        "93.184.215.14"
    )


def test_a_host_that_does_not_resolve_is_refused() -> None:
    with pytest.raises(AddressRefused, match="does not resolve"):
        checked_address("nothing.invalid", 443, resolver=system_resolver)
