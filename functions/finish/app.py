"""Workflow task Finish: collect results, evaluate the gate, store cases; the event detail.

The work and its scaffold (settings, services, logging, tracing, metrics) are in the layer:
`agentsim.tasks.finish`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.finish import FINISH

lambda_handler = workflow_handler(FINISH)
