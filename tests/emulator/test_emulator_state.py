"""The shared state under every provider backend: tables per backend, ids, reset."""

from __future__ import annotations

from dataclasses import dataclass

from support.emulator import ManualClock, manual_store

from agentsim_local.emulator.state import Backend, Store


@dataclass(frozen=True)
class Entry:
    id: int
    text: str


class Ledger(Backend):
    entries: dict[int, str]
    notes: dict[str, str]
    records: dict[int, Entry]

    def seed(self) -> None:
        self.notes["welcome"] = "seeded"


def test_each_annotated_attribute_is_a_table_of_its_own_backend() -> None:
    first, second = Ledger(manual_store(ManualClock())), Ledger(manual_store(ManualClock()))

    first.entries[1] = "one"

    assert second.entries == {} and first.entries is not second.entries


def test_a_new_backend_starts_seeded(store: Store) -> None:
    assert Ledger(store).notes == {"welcome": "seeded"}


def test_reset_empties_every_table_then_seeds_again(store: Store) -> None:
    ledger = Ledger(store)
    ledger.entries[1] = "one"
    ledger.notes["extra"] = "x"

    store.reset()

    assert (ledger.entries, ledger.notes) == ({}, {"welcome": "seeded"})


def test_reset_restarts_the_id_counters(store: Store) -> None:
    first = store.next_id("thing", 100)
    store.next_id("thing", 100)

    store.reset()

    assert store.next_id("thing", 100) == first == 100


def test_add_keeps_a_record_under_its_id_and_hands_it_back(store: Store) -> None:
    ledger, entry = Ledger(store), Entry(7, "seven")

    assert ledger.add(ledger.records, entry) is entry
    assert ledger.records == {7: entry}
