"""Delivery task: tell a run's notify URL, GitHub commit and Slack of its start or end.

The work and its scaffold (settings, services, logging, tracing, metrics) are in the layer:
`agentsim.tasks.deliver`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.deliver import DELIVER

lambda_handler = workflow_handler(DELIVER)
