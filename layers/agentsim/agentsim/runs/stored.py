"""What the tables hold, as declared in template.yaml (tests create the tables from it).

- runs table, key `run_id`: one `StoredRun` per run, the record's JSON plus `list_pk` (constant
  "RUN") and `list_sk` (`<created_at>#<run_id>`), the keys of the `by-created` index that serves
  newest-first lists, and (with the record's `series`) of the `by-series` index. Only runs live
  there, so a scan of the table is a list of runs.
- run items table, key `pk` = `RUN#<run_id>` / `sk`: `CASE#<00001>` per case result (a run with
  500 calls never meets the 400 KB item limit) and `STATUS#<time>#<status>` per status change.
  Launch claims and scopes (`claims.py`) live there too, under their own keys.

The keys are storage business: what the stores hand out (records, cases, history lines) never
carries them.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from agentsim.runs.codec import plain_item, sortable_time, to_item
from agentsim.runs.record import RunRecord, RunStatus

LIST_INDEX = "by-created"
SERIES_INDEX = "by-series"
"""Keys `series` (a record field) and `list_sk`: a series' runs, newest first."""
LIST_PARTITION = "RUN"
LIST_KEYS = ("run_id", "list_pk", "list_sk")
SERIES_KEYS = ("run_id", "series", "list_sk")
ITEM_KEYS = ("pk", "sk")
CASE_PREFIX = "CASE#"
STATUS_PREFIX = "STATUS#"


class StoredRun(RunRecord):
    """A runs-table item: the record and the keys of the list index."""

    list_pk: Literal["RUN"] = "RUN"
    list_sk: str

    @staticmethod
    def list_key(record: RunRecord) -> str:
        return f"{sortable_time(record.created_at)}#{record.run_id}"

    @classmethod
    def of(cls, record: RunRecord) -> Self:
        """The item of a new record (its keys from its creation time and id)."""
        return cls.model_validate(
            {
                **record.model_dump(),
                "list_sk": cls.list_key(record),
            }
        )

    @classmethod
    def read(cls, item: dict[str, Any]) -> RunRecord:
        """The record an item (low-level attribute values) holds."""
        return cls.model_validate(plain_item(item)).record()

    def item(self) -> dict[str, Any]:
        """As attribute values for PutItem (None fields left out)."""
        return to_item(self.model_dump(mode="json", exclude_none=True))

    def record(self) -> RunRecord:
        """The record without its storage keys (already valid: not validated again)."""
        fields = {name: getattr(self, name) for name in RunRecord.model_fields}
        return RunRecord.model_construct(self.model_fields_set & fields.keys(), **fields)


def run_pk(run_id: str) -> str:
    return f"RUN#{run_id}"


def case_sk(number: int) -> str:
    return f"{CASE_PREFIX}{number:05d}"


def status_sk(at_sortable: str, status: RunStatus) -> str:
    return f"{STATUS_PREFIX}{at_sortable}#{status.value}"


def without_keys(item: dict[str, Any]) -> dict[str, Any]:
    """A run item's plain values without the table's keys."""
    return {k: v for k, v in item.items() if k not in ITEM_KEYS}
