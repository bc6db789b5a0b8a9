"""Workflow task RecordFailure (catch-all): record FAILED with the caught error.

The work and its scaffold (settings, services, logging, tracing, metrics) are in the layer:
`agentsim.tasks.fail`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.fail import FAIL

lambda_handler = workflow_handler(FAIL)
