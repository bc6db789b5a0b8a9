"""Provider clients and adapters, and `create_provider`, which picks one by name.

Each provider is a package of the same shape: `client` (the raw API), `requests` (what we send,
validated first), `responses` (what comes back, read tolerantly), `statuses` (its status
words), `handles` (what the workflow keeps between steps), `mapping` (its bodies as neutral
results) and `adapter` (the neutral `SimulationProvider`). Base URLs are each function's
settings (`agentsim.settings`), under the variables `BASE_URL_ENV` names; API keys are always
passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, Unpack

from agentsim.providers.base import AnyProvider, ProviderName

if TYPE_CHECKING:
    from agentsim.providers.http import HttpOptions

DEFAULT_BASE_URLS: dict[ProviderName, str] = {
    ProviderName.OMNIDIMENSION: "https://backend.omnidim.io/api/v1",
    ProviderName.BLUEJAY: "https://api.getbluejay.ai",
    ProviderName.SYNTHFLOW: "https://api.synthflow.ai/v2",
}


class AdapterClass(Protocol):
    """An adapter's class, as `create_provider` calls it."""

    def __call__(
        self, api_key: str, *, base_url: str, **options: Unpack[HttpOptions]
    ) -> AnyProvider: ...


BASE_URL_ENV: dict[ProviderName, str] = {
    ProviderName.OMNIDIMENSION: "OMNIDIM_BASE_URL",
    ProviderName.BLUEJAY: "BLUEJAY_BASE_URL",
    ProviderName.SYNTHFLOW: "SYNTHFLOW_BASE_URL",
}


def _omnidimension() -> AdapterClass:
    from agentsim.providers.omnidimension.adapter import OmniDimensionProvider  # noqa: PLC0415

    return OmniDimensionProvider


def _bluejay() -> AdapterClass:
    from agentsim.providers.bluejay.adapter import BluejayProvider  # noqa: PLC0415

    return BluejayProvider


def _synthflow() -> AdapterClass:
    from agentsim.providers.synthflow.adapter import SynthflowProvider  # noqa: PLC0415

    return SynthflowProvider


ADAPTERS: dict[ProviderName, Callable[[], AdapterClass]] = {
    ProviderName.OMNIDIMENSION: _omnidimension,
    ProviderName.BLUEJAY: _bluejay,
    ProviderName.SYNTHFLOW: _synthflow,
}
"""Each adapter class, imported when first asked for: an adapter brings httpx and the
provider's response models, which a handler imports only once it talks to that provider."""


def create_provider(
    name: ProviderName | str,
    api_key: str,
    *,
    base_url: str | None = None,
    **options: Unpack[HttpOptions],
) -> AnyProvider:
    """The neutral adapter for `name`, talking to `base_url` (default: the provider's own)."""
    provider = ProviderName(name)
    adapter = ADAPTERS[provider]()
    return adapter(api_key, base_url=base_url or DEFAULT_BASE_URLS[provider], **options)
