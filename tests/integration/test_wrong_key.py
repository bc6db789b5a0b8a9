"""A wrong API key, for each provider against the emulator: an auth error that never carries
the key (not in its text, nor in what the run record keeps of it)."""

from __future__ import annotations

import pytest

from agentsim.providers import create_provider
from agentsim.providers.base import ProviderName
from agentsim.providers.errors import ProviderAuthError
from agentsim_local.emulator import EmulatorServer

WRONG_KEY = "a-wrong-key-5f2a9c"


@pytest.mark.parametrize(
    ("provider", "simulation_id"),
    [
        (ProviderName.OMNIDIMENSION, "1"),
        (ProviderName.BLUEJAY, "1"),
        (ProviderName.SYNTHFLOW, "11111111-1111-4111-8111-111111111111"),
    ],
    ids=["omnidimension", "bluejay", "synthflow"],
)
def test_a_wrong_key_is_an_auth_error_without_the_key(
    emulator: EmulatorServer, provider: ProviderName, simulation_id: str
) -> None:
    emulator.configure(api_keys={provider.value: "the-right-key"})
    adapter = create_provider(provider, WRONG_KEY, base_url=emulator.base_urls[provider.value])

    with adapter, pytest.raises(ProviderAuthError) as caught:
        adapter.prepare(None, simulation_id=simulation_id)

    assert (caught.value.status_code, caught.value.message) == (401, "Invalid or missing API key")
    assert WRONG_KEY not in str(caught.value)
    assert WRONG_KEY not in str(caught.value.to_dict())
