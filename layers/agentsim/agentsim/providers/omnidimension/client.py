"""The raw OmniDimension simulation client: one method per operation, typed requests and answers.

Paths follow the official SDK (`omnidimension` 0.6.0, `Simulation/__init__.py`) under
`https://backend.omnidim.io/api/v1`, authenticated with `Authorization: Bearer <key>`.
Transport, classification and retries come from `ProviderHttp`:
- create and start are sent as non-idempotent: after a read timeout, a 5xx or a malformed answer
  they are never repeated (`ProviderUnavailable(ambiguous=True)`); the caller checks the
  simulation first. Create only makes a free Draft, but a blind retry would still leave a twin.
- get, list, update (PUT), delete and stop are idempotent in effect and retried.
- error bodies are `{error, error_description}`; the message is `error_description`, else
  `error` (as the SDK reads them).
- an HTTP 200 whose body says `success: false` is a refusal (ProviderRejected carrying the
  provider's message). Stop answers that way when the simulation is not running.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentsim.providers import DEFAULT_BASE_URLS
from agentsim.providers.base import ProviderName
from agentsim.providers.client import ProviderClient
from agentsim.providers.errors import ProviderRejected
from agentsim.providers.messages import fastapi_message
from agentsim.providers.omnidimension.requests import (
    RunOptions,
    SimulationSpec,
    SimulationUpdate,
)
from agentsim.providers.omnidimension.responses import (
    DeletedSimulation,
    EnhancedPrompt,
    Simulation,
    SimulationAnswer,
    SimulationPage,
    StartedSimulation,
    StoppedSimulation,
)

PROVIDER = "omnidimension"
DEFAULT_BASE_URL = DEFAULT_BASE_URLS[ProviderName.OMNIDIMENSION]
MAX_PAGE_SIZE = 150


def omnidimension_message(body: Any) -> str | None:
    """The provider's own words from an error body.

    `{error, error_description}` (documented): the description, else the slug. FastAPI-style
    `{detail}` and `{message}` bodies are read too (the TS SDK falls back to them).
    """
    if not isinstance(body, Mapping):
        return None
    for key in ("error_description", "error"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return fastapi_message(body)


class OmniDimensionClient(ProviderClient):
    """OmniDimension's simulation API over HTTP."""

    provider = ProviderName.OMNIDIMENSION
    default_base_url = DEFAULT_BASE_URL

    def _key_headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def _error_message(self, body: Any) -> str | None:
        return omnidimension_message(body)

    # Simulations -----------------------------------------------------------------------------

    def create_simulation(self, spec: SimulationSpec) -> Simulation:
        """POST /simulations: a new Draft. Free, but never repeated after an ambiguous fault."""
        op = "create_simulation"
        body = self._call("POST", "simulations", op, idempotent=False, json=spec.body())
        return self._http.parse(SimulationAnswer, body, op, ambiguous=True).simulation

    def get_simulation(self, simulation_id: int | str) -> Simulation:
        op = "get_simulation"
        body = self._call("GET", f"simulations/{self._int_id(simulation_id, op)}", op)
        return self._http.parse(SimulationAnswer, body, op).simulation

    def update_simulation(
        self, simulation_id: int | str, update: SimulationSpec | SimulationUpdate
    ) -> Simulation:
        """PUT /simulations/{id}. `scenarios` is the FULL list: entries with `id` are kept."""
        op = "update_simulation"
        fields = update.body()
        if not fields:
            raise ProviderRejected(PROVIDER, "update: no field to change", operation=op)
        path = f"simulations/{self._int_id(simulation_id, op)}"
        body = self._call("PUT", path, op, json=fields)
        return self._http.parse(SimulationAnswer, body, op).simulation

    def delete_simulation(self, simulation_id: int | str) -> DeletedSimulation:
        """DELETE /simulations/{id}; a running simulation is stopped first (per the SDK)."""
        op = "delete_simulation"
        path = f"simulations/{self._int_id(simulation_id, op)}"
        body = self._call("DELETE", path, op, expect_body=False)
        return self._http.parse(DeletedSimulation, body if body is not None else {}, op)

    def list_simulations(self, pageno: int = 1, pagesize: int = 10) -> SimulationPage:
        """GET /simulations?pageno=&pagesize= (pageno >= 1, pagesize 1..150)."""
        op = "list_simulations"
        params = {
            "pageno": _bounded(pageno, "pageno", 1, None, op),
            "pagesize": _bounded(pagesize, "pagesize", 1, MAX_PAGE_SIZE, op),
        }
        body = self._call("GET", "simulations", op, params=params)
        return self._http.parse(SimulationPage, body, op)

    def start_simulation(
        self, simulation_id: int | str, options: RunOptions | None = None
    ) -> StartedSimulation:
        """POST /simulations/{id}/start: the paid call, never repeated after an ambiguous fault.

        The body is `{}` (as the SDK sends) or `{"scenarios": [...]}` from the run options.
        """
        op = "start_simulation"
        path = f"simulations/{self._int_id(simulation_id, op)}/start"
        request = options.body() if options is not None else {}
        body = self._call("POST", path, op, idempotent=False, json=request)
        return self._http.parse(StartedSimulation, body, op, ambiguous=True)

    def stop_simulation(
        self, simulation_id: int | str, *, require_success: bool = True
    ) -> StoppedSimulation:
        """POST /simulations/{id}/stop. HTTP 200 with `success: false` raises ProviderRejected.

        With `require_success=False` such an answer is returned as is.
        """
        op = "stop_simulation"
        path = f"simulations/{self._int_id(simulation_id, op)}/stop"
        body = self._call("POST", path, op, idempotent=True, refusal_ok=not require_success)
        return self._http.parse(StoppedSimulation, body, op)

    def enhance_prompt(self, simulation_id: int | str) -> EnhancedPrompt:
        """POST /simulations/{id}/enhance-prompt: suggestions, for Completed simulations only.

        Sent as idempotent: it reads suggestions and changes nothing we know of.
        """
        op = "enhance_prompt"
        path = f"simulations/{self._int_id(simulation_id, op)}/enhance-prompt"
        body = self._call("POST", path, op, idempotent=True)
        return self._http.parse(EnhancedPrompt, body, op)

    # What the answers say --------------------------------------------------------------------

    def _answer(self, body: Any, operation: str) -> Any:
        """An HTTP 200 that says `success: false` is a refusal, in the provider's words."""
        if isinstance(body, Mapping) and body.get("success") is False:
            words = body.get("message") if isinstance(body.get("message"), str) else None
            message = (
                words or omnidimension_message(body) or f"{operation} refused (success: false)"
            )
            raise ProviderRejected(
                PROVIDER, message, status_code=200, operation=operation, detail=dict(body)
            )
        return body

    def _int_id(self, simulation_id: int | str, operation: str) -> str:
        """A simulation id as a path segment: OmniDimension ids are integers (the SDK checks)."""
        return self._path_id(simulation_id, "simulation_id", operation, integer=True)


def _bounded(value: object, field: str, low: int, high: int | None, operation: str) -> int:
    """A paging parameter checked before the call, the error naming it."""
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= low
        and (high is None or value <= high)
    ):
        return value
    limit = f"between {low} and {high}" if high is not None else f">= {low}"
    raise ProviderRejected(
        PROVIDER, f"{field}: must be an integer {limit}, got {value!r}", operation=operation
    )
