"""Baseline: a hello-world ask-sdk-core skill written the way the alexa-samples write it.

Used only by the benchmarks, to measure the triage skill as a ratio to the
plainest skill the ASK SDK makes (``SkillBuilder().lambda_handler()``).
"""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        speech = "Welcome to hello world. Do you want to hear it again?"
        return handler_input.response_builder.speak(speech).ask(speech).response


class AnswerHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input):
        speech = "Hello world. Again?"
        return handler_input.response_builder.speak(speech).ask(speech).response


sb = SkillBuilder()
sb.add_request_handler(LaunchHandler())
sb.add_request_handler(AnswerHandler())
handler = sb.lambda_handler()
