"""A thin client for Synthflow's simulation API (no official Python SDK exists), after its v2
API reference (https://docs.synthflow.ai/api-reference/platform-api/simulations/).

One method per endpoint, payloads parsed into `responses`. Starting calls (`start_simulation`,
`execute_suite`) are non-idempotent: Synthflow has no idempotency keys, so they are never
repeated after an ambiguous failure (see `agentsim.providers.http`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, TypedDict, Unpack

from pydantic import BaseModel

from agentsim.providers import DEFAULT_BASE_URLS
from agentsim.providers.base import ProviderName
from agentsim.providers.client import ProviderClient
from agentsim.providers.synthflow.handles import DEFAULT_MAX_TURNS
from agentsim.providers.synthflow.responses import (
    Page,
    SimulationCase,
    SimulationReadOut,
    SimulationSessionReadOut,
    SimulationSuite,
    SuiteExecution,
    unwrap,
)

DEFAULT_BASE_URL = DEFAULT_BASE_URLS[ProviderName.SYNTHFLOW]
REGIONAL_BASE_URLS = {
    "us": "https://api.us.synthflow.ai/v2",
    "eu": "https://api.eu.synthflow.ai/v2",
}


def _when(value: object) -> object:
    """A filter's value as sent: a date-time in ISO 8601, anything else as it is."""
    return value.isoformat() if isinstance(value, datetime) else value


class SimulationFilters(TypedDict, total=False):
    """The filters of `GET /simulations`."""

    simulation_session_id: str | None
    status: str | None
    start_date: datetime | str | None
    end_date: datetime | str | None
    target_agent_id: str | None


class SessionFilters(TypedDict, total=False):
    """The filters of `GET /simulations/sessions`."""

    target_agent_id: str | None
    start_date: datetime | str | None
    end_date: datetime | str | None


class CaseFilters(TypedDict, total=False):
    """The filters of `GET /simulation_cases`."""

    search: str | None
    simulation_case_type: str | None
    suite_id: str | None


PAGE_SIZE = 50
MAX_PAGES = 20


def all_items[ItemT](fetch: Callable[[int, int], Page[ItemT]]) -> Iterator[ItemT]:
    """Every item of a listing, `fetch(page_number, page_size)` page by page (bounded)."""
    seen = 0
    for number in range(1, MAX_PAGES + 1):
        page = fetch(number, PAGE_SIZE)
        yield from page.items
        seen += len(page.items)
        total = page.total_records
        if len(page.items) < PAGE_SIZE or (total is not None and seen >= total):
            return


class SynthflowClient(ProviderClient):
    """Raw Synthflow v2 calls: `Authorization: Bearer <key>`, `{status, response}` unwrapped."""

    provider = ProviderName.SYNTHFLOW
    default_base_url = DEFAULT_BASE_URL

    def _answer(self, body: Any, operation: str) -> Any:
        """The `{status, response}` envelope unwrapped; an error status is a refusal."""
        return unwrap(body, operation)

    # Simulations -------------------------------------------------------------------------

    def start_simulation(
        self,
        simulation_case_id: str,
        target_agent_id: str,
        simulation_session_id: str | None = None,
        custom_variables: Mapping[str, Any] | None = None,
    ) -> SimulationReadOut:
        """POST /simulations. Paid and not idempotent: never repeated after an ambiguous failure."""
        body: dict[str, Any] = {
            "simulation_case_id": str(simulation_case_id),
            "target_agent_id": target_agent_id,
        }
        if simulation_session_id is not None:
            body["simulation_session_id"] = str(simulation_session_id)
        if custom_variables:
            body["custom_variables"] = dict(custom_variables)
        op = "start_simulation"
        payload = self._call("POST", "simulations", op, idempotent=False, json=body)
        return self._http.parse(SimulationReadOut, payload, op, ambiguous=True)

    def get_simulation(self, simulation_id: str) -> SimulationReadOut:
        op = "get_simulation"
        path = f"simulations/{self._path_id(simulation_id, 'simulation_id', op)}"
        return self._get(SimulationReadOut, path, op)

    def list_simulations(
        self, page_number: int = 1, page_size: int = 10, **filters: Unpack[SimulationFilters]
    ) -> Page[SimulationReadOut]:
        page = Page[SimulationReadOut]
        return self._page(page, "simulations", "list_simulations", page_number, page_size, filters)

    def iter_simulations(self, **filters: Unpack[SimulationFilters]) -> Iterator[SimulationReadOut]:
        """Every simulation matching `list_simulations` filters, across pages."""
        return all_items(lambda number, size: self.list_simulations(number, size, **filters))

    def list_sessions(
        self, page_number: int = 1, page_size: int = 10, **filters: Unpack[SessionFilters]
    ) -> Page[SimulationSessionReadOut]:
        page = Page[SimulationSessionReadOut]
        path = "simulations/sessions"
        return self._page(page, path, "list_sessions", page_number, page_size, filters)

    def iter_sessions(
        self, **filters: Unpack[SessionFilters]
    ) -> Iterator[SimulationSessionReadOut]:
        """Every session matching `list_sessions` filters, across pages."""
        return all_items(lambda number, size: self.list_sessions(number, size, **filters))

    def get_session(self, simulation_session_id: str) -> SimulationSessionReadOut:
        op = "get_session"
        session = self._path_id(simulation_session_id, "simulation_session_id", op)
        return self._get(SimulationSessionReadOut, f"simulations/session/{session}", op)

    # Suites and cases --------------------------------------------------------------------

    def execute_suite(
        self, suite_id: str, target_agent_id: str, max_turns: int = DEFAULT_MAX_TURNS
    ) -> SuiteExecution:
        """POST /simulation_suites/{id}/execute with query parameters and no body.

        Paid and not idempotent. The answer is NOT enveloped: `{session_id, suite_id, ...}`;
        an enveloped one is accepted too.
        """
        op = "execute_suite"
        body = self._http.request(
            "POST",
            f"simulation_suites/{self._path_id(suite_id, 'suite_id', op)}/execute",
            operation=op,
            idempotent=False,
            params={"target_agent_id": target_agent_id, "max_turns": max_turns},
            read=_execution,
        )
        return self._http.parse(SuiteExecution, body, op, ambiguous=True)

    def get_suite(self, suite_id: str) -> SimulationSuite:
        op = "get_suite"
        path = f"simulation_suites/{self._path_id(suite_id, 'suite_id', op)}"
        return self._get(SimulationSuite, path, op)

    def get_case(self, simulation_case_id: str) -> SimulationCase:
        op = "get_case"
        case = self._path_id(simulation_case_id, "simulation_case_id", op)
        return self._get(SimulationCase, f"simulation_cases/{case}", op)

    def list_cases(
        self, page_number: int = 1, page_size: int = 10, **filters: Unpack[CaseFilters]
    ) -> Page[SimulationCase]:
        page = Page[SimulationCase]
        return self._page(page, "simulation_cases", "list_cases", page_number, page_size, filters)

    def _page[M: BaseModel](
        self,
        model: type[M],
        path: str,
        operation: str,
        page_number: int,
        page_size: int,
        filters: Mapping[str, object],
    ) -> M:
        """One page of a listing: the page asked for and the filters given (dates in ISO 8601)."""
        params = {"page_number": page_number, "page_size": page_size}
        return self._get(model, path, operation, params | {k: _when(v) for k, v in filters.items()})


def _execution(body: Any, operation: str) -> Any:
    """Suite execute answers bare `{session_id, ...}`; an enveloped answer is unwrapped."""
    if isinstance(body, Mapping) and "session_id" in body:
        return body
    return unwrap(body, operation)
