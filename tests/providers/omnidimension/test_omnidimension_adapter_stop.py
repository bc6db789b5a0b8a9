"""OmniDimensionProvider.stop: a stop is posted, a refusal in a 200 answer is a rejection."""

from __future__ import annotations

import pytest
from support.omni_adapter import STOP, launched
from support.omni_fake import STOP_REFUSED, STOP_RESPONSE, FakeOmni, make_provider, ok

from agentsim.providers.errors import ProviderRejected


def test_stop_posts_stop_for_the_simulation() -> None:
    fake = FakeOmni().on("POST", STOP, ok(STOP_RESPONSE))
    make_provider(fake).stop(launched())
    assert [(r.method, r.url.path) for r in fake.requests] == [("POST", "/api/v1" + STOP)]


def test_stop_refused_with_success_false_is_rejected_with_the_providers_message() -> None:
    fake = FakeOmni().on("POST", STOP, ok(STOP_REFUSED))
    with pytest.raises(ProviderRejected, match="Simulation is not running"):
        make_provider(fake).stop(launched())
