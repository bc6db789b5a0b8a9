"""Each function's configuration, read from its environment once, at cold start.

A function's handler module builds its settings when Lambda imports it (`from_env`), so a
missing or malformed variable fails the function's init with `SettingsInvalid` naming the
variable, before any invocation does half its work. Every variable is set by template.yaml
(Globals or the function); local runs set the same variables, so there is no code path for
"local". Each class holds what its functions use and nothing else:

| Settings | Functions | Adds |
|---|---|---|
| `StorageSettings` | fail | RUNS_TABLE, RUN_ITEMS_TABLE |
| `PacingSettings` | register | POLL_MIN_SECONDS, POLL_MAX_SECONDS, MAX_POLLS |
| `WorkflowSettings` | trigger | STATE_MACHINE_ARN, SUITE_STATE_MACHINE_ARN |
| `ProviderSettings` | finish, time_out | SECRET_ARN, SECRET_MAX_AGE_SECONDS, the base URLs, |
| | | REPORT_LINK_DAYS, REPORT_BASE_URL (report share links) |
| `PacedProviderSettings` | start, poll | both of the above |
| `WatchSettings` | watch | the above, POLL_QUEUE_URL |
| `ApiSettings` | api | providers and workflow, EVENT_BUS_NAME, IDEMPOTENCY_TABLE, ... |
| `SuiteSettings` | suite_step | the secret, SUITE_CONCURRENCY |
| `DeliverySettings` | deliver | the secret, GITHUB_API_URL, API_URL, ALLOW_LOOPBACK_TARGETS |

`ALLOW_LOOPBACK_TARGETS` (the template's AllowLoopbackTargets, `false` unless a local stack sets
it) is read by every function that checks or calls a URL a request names.

The base URLs keep the names of `agentsim.providers.BASE_URL_ENV` and default to the
providers' public APIs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agentsim.providers import DEFAULT_BASE_URLS
from agentsim.providers.base import ProviderName
from agentsim.runs.pacing import MAX_DELAY_SECONDS, MAX_POLLS, Pacing

Name = Annotated[str, Field(min_length=1)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$")]


class SettingsInvalid(RuntimeError):
    """A required environment variable is missing or malformed (a deployment error)."""


class StorageSettings(BaseModel):
    """What every function has: the two tables of runs."""

    # A function validates one of these classes; the others' validators are never built.
    model_config = ConfigDict(frozen=True, defer_build=True)

    runs_table: Name
    run_items_table: Name

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Self:
        """From `env` (default: the process environment), variables named as the fields in
        upper case; an empty one counts as unset."""
        source = os.environ if env is None else env
        values = {
            name: source[name.upper()]
            for name in cls.model_fields
            if source.get(name.upper()) not in (None, "")
        }
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            wrong = ", ".join(
                f"{str(e['loc'][0]).upper() if e['loc'] else '(settings)'}: {e['msg']}"
                for e in exc.errors()
            )
            raise SettingsInvalid(f"invalid environment for {cls.__name__}: {wrong}") from None


class PacingSettings(StorageSettings):
    poll_min_seconds: int = Field(default=15, ge=1, le=MAX_DELAY_SECONDS)
    poll_max_seconds: int = Field(default=600, ge=1, le=MAX_DELAY_SECONDS)
    max_polls: int = Field(default=600, ge=1, le=MAX_POLLS)

    @model_validator(mode="after")
    def _poll_bounds(self) -> Self:
        if self.poll_max_seconds < self.poll_min_seconds:
            raise ValueError("POLL_MAX_SECONDS must be >= POLL_MIN_SECONDS")
        return self

    def pacing(self) -> Pacing:
        return Pacing(self.poll_min_seconds, self.poll_max_seconds, self.max_polls)


class WorkflowSettings(StorageSettings):
    state_machine_arn: Name
    suite_state_machine_arn: Name
    allow_loopback_targets: bool = False


class ProviderSettings(StorageSettings):
    secret_arn: Name
    secret_max_age_seconds: int = Field(default=300, ge=0)
    omnidim_base_url: Url = DEFAULT_BASE_URLS[ProviderName.OMNIDIMENSION]
    bluejay_base_url: Url = DEFAULT_BASE_URLS[ProviderName.BLUEJAY]
    synthflow_base_url: Url = DEFAULT_BASE_URLS[ProviderName.SYNTHFLOW]
    report_link_days: int = Field(default=7, ge=1, le=365)
    """How long a report's share link opens it (the template's ReportLinkDays)."""
    report_base_url: Url | None = None
    """The API's stage URL, for the share links of finished events (the API answers with links
    under the host each request reached)."""

    def base_url(self, provider: ProviderName) -> str:
        return {
            ProviderName.OMNIDIMENSION: self.omnidim_base_url,
            ProviderName.BLUEJAY: self.bluejay_base_url,
            ProviderName.SYNTHFLOW: self.synthflow_base_url,
        }[provider]


class PacedProviderSettings(ProviderSettings, PacingSettings):
    """Start and Poll: they call providers and choose the loop's next wait."""


class WatchSettings(PacedProviderSettings):
    """Watch: it polls as Poll does, and sends the next poll to the queue it reads."""

    poll_queue_url: Name


class ApiSettings(ProviderSettings, WorkflowSettings):
    """The REST API: it starts executions, stops runs on providers and publishes their end."""

    event_bus_name: Name
    idempotency_table: Name
    idempotency_expires_seconds: int = Field(default=86400, ge=60)
    """How long a webhook body without an Idempotency-Key counts as a repeat."""


class SuiteSettings(ProviderSettings):
    """The suite workflow's steps: runs in flight per provider unless a suite says otherwise
    (the template's SuiteConcurrency), and share links for the suite's report."""

    suite_concurrency: int = Field(default=5, ge=1, le=40)


class DeliverySettings(ProviderSettings):
    """The delivery function: it signs with the secret and calls GitHub, Slack and `notify`."""

    github_api_url: Url = "https://api.github.com"
    api_url: Url | None = None
    """The stack's API (its stage URL): a run's link when it has no report page."""
    allow_loopback_targets: bool = False
