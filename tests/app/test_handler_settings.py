"""Each function reads its settings as Lambda imports its handler: with the environment
template.yaml gives it, it imports; without a variable it needs, its init fails naming it."""

from __future__ import annotations

import pytest
from support.handlers import FUNCTIONS, load_handler
from support.template_env import function_environment

from agentsim.runs.settings import SettingsInvalid

HANDLERS = sorted(p.name for p in FUNCTIONS.iterdir() if (p / "app.py").is_file())


def given_environment(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]) -> None:
    for function in HANDLERS:
        for name in function_environment(function):
            monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("function", HANDLERS)
def test_a_handler_imports_with_the_environment_the_template_gives_it(
    monkeypatch: pytest.MonkeyPatch, function: str
) -> None:
    given_environment(monkeypatch, function_environment(function))

    assert callable(load_handler(function).lambda_handler)


@pytest.mark.parametrize(
    ("function", "variable"),
    [
        ("api", "EVENT_BUS_NAME"),
        ("api", "IDEMPOTENCY_TABLE"),
        ("trigger", "STATE_MACHINE_ARN"),
        ("start", "SECRET_ARN"),
        ("fail", "RUNS_TABLE"),
    ],
)
def test_a_handler_without_a_variable_it_needs_fails_to_import_naming_it(
    monkeypatch: pytest.MonkeyPatch, function: str, variable: str
) -> None:
    env = function_environment(function)
    del env[variable]
    given_environment(monkeypatch, env)

    with pytest.raises(SettingsInvalid, match=variable):
        load_handler(function)


def test_a_malformed_base_url_fails_the_import_of_a_function_that_calls_providers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    given_environment(monkeypatch, {**function_environment("poll"), "SYNTHFLOW_BASE_URL": "v2"})

    with pytest.raises(SettingsInvalid, match="SYNTHFLOW_BASE_URL"):
        load_handler("poll")


def test_a_function_that_needs_no_secret_imports_without_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = function_environment("register")
    del env["SECRET_ARN"]
    given_environment(monkeypatch, env)

    assert callable(load_handler("register").lambda_handler)
