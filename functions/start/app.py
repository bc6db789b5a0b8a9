"""Workflow task Start: launch the simulation on the provider, at most once per run.

The work and its scaffold (settings, services, logging, tracing, metrics) are in the layer:
`agentsim.tasks.start`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.start import START

lambda_handler = workflow_handler(START)
