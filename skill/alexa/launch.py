"""The start of a triage: the disclaimer and the first, emergency, question.

Its own module because a launch needs nothing else of the conversation: a cold start that answers a
LaunchRequest imports neither the table's moves nor what reads what was said (``conversation.table``).
"""

from __future__ import annotations

from typing import cast

from ask_sdk_model import Response

from skill.triage import Asking

from .turn import Turn


def first_question(turn: Turn) -> Asking:
    """The first question: the loader refuses a protocol without one (and a start has no floor to end it)."""
    return cast(Asking, turn.machine.start())


def start(turn: Turn, overview: bool = False) -> Response:
    """The disclaimer and the first, emergency, question (with an overview of the skill, when asked for);
    after refused state, "let's start again" and the first question."""
    state = first_question(turn)
    if turn.refused:
        return turn.send(turn.speech.launch(state, again=True), state)
    return turn.send(turn.speech.overview(state) if overview else turn.speech.launch(state), state)
