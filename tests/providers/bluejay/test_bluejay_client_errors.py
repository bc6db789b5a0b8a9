"""Bluejay's own faults: FastAPI validation errors, and the calls never retried.

How each HTTP fault maps to its error class without the key, and which retries are safe, is in
../test_client_faults_and_retries.py (Bluejay and OmniDimension alike).
"""

from __future__ import annotations

import httpx
import pytest
from support.bluejay_fake import FakeBluejay, make_client

from agentsim.providers.bluejay import SimulationSpec
from agentsim.providers.errors import ProviderAuthError, ProviderRejected

RESULTS = "/v1/retrieve-simulation-results/789"


def test_a_fastapi_validation_error_names_the_field_and_its_problem() -> None:
    body = {
        "detail": [
            {"loc": ["body", "agent_id"], "msg": "Input should be a valid string",
             "type": "string_type"},
            {"loc": ["body", "max_concurrent"], "msg": "Input should be less than or equal to 500",
             "type": "less_than_equal"},
        ]
    }  # fmt: skip
    fake = FakeBluejay().on("POST", "/v1/create-simulation", httpx.Response(422, json=body))
    with pytest.raises(ProviderRejected) as caught:
        make_client(fake).create_simulation(SimulationSpec(agent_id="12"))
    assert caught.value.status_code == 422
    assert caught.value.message == (
        "agent_id: Input should be a valid string; "
        "max_concurrent: Input should be less than or equal to 500"
    )
    assert len(fake.requests) == 1


# Retries -------------------------------------------------------------------------------------


def test_auth_and_validation_faults_are_never_retried() -> None:
    fake = FakeBluejay().on("GET", RESULTS, httpx.Response(401, json={"detail": "no"}))
    with pytest.raises(ProviderAuthError):
        make_client(fake).retrieve_simulation_results("789")
    assert len(fake.requests) == 1
