"""AWS Lambda entry point: ``Handler: lambda_function.handler`` in template.yaml."""

import logging

from skill.alexa.app import lambda_handler as handler

logging.getLogger("skill").setLevel(logging.INFO)

__all__ = ["handler"]
