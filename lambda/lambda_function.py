"""AWS Lambda entry point: ``Handler: lambda_function.handler`` in template.yaml."""

import logging
import os

from skill.alexa.app import lambda_handler as handler
from skill.alexa.app import prepare_for_snapshot

# With LoggingConfig (template.yaml) Lambda sets the root logger's level itself; without it, INFO for the skill.
if not os.environ.get("AWS_LAMBDA_LOG_LEVEL"):
    logging.getLogger("skill").setLevel(logging.INFO)

# SnapStart snapshots the process after this import: do now what the first request would do.
if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
    prepare_for_snapshot()

__all__ = ["handler"]
