"""Workflow task Register: adopt (or create) the run record, store execution and deadline.

The work and its scaffold (settings, services, logging, tracing, metrics) are in the layer:
`agentsim.tasks.register`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.register import REGISTER

lambda_handler = workflow_handler(REGISTER)
