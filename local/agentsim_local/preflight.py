"""Checks a local run makes before deploying anything, so a typo fails in a second, not a minute."""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

from agentsim.providers import BASE_URL_ENV
from agentsim.providers.base import ProviderName
from agentsim_local.errors import CliError


def provider_overrides(env: Mapping[str, str] | None = None) -> dict[ProviderName, str]:
    """Provider base URLs set through `OMNIDIM_BASE_URL` & co. (they replace the emulator)."""
    env = os.environ if env is None else env
    return {name: env[var] for name, var in BASE_URL_ENV.items() if env.get(var)}


def check_reachable(provider: ProviderName, base_url: str, *, timeout: float = 3.0) -> None:
    """Raise a CliError unless something answers HTTP at `base_url` (any status will do)."""
    try:
        httpx.get(base_url, timeout=timeout)
    except httpx.InvalidURL as exc:
        raise CliError(f"{provider} base URL {base_url!r} is not a valid URL: {exc}") from None
    except httpx.UnsupportedProtocol:
        raise CliError(
            f"{provider} base URL {base_url!r} must start with http:// or https://"
        ) from None
    except httpx.TimeoutException:
        raise CliError(f"{provider} API at {base_url} is unreachable: timed out") from None
    except httpx.TransportError as exc:
        reason = str(exc) or type(exc).__name__
        raise CliError(f"{provider} API at {base_url} is unreachable: {reason}") from None
