"""Bluejay simulations under `/v1` (the OpenAPI / bluejay-sdk 0.3.6 paths and shapes).

Bodies are pydantic models, so invalid input gets FastAPI's genuine 422
`{detail: [{loc: ["body", field], msg, type}]}`; unknown ids get 404 `{detail}`.
Every new simulation gets three default digital humans; linking any other digital human to it
(create-digital-human / add-digital-humans) replaces those defaults. A queued run holds one
result per digital human and run (runs: the request's `runs_per_digital_human`, else the
digital human's `num_runs`, else the simulation's `runs_per_digital_human` or
`digital_humans_settings.num_runs`, else 1). Results go QUEUED -> RUNNING -> EVALUATING ->
COMPLETED (INCOMPLETED for `[emulator:error]`); the run goes RUNNING -> COMPLETED.

`schemas` (requests), `records` (what is stored), `backend` (operations, raising emulator errors),
`views` (records as the API shows them), `routes` (the HTTP surface).
"""

from agentsim_local.emulator.bluejay.backend import BluejayBackend
from agentsim_local.emulator.bluejay.routes import router

__all__ = ["BluejayBackend", "router"]
