"""The registry (`create_provider`) builds each provider's adapter by name, on the base URL it is
given (kept with one trailing slash, so relative paths land under it)."""

from __future__ import annotations

import pytest

from agentsim.providers import create_provider
from agentsim.providers.base import AnyProvider
from agentsim.providers.bluejay import BluejayProvider
from agentsim.providers.omnidimension import OmniDimensionProvider
from agentsim.providers.synthflow import SynthflowProvider


@pytest.mark.parametrize(
    ("name", "adapter_type", "base_url"),
    [
        ("omnidimension", OmniDimensionProvider, "http://127.0.0.1:9"),
        ("bluejay", BluejayProvider, "http://127.0.0.1:9"),
        ("synthflow", SynthflowProvider, "http://127.0.0.1:1/v2"),
    ],
    ids=["omnidimension", "bluejay", "synthflow"],
)
def test_the_registry_builds_the_named_provider_on_its_base_url(
    name: str, adapter_type: type[AnyProvider], base_url: str
) -> None:
    with create_provider(name, "key", base_url=base_url) as provider:
        assert isinstance(provider, adapter_type)
        assert provider.client.base_url == base_url + "/"


@pytest.mark.parametrize("name", ["omnidimension", "bluejay", "synthflow"])
def test_each_adapter_is_named_as_its_client_names_its_provider(name: str) -> None:
    with create_provider(name, "key", base_url="http://127.0.0.1:9") as provider:
        assert provider.name == name
        assert provider.name is provider.client.provider
