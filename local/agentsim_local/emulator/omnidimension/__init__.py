"""OmniDimension simulations under `/api/v1` (the official SDK's paths and shapes).

Errors are `{error, error_description}` with 400/404, never FastAPI 422s, so bodies are
validated by hand with pydantic and the first problem is reported naming the field.
Lifecycle: Draft -> (start) Pending -> In Progress -> Calculating Summary -> Completed, or
Stopped. Calls run in waves of `concurrent_call_count`, each `call_seconds` long.

`schemas` (requests), `records` (what is stored), `backend` (operations, raising emulator errors),
`views` (records as the API shows them), `routes` (the HTTP surface).
"""

from agentsim_local.emulator.omnidimension.backend import OmniBackend
from agentsim_local.emulator.omnidimension.routes import router

__all__ = ["OmniBackend", "router"]
