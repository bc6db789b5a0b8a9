"""Synthflow operations on its records, independent of HTTP: refusals are emulator errors."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from agentsim_local.emulator.errors import InvalidRequest
from agentsim_local.emulator.state import Backend, Timeline, find
from agentsim_local.emulator.synthflow import schemas
from agentsim_local.emulator.synthflow.records import (
    FIXTURE_AGENT_ID,
    FIXTURE_CASES,
    FIXTURE_SUITE_ID,
    Case,
    Execution,
    Session,
    Simulation,
    Suite,
)


class SynthflowBackend(Backend):
    """Synthflow's cases, suites, simulations and sessions, with the fixtures seeded on reset."""

    cases: dict[UUID, Case]
    suites: dict[UUID, Suite]
    simulations: dict[UUID, Simulation]
    sessions: dict[UUID, Session]

    def seed(self) -> None:
        now = self.store.now()
        self.suites[FIXTURE_SUITE_ID] = Suite(
            FIXTURE_SUITE_ID,
            "Emulator fixture suite",
            FIXTURE_AGENT_ID,
            "en-US",
            now,
            now,
        )
        for offset, (case_id, name, prompt, criteria) in enumerate(FIXTURE_CASES):
            created = now + offset / 1000  # keep the fixture order stable
            self.cases[case_id] = Case(
                case_id, name, prompt, "custom", criteria, "all", FIXTURE_SUITE_ID, None,
                created, created,
            )  # fmt: skip

    # -- lookups ------------------------------------------------------------------------

    def case(self, case_id: UUID) -> Case:
        return find(self.cases, case_id, f"Simulation case {case_id} not found")

    def suite(self, suite_id: UUID) -> Suite:
        return find(self.suites, suite_id, f"Simulation suite {suite_id} not found")

    def simulation(self, simulation_id: UUID) -> Simulation:
        return find(self.simulations, simulation_id, f"Simulation {simulation_id} not found")

    def session(self, session_id: UUID) -> Session:
        return find(self.sessions, session_id, f"Simulation session {session_id} not found")

    # -- lists, filtered as the list endpoints filter -----------------------------------

    def list_sessions(self, target_agent_id: str | None, period: schemas.Period) -> list[Session]:
        """Newest first."""
        return [
            s
            for s in sorted(self.sessions.values(), key=lambda s: s.created_at, reverse=True)
            if (target_agent_id is None or s.target_agent_id == target_agent_id)
            and s.created_at in period
        ]

    def session_simulations(self, session: Session) -> list[Simulation]:
        return [self.simulations[i] for i in session.simulation_ids if i in self.simulations]

    def list_simulations(
        self,
        session_id: UUID | None,
        status: schemas.StatusValue | None,
        target_agent_id: str | None,
        period: schemas.Period,
    ) -> list[Simulation]:
        """Newest first."""
        now = self.store.now()
        newest_first = sorted(
            self.simulations.values(), key=lambda s: s.timeline.started_at, reverse=True
        )
        return [
            s
            for s in newest_first
            if (session_id is None or s.session_id == session_id)
            and (status is None or s.status(now) == status)
            and (target_agent_id is None or s.target_agent_id == target_agent_id)
            and s.timeline.started_at in period
        ]

    def list_cases(
        self, search: str | None, case_type: schemas.CaseType | None, suite_id: UUID | None
    ) -> list[Case]:
        """Oldest first; `search` is a case-insensitive part of the name."""
        return [
            c
            for c in sorted(self.cases.values(), key=lambda c: c.created_at)
            if (search is None or search.lower() in c.name.lower())
            and (case_type is None or c.type == case_type)
            and (suite_id is None or c.suite_id == suite_id)
        ]

    def cases_of_agent(self, agent_id: str) -> list[Case]:
        """The agent's own cases and those of its suites."""
        suites = {s.id for s in self.suites.values() if s.model_id == agent_id}
        return [
            c for c in self.cases.values() if c.base_agent_id == agent_id or c.suite_id in suites
        ]

    def list_suites(self, search: str | None, model_ids: list[str] | None) -> list[Suite]:
        """Oldest first; `search` is a case-insensitive part of the name."""
        return [
            s
            for s in sorted(self.suites.values(), key=lambda s: s.created_at)
            if (search is None or search.lower() in s.name.lower())
            and (not model_ids or s.model_id in model_ids)
        ]

    def suite_cases(self, suite: Suite) -> list[Case]:
        return sorted(
            (c for c in self.cases.values() if c.suite_id == suite.id), key=lambda c: c.created_at
        )

    # -- simulations --------------------------------------------------------------------

    def start(self, body: schemas.SimulationCreateIn) -> Simulation:
        """Start the body's case against its agent, in its session (a new one when none)."""
        with self.store.lock:
            case = self.case(body.simulation_case_id)
            session_id = body.simulation_session_id or uuid.uuid4()
            return self._launch(case, body.target_agent_id, session_id, body.custom_variables)

    def execute(self, suite_id: UUID, target_agent_id: str) -> Execution:
        """Start every case of the suite in one new session, against the suite's own agent."""
        with self.store.lock:
            suite = self.suite(suite_id)
            if target_agent_id != suite.model_id:
                raise InvalidRequest("target_agent_id must be the suite's model_id")
            cases = self.suite_cases(suite)
            if not cases:
                raise InvalidRequest("The suite has no simulation cases")
            session_id = uuid.uuid4()
            for case in cases:
                self._launch(case, target_agent_id, session_id, None)
            return Execution(session_id, suite, cases)

    def _launch(
        self, case: Case, agent_id: str, session_id: UUID, variables: dict[str, Any] | None
    ) -> Simulation:
        """A simulation of (a snapshot of) `case` against `agent_id`, in that session."""
        now = self.store.now()
        session = self.sessions.setdefault(session_id, Session(session_id, agent_id, now))
        attempt = 1 + sum(self.simulations[s].case.id == case.id for s in session.simulation_ids)
        sim = Simulation(
            id=uuid.uuid4(),
            session_id=session_id,
            case=Case(**vars(case)),
            target_agent_id=agent_id,
            custom_variables=variables,
            outcome=self.store.outcome(
                case.name,
                case.prompt,
                attempt=attempt,
            ),
            timeline=Timeline(now, self.store.durations()),
        )
        self.add(self.simulations, sim)
        session.simulation_ids.append(sim.id)
        return sim

    # -- cases and suites ---------------------------------------------------------------

    def create_case(self, body: schemas.CaseIn) -> Case:
        with self.store.lock:
            if body.suite_id is not None:
                self.suite(body.suite_id)
            now = self.store.now()
            case = Case(uuid.uuid4(), **body.model_dump(), created_at=now, updated_at=now)
            return self.add(self.cases, case)

    def update_case(self, case_id: UUID, body: schemas.CaseUpdateIn) -> Case:
        with self.store.lock:
            case = self.case(case_id)
            if body.suite_id is not None:
                self.suite(body.suite_id)
            return self._update(case, body.model_dump(exclude_unset=True))

    def delete_case(self, case_id: UUID) -> None:
        with self.store.lock:
            self.cases.pop(self.case(case_id).id)

    def create_suite(self, body: schemas.SuiteIn) -> Suite:
        with self.store.lock:
            now = self.store.now()
            suite = Suite(uuid.uuid4(), body.name, body.model_id, body.language, now, now)
            return self.add(self.suites, suite)

    def update_suite(self, suite_id: UUID, body: schemas.SuiteUpdateIn) -> Suite:
        with self.store.lock:
            return self._update(self.suite(suite_id), body.model_dump(exclude_none=True))

    def delete_suite(self, suite_id: UUID) -> None:
        with self.store.lock:
            self.suites.pop(self.suite(suite_id).id)

    def _update[R: (Case, Suite)](self, record: R, changes: dict[str, Any]) -> R:
        for name, value in changes.items():
            setattr(record, name, value)
        record.updated_at = self.store.now()
        return record
