"""Provider clients and the registry that picks one by name.

Base URLs come from `OMNIDIM_BASE_URL`, `BLUEJAY_BASE_URL` and `SYNTHFLOW_BASE_URL` when set
(the emulator, a regional host), else each provider's own default. API keys are always passed in.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from agentsim.providers.base import ProviderName, SimulationProvider

DEFAULT_BASE_URLS: dict[ProviderName, str] = {
    ProviderName.OMNIDIMENSION: "https://backend.omnidim.io/api/v1",
    ProviderName.BLUEJAY: "https://api.getbluejay.ai",
    ProviderName.SYNTHFLOW: "https://api.synthflow.ai/v2",
}

BASE_URL_ENV: dict[ProviderName, str] = {
    ProviderName.OMNIDIMENSION: "OMNIDIM_BASE_URL",
    ProviderName.BLUEJAY: "BLUEJAY_BASE_URL",
    ProviderName.SYNTHFLOW: "SYNTHFLOW_BASE_URL",
}

_ADAPTERS: dict[ProviderName, tuple[str, str]] = {
    ProviderName.OMNIDIMENSION: (
        "agentsim.providers.omnidimension.adapter",
        "OmniDimensionProvider",
    ),
    ProviderName.BLUEJAY: ("agentsim.providers.bluejay.adapter", "BluejayProvider"),
    ProviderName.SYNTHFLOW: ("agentsim.providers.synthflow.adapter", "SynthflowProvider"),
}
_REQUEST_MODELS: dict[ProviderName, str] = {
    ProviderName.OMNIDIMENSION: "agentsim.providers.omnidimension.models",
    ProviderName.BLUEJAY: "agentsim.providers.bluejay.models",
    ProviderName.SYNTHFLOW: "agentsim.providers.synthflow.specs",
}
"""Where each provider's SimulationSpec and RunOptions live: validating a request envelope
imports these alone, not the provider's client, adapter and response models."""


def base_url_for(name: ProviderName | str, env: Mapping[str, str] | None = None) -> str:
    provider = ProviderName(name)
    env = os.environ if env is None else env
    return env.get(BASE_URL_ENV[provider]) or DEFAULT_BASE_URLS[provider]


def create_provider(
    name: ProviderName | str, api_key: str, *, base_url: str | None = None, **options: Any
) -> SimulationProvider:
    """The neutral adapter for `name`, talking to `base_url` (default: from the environment)."""
    provider = ProviderName(name)
    module_name, class_name = _ADAPTERS[provider]
    cls = getattr(importlib.import_module(module_name), class_name)
    url = base_url or base_url_for(provider)
    adapter: SimulationProvider = cls(api_key, base_url=url, **options)
    return adapter


def request_models(name: ProviderName | str) -> tuple[type[BaseModel], type[BaseModel]]:
    """The provider's (simulation spec, run options) request models, for envelope validation."""
    module = importlib.import_module(_REQUEST_MODELS[ProviderName(name)])
    return module.SimulationSpec, module.RunOptions
