"""Settings come from the environment once, and say which variable is wrong."""

from __future__ import annotations

import pytest

from agentsim.runs.settings import Settings, SettingsInvalid

BASE = {"RUNS_TABLE": "runs", "RUN_ITEMS_TABLE": "items"}


def test_template_variables_are_read() -> None:
    settings = Settings.from_env({**BASE, "POLL_MIN_SECONDS": "2", "MAX_POLLS": "9"})

    assert (settings.runs_table, settings.poll_min_seconds, settings.max_polls) == ("runs", 2, 9)


def test_missing_table_names_the_variable() -> None:
    with pytest.raises(SettingsInvalid, match="RUN_ITEMS_TABLE"):
        Settings.from_env({"RUNS_TABLE": "runs"})


def test_poll_bounds_must_be_ordered() -> None:
    with pytest.raises(SettingsInvalid, match="POLL_MAX_SECONDS"):
        Settings.from_env({**BASE, "POLL_MIN_SECONDS": "60", "POLL_MAX_SECONDS": "10"})


def test_optional_setting_is_required_where_used() -> None:
    with pytest.raises(SettingsInvalid, match="STATE_MACHINE_ARN"):
        Settings.from_env(BASE).require("state_machine_arn")
