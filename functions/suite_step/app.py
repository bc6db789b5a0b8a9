"""The suite workflow's steps: prepare, a child's state, finish, fail.

The work and its scaffold are in the layer: `agentsim.tasks.suite_step`.
"""

from agentsim.tasks import workflow_handler
from agentsim.tasks.suite_step import SUITE_STEP

lambda_handler = workflow_handler(SUITE_STEP)
