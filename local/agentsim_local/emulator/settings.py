"""The providers and the emulator's settings: accepted API keys, durations, the fault seed."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Provider = Literal["omnidimension", "bluejay", "synthflow", "github", "slack"]
"""An emulated API: the three simulation providers, GitHub (for the CI integration) and Slack's
incoming webhooks (for failure messages)."""
PROVIDERS: tuple[Provider, ...] = ("omnidimension", "bluejay", "synthflow")
"""The simulation providers (GitHub and Slack are emulated beside them, but run no simulations)."""
PREFIXES: tuple[tuple[str, Provider], ...] = (
    ("/api/v1/", "omnidimension"),
    ("/api/v3/", "github"),
    ("/v1/", "bluejay"),
    ("/v2/", "synthflow"),
    ("/services/", "slack"),
)
"""Where each API lives on the emulator's port (GitHub's where GitHub Enterprise Server has it)."""


def provider_of(path: str) -> Provider | None:
    """The provider whose API `path` is in (None: the control plane, or nothing)."""
    for prefix, provider in PREFIXES:
        if path.startswith(prefix):
            return provider
    return None


class EmulatorSettings(BaseModel):
    """How the emulated providers behave.

    Durations are seconds of wall time. A run snapshots them when it starts, so changing the
    settings affects runs started afterwards. `api_keys` restricts the accepted key per provider;
    a provider without an entry accepts any non-empty key.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    queue_seconds: float = Field(default=1.0, ge=0, description="Pending / QUEUED before calls.")
    call_seconds: float = Field(default=4.0, ge=0, description="Length of one emulated call.")
    summary_seconds: float = Field(default=1.0, ge=0, description="Evaluation after the calls.")
    api_keys: dict[Provider, str] | None = None
    seed: int = Field(default=0, description="Seed of the random source used by `rate` faults.")
    bluejay_webhook_url: str | None = Field(
        default=None, description="Where Bluejay's webhooks go (none sent when unset)."
    )
    bluejay_webhook_secret: str | None = Field(
        default=None, description="The key Bluejay's webhooks are signed with."
    )
