"""Each function's settings come from the environment once, and say which variable is wrong."""

from __future__ import annotations

import pytest

from agentsim.providers import BASE_URL_ENV, DEFAULT_BASE_URLS
from agentsim.providers.base import ProviderName
from agentsim.runs.settings import (
    PacingSettings,
    ProviderSettings,
    SettingsInvalid,
    StorageSettings,
    WorkflowSettings,
)

BASE = {"RUNS_TABLE": "runs", "RUN_ITEMS_TABLE": "items"}
PROVIDERS = {**BASE, "SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:s"}


def test_template_variables_are_read() -> None:
    settings = PacingSettings.from_env({**BASE, "POLL_MIN_SECONDS": "2", "MAX_POLLS": "9"})

    assert (settings.runs_table, settings.poll_min_seconds, settings.max_polls) == ("runs", 2, 9)


def test_missing_table_names_the_variable() -> None:
    with pytest.raises(SettingsInvalid, match="RUN_ITEMS_TABLE"):
        StorageSettings.from_env({"RUNS_TABLE": "runs"})


def test_poll_bounds_must_be_ordered() -> None:
    with pytest.raises(SettingsInvalid, match="POLL_MAX_SECONDS"):
        PacingSettings.from_env({**BASE, "POLL_MIN_SECONDS": "60", "POLL_MAX_SECONDS": "10"})


def test_a_function_that_starts_executions_needs_the_state_machine() -> None:
    with pytest.raises(SettingsInvalid, match="STATE_MACHINE_ARN"):
        WorkflowSettings.from_env(BASE)


def test_a_function_that_calls_providers_needs_the_secret() -> None:
    with pytest.raises(SettingsInvalid, match="SECRET_ARN"):
        ProviderSettings.from_env(BASE)


@pytest.mark.parametrize("provider", list(ProviderName))
def test_base_urls_default_to_the_providers_public_apis(provider: ProviderName) -> None:
    settings = ProviderSettings.from_env(PROVIDERS)

    assert settings.base_url(provider) == DEFAULT_BASE_URLS[provider]


@pytest.mark.parametrize("provider", list(ProviderName))
def test_a_base_url_comes_from_its_variable(provider: ProviderName) -> None:
    settings = ProviderSettings.from_env({**PROVIDERS, BASE_URL_ENV[provider]: "http://h:1/x"})

    assert settings.base_url(provider) == "http://h:1/x"


def test_a_base_url_that_is_no_url_names_its_variable() -> None:
    with pytest.raises(SettingsInvalid, match="BLUEJAY_BASE_URL"):
        ProviderSettings.from_env({**PROVIDERS, "BLUEJAY_BASE_URL": "api.getbluejay.ai"})
