"""Every adapter's `prepare` refuses a simulation id of the wrong form (OmniDimension and Bluejay
ids are integers, Synthflow's uuids) naming the field, before any request is sent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support import bluejay_fake, omni_fake, synthflow_fake
from support.scripted_transport import ScriptedTransport

from agentsim.providers.base import AnyProvider
from agentsim.providers.errors import ProviderRejected


@pytest.mark.parametrize(
    ("make_provider", "fake_type", "malformed"),
    [
        (omni_fake.make_provider, omni_fake.FakeOmni, "sim-456"),
        (bluejay_fake.make_provider, bluejay_fake.FakeBluejay, "sim-456"),
        (synthflow_fake.make_provider, synthflow_fake.FakeSynthflow, "42"),
    ],
    ids=["omnidimension", "bluejay", "synthflow"],
)
def test_a_malformed_simulation_id_is_refused_without_a_call(
    make_provider: Callable[[ScriptedTransport], AnyProvider],
    fake_type: type[ScriptedTransport],
    malformed: str,
) -> None:
    fake = fake_type()

    with pytest.raises(ProviderRejected, match="simulation_id"):
        make_provider(fake).prepare(None, simulation_id=malformed)

    assert fake.requests == []
