"""Baseline for cold starts: hello world with ask-sdk's stock DynamoDbAdapter, as the ASK docs show it.

The adapter is built at import (it creates a boto3 resource as a default
argument) and the launch reads the person's persistent attributes, as a skill
with memory does on its first request.
"""

import os

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_request_type
from ask_sdk_dynamodb.adapter import DynamoDbAdapter


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        visits = handler_input.attributes_manager.persistent_attributes.get("visits", 0)
        speech = f"Welcome to hello world. You have been here {visits} times. Again?"
        return handler_input.response_builder.speak(speech).ask(speech).response


sb = CustomSkillBuilder(persistence_adapter=DynamoDbAdapter(table_name=os.environ["HELLO_TABLE_NAME"]))
sb.add_request_handler(LaunchHandler())
handler = sb.lambda_handler()
