"""SynthflowClient addressing: regional base URLs, the bearer key and ids as one path segment."""

from __future__ import annotations

import pytest
from support.synthflow_fake import (
    API_KEY,
    SIMULATION_ID,
    FakeSynthflow,
    make_client,
    ok,
    simulation,
)

from agentsim.providers import errors
from agentsim.providers.synthflow import REGIONAL_BASE_URLS


@pytest.mark.parametrize(
    "base_url",
    [
        "https://api.synthflow.ai/v2",
        REGIONAL_BASE_URLS["us"],
        REGIONAL_BASE_URLS["eu"],
        "https://api.eu.synthflow.ai/v2/",
    ],
)
def test_paths_join_under_each_regional_base(base_url: str) -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", ok(simulation()))

    make_client(fake, base_url=base_url).get_simulation(SIMULATION_ID)

    expected = base_url.rstrip("/") + f"/simulations/{SIMULATION_ID}"
    assert str(fake.requests[0].url) == expected


def test_regional_hosts_are_the_documented_ones() -> None:
    assert REGIONAL_BASE_URLS == {
        "us": "https://api.us.synthflow.ai/v2",
        "eu": "https://api.eu.synthflow.ai/v2",
    }


def test_the_api_key_is_sent_as_a_bearer_token() -> None:
    fake = FakeSynthflow().on("GET", f"simulations/{SIMULATION_ID}", ok(simulation()))
    make_client(fake).get_simulation(SIMULATION_ID)
    assert fake.requests[0].headers["Authorization"] == f"Bearer {API_KEY}"


def test_ids_are_quoted_as_one_path_segment() -> None:
    fake = FakeSynthflow()
    with pytest.raises(errors.ProviderNotFound):
        make_client(fake).get_simulation("../simulation_suites/x")
    assert fake.requests[0].url.raw_path.endswith(b"/simulations/..%2Fsimulation_suites%2Fx")


def test_a_blank_id_is_refused_naming_the_field_before_any_call() -> None:
    fake = FakeSynthflow()
    client = make_client(fake)

    with pytest.raises(errors.ProviderRejected, match="simulation_id: an id is required"):
        client.get_simulation("  ")

    assert fake.requests == []
