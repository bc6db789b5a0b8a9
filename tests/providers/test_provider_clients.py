"""What every provider client gets from the `ProviderClient` base, the same for all three."""

from __future__ import annotations

import pytest

from agentsim.providers.bluejay import BluejayClient
from agentsim.providers.client import ProviderClient
from agentsim.providers.errors import ProviderAuthError
from agentsim.providers.omnidimension import OmniDimensionClient
from agentsim.providers.synthflow import SynthflowClient

CLIENTS = [OmniDimensionClient, BluejayClient, SynthflowClient]


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.provider.value)
@pytest.mark.parametrize("key", ["", "   "], ids=["empty", "blank"])
def test_a_missing_api_key_is_refused_naming_the_provider(
    client: type[ProviderClient], key: str
) -> None:
    with pytest.raises(ProviderAuthError, match="no API key") as caught:
        client(key)
    assert caught.value.provider == client.provider.value


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.provider.value)
def test_without_a_base_url_a_client_talks_to_the_providers_public_api(
    client: type[ProviderClient],
) -> None:
    with client("key") as made:
        assert made.base_url.rstrip("/") == client.default_base_url.rstrip("/")
