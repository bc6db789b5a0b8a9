"""A thin client for Synthflow's simulation API (no official Python SDK exists).

One method per endpoint, payloads parsed into `models`. Starting calls (`start_simulation`,
`execute_suite`) are non-idempotent: Synthflow has no idempotency keys, so they are never
repeated after an ambiguous failure (see `agentsim.providers.http`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, Unpack

from agentsim.providers import DEFAULT_BASE_URLS
from agentsim.providers.base import ProviderName
from agentsim.providers.errors import ProviderAuthError
from agentsim.providers.http import HttpOptions, ProviderClient, ProviderHttp
from agentsim.providers.synthflow.envelope import PROVIDER, unwrap
from agentsim.providers.synthflow.models import (
    Page,
    SimulationCase,
    SimulationReadOut,
    SimulationSessionReadOut,
    SimulationSuite,
    SuiteExecution,
)
from agentsim.providers.synthflow.specs import DEFAULT_MAX_TURNS

DEFAULT_BASE_URL = DEFAULT_BASE_URLS[ProviderName.SYNTHFLOW]
REGIONAL_BASE_URLS = {
    "us": "https://api.us.synthflow.ai/v2",
    "eu": "https://api.eu.synthflow.ai/v2",
}


def _when(value: datetime | str | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


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

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        **options: Unpack[HttpOptions],
    ) -> None:
        if not api_key or not api_key.strip():
            raise ProviderAuthError(PROVIDER, "no API key configured", operation="configure")
        self._http = ProviderHttp(
            PROVIDER,
            base_url,
            {"Authorization": f"Bearer {api_key.strip()}"},
            secret=api_key,
            **options,
        )

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
        payload = self._call(
            "GET", f"simulations/{self._path_id(simulation_id, 'simulation_id', op)}", op
        )
        return self._http.parse(SimulationReadOut, payload, op)

    def list_simulations(
        self,
        page_number: int = 1,
        page_size: int = 10,
        simulation_session_id: str | None = None,
        status: str | None = None,
        start_date: datetime | str | None = None,
        end_date: datetime | str | None = None,
        target_agent_id: str | None = None,
    ) -> Page[SimulationReadOut]:
        op = "list_simulations"
        params = {
            "page_number": page_number,
            "page_size": page_size,
            "simulation_session_id": simulation_session_id,
            "status": status,
            "start_date": _when(start_date),
            "end_date": _when(end_date),
            "target_agent_id": target_agent_id,
        }
        payload = self._call("GET", "simulations", op, params=params)
        return self._http.parse(Page[SimulationReadOut], payload, op)

    def iter_simulations(self, **filters: Any) -> Iterator[SimulationReadOut]:
        """Every simulation matching `list_simulations` filters, across pages."""
        return all_items(
            lambda number, size: self.list_simulations(
                page_number=number, page_size=size, **filters
            )
        )

    def list_sessions(
        self,
        page_number: int = 1,
        page_size: int = 10,
        target_agent_id: str | None = None,
        start_date: datetime | str | None = None,
        end_date: datetime | str | None = None,
    ) -> Page[SimulationSessionReadOut]:
        op = "list_sessions"
        params = {
            "page_number": page_number,
            "page_size": page_size,
            "target_agent_id": target_agent_id,
            "start_date": _when(start_date),
            "end_date": _when(end_date),
        }
        payload = self._call("GET", "simulations/sessions", op, params=params)
        return self._http.parse(Page[SimulationSessionReadOut], payload, op)

    def iter_sessions(self, **filters: Any) -> Iterator[SimulationSessionReadOut]:
        """Every session matching `list_sessions` filters, across pages."""
        return all_items(
            lambda number, size: self.list_sessions(page_number=number, page_size=size, **filters)
        )

    def get_session(self, simulation_session_id: str) -> SimulationSessionReadOut:
        op = "get_session"
        session = self._path_id(simulation_session_id, "simulation_session_id", op)
        path = f"simulations/session/{session}"
        payload = self._call("GET", path, op)
        return self._http.parse(SimulationSessionReadOut, payload, op)

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
        payload = self._call(
            "GET", f"simulation_suites/{self._path_id(suite_id, 'suite_id', op)}", op
        )
        return self._http.parse(SimulationSuite, payload, op)

    def get_case(self, simulation_case_id: str) -> SimulationCase:
        op = "get_case"
        payload = self._call(
            "GET",
            f"simulation_cases/{self._path_id(simulation_case_id, 'simulation_case_id', op)}",
            op,
        )
        return self._http.parse(SimulationCase, payload, op)

    def list_cases(
        self,
        page_number: int = 1,
        page_size: int = 10,
        search: str | None = None,
        simulation_case_type: str | None = None,
        suite_id: str | None = None,
    ) -> Page[SimulationCase]:
        op = "list_cases"
        params = {
            "page_number": page_number,
            "page_size": page_size,
            "search": search,
            "simulation_case_type": simulation_case_type,
            "suite_id": suite_id,
        }
        payload = self._call("GET", "simulation_cases", op, params=params)
        return self._http.parse(Page[SimulationCase], payload, op)


def _execution(body: Any, operation: str) -> Any:
    """Suite execute answers bare `{session_id, ...}`; an enveloped answer is unwrapped."""
    if isinstance(body, Mapping) and "session_id" in body:
        return body
    return unwrap(body, operation)
