"""The floor of the warm poll: a poll as one would write it by hand, with kept clients.

One httpx GET of the simulation with a kept `httpx.Client`, then the UpdateItem the handler
sends (the same attributes and condition: moto's cost grows with the expression) with a kept
boto3 client.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

API_KEY = "omni-bench-key"
STATES = {"Completed": "COMPLETED", "Stopped": "STOPPED", "Draft": "PENDING", "Pending": "PENDING"}
"""OmniDimension's status words a hand-written poll maps (anything else is still running)."""


def hand_written_poll(base_url: str, table: str) -> Callable[[str, str, int], None]:
    """A poll as one would write it by hand, kept clients, the same two requests the handler
    makes: GET the simulation, then the same conditional UpdateItem (the same attributes, only
    a RUNNING run, `poll_count` never going back), returning nothing."""
    import boto3  # noqa: PLC0415
    import httpx  # noqa: PLC0415

    http = httpx.Client(base_url=base_url, timeout=10)
    dynamodb = boto3.client("dynamodb")

    def hand_poll(run_id: str, simulation_id: str, count: int) -> None:
        answer = http.get(
            f"simulations/{simulation_id}", headers={"Authorization": f"Bearer {API_KEY}"}
        )
        simulation = answer.raise_for_status().json()["simulation"]
        word = str(simulation.get("status"))
        progress = simulation.get("progress") or [0]  # documented as a one-element array
        dynamodb.update_item(
            TableName=table,
            Key={"run_id": {"S": run_id}},
            UpdateExpression="SET provider_status = :word, provider_state = :state, "
            "progress = :progress, updated_at = :now, poll_count = :count "
            "REMOVE provider_message",
            ConditionExpression="attribute_exists(run_id) AND #status = :running "
            "AND (attribute_not_exists(poll_count) OR poll_count <= :count)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":word": {"S": word},
                ":state": {"S": STATES.get(word, "RUNNING")},
                ":progress": {"N": str(int(progress[0]))},
                ":now": {"S": datetime.now(UTC).isoformat()},
                ":count": {"N": str(count)},
                ":running": {"S": "RUNNING"},
            },
            ReturnValues="NONE",
        )

    return hand_poll
