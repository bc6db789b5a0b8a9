"""The raw Bluejay API client: one method per operation, typed requests and responses.

Transport, classification and retries come from `ProviderHttp`. Queueing a run is the only paid
call and is sent as non-idempotent, so it is never repeated after an ambiguous failure; the
end-conversations call is idempotent in effect (ending an ended conversation changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from agentsim.providers import DEFAULT_BASE_URLS
from agentsim.providers.base import ProviderName
from agentsim.providers.bluejay.requests import (
    EndConversations,
    QueueSimulationRun,
    RunOptions,
    SimulationSpec,
)
from agentsim.providers.bluejay.responses import (
    CreatedSimulation,
    DeletedSimulation,
    DigitalHumans,
    EndedConversations,
    QueuedRun,
    RunResults,
    Simulation,
    SimulationList,
    SimulationRuns,
    SimulationSummary,
    SingleResult,
)
from agentsim.providers.client import ProviderClient
from agentsim.providers.errors import ProviderRejected

PROVIDER = "bluejay"
DEFAULT_BASE_URL = DEFAULT_BASE_URLS[ProviderName.BLUEJAY]


class BluejayClient(ProviderClient):
    """Bluejay's `/v1` API over HTTP, authenticated with the `X-API-Key` header."""

    provider = ProviderName.BLUEJAY
    default_base_url = DEFAULT_BASE_URL

    def _key_headers(self, key: str) -> dict[str, str]:
        return {"X-API-Key": key}

    def _api_root(self, base_url: str) -> str:
        """The host root: paths carry `/v1`, so a base URL ending in `/v1` is trimmed."""
        return base_url.rstrip("/").removesuffix("/v1")

    # Simulations -----------------------------------------------------------------------------

    def create_simulation(self, spec: SimulationSpec) -> CreatedSimulation:
        """POST /v1/create-simulation. Free, but not idempotent: a retry may create a twin."""
        body = self._call(
            "POST", "v1/create-simulation", "create_simulation", idempotent=False, json=spec.body()
        )
        return self._http.parse(CreatedSimulation, body, "create_simulation", ambiguous=True)

    def get_simulation(self, simulation_id: int | str) -> Simulation:
        op = "get_simulation"
        path = f"v1/simulation/{self._path_id(simulation_id, 'simulation_id', op, integer=True)}"
        return self._http.parse(Simulation, self._call("GET", path, op), op)

    def update_simulation(self, simulation_id: int | str, fields: Mapping[str, Any]) -> Simulation:
        """PUT /v1/simulation/{id}: a partial update; only the fields sent change."""
        op = "update_simulation"
        path = f"v1/simulation/{self._path_id(simulation_id, 'simulation_id', op, integer=True)}"
        body = self._call("PUT", path, op, json=dict(fields))
        return self._http.parse(Simulation, body, op)

    def delete_simulation(self, simulation_id: int | str) -> DeletedSimulation:
        op = "delete_simulation"
        path = f"v1/simulation/{self._path_id(simulation_id, 'simulation_id', op, integer=True)}"
        body = self._call("DELETE", path, op)
        return self._http.parse(DeletedSimulation, body, op)

    def list_simulations(self) -> list[SimulationSummary]:
        body = self._call("GET", "v1/get-all-simulations", "list_simulations")
        return self._http.parse(SimulationList, body, "list_simulations").simulations

    def get_digital_humans_by_simulation(self, simulation_id: int | str) -> DigitalHumans:
        op = "get_digital_humans_by_simulation"
        segment = self._path_id(simulation_id, "simulation_id", op, integer=True)
        path = f"v1/digital-humans-by-simulation/{segment}"
        return self._http.parse(DigitalHumans, self._call("GET", path, op), op)

    # Runs ------------------------------------------------------------------------------------

    def queue_simulation_run(
        self, simulation_id: int | str, options: RunOptions | None = None
    ) -> QueuedRun:
        """POST /v1/queue-simulation-run: the paid call, never repeated after an ambiguous fault."""
        op = "queue_simulation_run"
        request = QueueSimulationRun.model_validate(
            {**(options.body() if options else {}), "simulation_id": simulation_id}
        )
        body = self._call(
            "POST", "v1/queue-simulation-run", op, idempotent=False, json=request.body()
        )
        return self._http.parse(QueuedRun, body, op, ambiguous=True)

    def get_simulation_runs(self, simulation_id: int | str) -> SimulationRuns:
        op = "get_simulation_runs"
        path = f"v1/get-simulation-runs/{self._path_id(simulation_id, 'simulation_id', op)}"
        return self._http.parse(SimulationRuns, self._call("GET", path, op), op)

    def retrieve_simulation_results(self, simulation_run_id: int | str) -> RunResults:
        op = "retrieve_simulation_results"
        path = f"v1/retrieve-simulation-results/{self._path_id(simulation_run_id, 'run_id', op)}"
        return self._http.parse(RunResults, self._call("GET", path, op), op)

    def retrieve_simulation_result(self, test_result_id: int | str) -> SingleResult:
        op = "retrieve_simulation_result"
        segment = self._path_id(test_result_id, "test_result_id", op)
        path = f"v1/retrieve-simulation-result/{segment}"
        return self._http.parse(SingleResult, self._call("GET", path, op), op)

    def end_conversations(
        self, test_result_ids: Iterable[int | str], *, require_success: bool = True
    ) -> EndedConversations:
        """POST /v1/end-conversations; ProviderRejected when Bluejay answers `success: false`.

        With `require_success=False` the answer is returned as is, for callers that accept a
        partial success (some ids ended, others had not started or had already ended).
        """
        op = "end_conversations"
        request = EndConversations.model_validate({"test_result_ids": list(test_result_ids)})
        body = self._call("POST", "v1/end-conversations", op, idempotent=True, json=request.body())
        answer = self._http.parse(EndedConversations, body, op)
        if require_success and not answer.success:
            raise self.refusal(answer)
        return answer

    def refusal(self, answer: EndedConversations) -> ProviderRejected:
        """The error for an end-conversations answer with `success: false`."""
        failed = ", ".join(answer.failed_ids) or "none listed"
        return self._http.redact(
            ProviderRejected(
                PROVIDER,
                f"{answer.message or 'end-conversations refused'} (failed: {failed})",
                status_code=200,
                operation="end_conversations",
                detail=answer.raw(),
            )
        )
