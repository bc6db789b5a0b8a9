"""Workflow task TimeOut: stop the simulation past its deadline, record TIMED_OUT.

The work and its scaffold (settings, services, logging, tracing, metrics) are in the layer:
`agentsim.tasks.time_out`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.time_out import TIME_OUT

lambda_handler = workflow_handler(TIME_OUT)
