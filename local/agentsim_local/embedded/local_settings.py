"""What the local stack is deployed with: provider keys and base URLs from the environment (or
placeholders and the emulator), credentials that cannot reach a real account, fast emulation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentsim_local.emulator import EmulatorServer, EmulatorSettings

PROVIDER_ENV = {
    "omnidimension": ("OMNIDIM_API_KEY", "OmnidimBaseUrl"),
    "bluejay": ("BLUEJAY_API_KEY", "BluejayBaseUrl"),
    "synthflow": ("SYNTHFLOW_API_KEY", "SynthflowBaseUrl"),
}
"""provider -> (API key env var, base URL template parameter); base URL env vars: BASE_URL_ENV."""

PLACEHOLDER_KEY = "local-placeholder-key"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
"""Any credentials do for the local AWS; these make sure nothing can reach a real account."""


def fast_emulator_settings() -> EmulatorSettings:
    """Emulated durations short enough that a run ends in a few seconds."""
    from agentsim_local.emulator import EmulatorSettings  # noqa: PLC0415 (optional part)

    return EmulatorSettings(queue_seconds=0.5, call_seconds=1.0, summary_seconds=0.5)


LOCAL_GITHUB_TOKEN = "local-github-token"  # noqa: S105 (a placeholder the emulator accepts)


def delivery_settings(emulator: EmulatorServer | None) -> tuple[dict[str, str], dict[str, str]]:
    """(template parameters, secret values) for pushing results back locally: loopback targets
    allowed (receivers on 127.0.0.1), and with the emulator, its GitHub API and a Slack webhook."""
    parameters = {"AllowLoopbackTargets": "true"}
    if emulator is None:
        return parameters, {}
    parameters["GithubApiUrl"] = emulator.github_api_url
    secret = {"github_token": LOCAL_GITHUB_TOKEN, "slack_webhook_url": emulator.slack_webhook_url()}
    return parameters, secret
