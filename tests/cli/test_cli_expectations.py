"""Demo expectations: what a run must end with, checked field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from agentsim_local.demo import PLAN, REQUESTS, DemoRun
from agentsim_local.expectations import Expectation, expectation_path
from agentsim_local.request_files import load_request
from agentsim_local.run_view import RunView


def test_a_run_matching_every_field_has_no_mismatch() -> None:
    expectation = Expectation(status="COMPLETED", verdict="PASSED", passed=2, failed=1)
    view = RunView.of({"status": "COMPLETED", "verdict": "PASSED", "passed": 2, "failed": 1})

    assert expectation.mismatches(view) == []


def test_each_wrong_field_is_named_with_what_was_expected() -> None:
    expectation = Expectation(status="COMPLETED", verdict="PASSED", passed=2)
    view = RunView.of({"status": "FAILED", "verdict": "NONE", "passed": 2})

    assert expectation.mismatches(view) == [
        "status FAILED (expected COMPLETED)",
        "verdict NONE (expected PASSED)",
    ]


def test_unknown_expectation_fields_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.expect.json"
    path.write_text(json.dumps({"status": "COMPLETED", "verdcit": "PASSED"}))

    with pytest.raises(ValidationError, match="verdcit"):
        Expectation.load(path)


def test_expectation_sits_next_to_its_request() -> None:
    assert expectation_path(Path("requests/bluejay.json")) == Path("requests/bluejay.expect.json")


@pytest.mark.parametrize("run", PLAN, ids=lambda run: run.label)
def test_every_demo_run_has_a_loadable_request_and_expectation(run: DemoRun) -> None:
    if run.request is not None:
        assert load_request(REQUESTS / run.request).provider
        assert expectation_path(REQUESTS / run.request) == REQUESTS / run.expect
    assert run.expectation().status
