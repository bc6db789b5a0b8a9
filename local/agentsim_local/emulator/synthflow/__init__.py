"""Synthflow simulations, cases and suites under `/v2` (docs.synthflow.ai paths and shapes).

Answers are wrapped `{status: "ok", response}` except suite execute (unwrapped, as documented).
Bodies and query parameters are pydantic/FastAPI-validated, so bad input gets a genuine 422
`{detail: [...]}`; unknown ids get 404 `{detail}`. A simulation is `in-progress` for
queue + call + summary seconds, then `completed` (with `success_criteria_analysis`) or, for
`[emulator:error]`, `failed` with `error_info` as soon as its call ends. Fixed-id fixture cases
and a suite are seeded on every reset (see `backend.FIXTURE_*`).

`schemas` (requests), `records` (what is stored), `backend` (operations, raising emulator errors),
`views` (records as the API shows them), `routes` (the HTTP surface).
"""

from agentsim_local.emulator.synthflow.backend import SynthflowBackend
from agentsim_local.emulator.synthflow.routes import router

__all__ = ["SynthflowBackend", "router"]
