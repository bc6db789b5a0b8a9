"""What the BluejayProvider tests share: simulation 123 prepared, its run 789 launched with two
result ids, and the paths that read and end that run."""

from __future__ import annotations

from agentsim.providers.bluejay import BluejayLaunched, BluejayPrepared

PREPARED = BluejayPrepared(simulation_id="123", prepared="existing")
LAUNCHED = BluejayLaunched(
    simulation_id="123", prepared="existing", run_id="789", result_ids=["1001", "1002"]
)
RESULTS = "/v1/retrieve-simulation-results/789"
END = "/v1/end-conversations"
