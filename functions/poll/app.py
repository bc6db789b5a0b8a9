"""Workflow task Poll: ask the provider how the run is doing and choose the next wait.

The work and its scaffold (settings, services, logging, tracing, metrics) are in the layer:
`agentsim.tasks.poll`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.poll import POLL

lambda_handler = workflow_handler(POLL)
