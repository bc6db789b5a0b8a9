"""The command line itself: help on every option with its default, the environment's stack
and region, --version, and choices that match the stack's."""

from __future__ import annotations

import argparse
from importlib.metadata import version

import pytest

from agentsim.providers.base import ProviderName
from agentsim.runs.record import RunStatus
from agentsim_local import cli


def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += parsers(sub)
    return found


def test_every_option_of_every_command_has_help_text() -> None:
    missing = [
        f"{parser.prog} {action.dest}"
        for parser in parsers(cli.build_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]

    assert missing == []


def test_help_shows_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["start", "--help"])

    out = " ".join(capsys.readouterr().out.split())
    assert "(default: 3600)" in out  # --timeout
    assert "(default: webhook)" in out  # --via
    assert "exit status: 0 the run passed" in out


def test_stack_and_region_default_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTSIM_STACK", "voice-ci")
    monkeypatch.setenv("AGENTSIM_REGION", "eu-west-1")

    args = cli.build_parser().parse_args(["status", "run-1"])

    assert (args.stack, args.region) == ("voice-ci", "eu-west-1")


def test_a_stack_is_required_without_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AGENTSIM_STACK", raising=False)

    with pytest.raises(SystemExit) as exited:
        cli.build_parser().parse_args(["runs"])

    assert exited.value.code == 2
    assert "--stack" in capsys.readouterr().err


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])

    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"agentsim {version('agentsim')}"


def test_watch_is_kept_as_an_alias_of_wait() -> None:
    args = cli.build_parser().parse_args(["status", "run-1", "--stack", "s", "--watch"])

    assert args.wait is True


def test_the_runs_filters_offer_the_stacks_providers_and_statuses() -> None:
    assert tuple(p.value for p in ProviderName) == cli.PROVIDERS
    assert tuple(s.value for s in RunStatus) == cli.STATUSES
