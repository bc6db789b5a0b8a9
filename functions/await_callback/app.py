"""Workflow task AwaitCallback: store the task token of the wait for a provider's call.

The work and its scaffold are in the layer: `agentsim.tasks.await_callback`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.await_callback import AWAIT_CALLBACK

lambda_handler = workflow_handler(AWAIT_CALLBACK)
