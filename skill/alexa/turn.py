"""One request's view of the conversation: its locale, its triage state, and how a reply goes out.

Handlers read the state through a ``Turn`` and hand back a ``Reply``; ``Turn.send``
is the only place that writes session attributes and calls the response builder
(``send``, or ``hand_over`` for the one reply that says nothing).

Besides the triage state, the session can hold a pending yes/no ``Offer`` that
is not a triage question (pick up where we stopped? is the pain still there?
remember this? a reminder? forget it?) with the triage it interrupts, the date the pain was
first reported when this session is a follow-up, whether memory was already
read, and a note that the person asked to delete their data (nothing more is
stored in this session after that).

Every attribute read or written passes through the seal (``seal``): the state is read only from the token this
skill sealed for this session and this person (``read_state``); what goes out is sealed (``Turn._seal``).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale, get_supported_interfaces
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.triage import Asking, TriageMachine, default_protocol, locale_text
from skill.triage.machine import MAX_MISUNDERSTANDINGS

from .reminders import OFFER_KINDS as REMINDER_OFFERS
from .reminders import deleter
from .request_log import note_reply
from .seal import SEALED_KEY, Sealer, sealed, sealer, unsealed
from .speech import Reply, Screen, SpeechBuilder

if TYPE_CHECKING:
    from skill.store import GuardedStore

    from .memory import Memory

log = logging.getLogger(__name__)

STATE_KEY = "triage"
DISPOSITION_KEY = "disposition"
OFFER_KEY = "offer"
SINCE_KEY = "since"  # when the pain was first reported, in a follow-up session
FORGOTTEN_KEY = "forgotten"
MEMORY_READ_KEY = "recalled"  # memory was consulted this session (once, after the emergency questions)
# Every session attribute the skill writes: the state readable, and the same state sealed (the only one read
# back: skill/alexa/seal.py). The entry point drops any other (skill/alexa/envelope_guard.py).
READABLE_KEYS = (STATE_KEY, DISPOSITION_KEY, OFFER_KEY, SINCE_KEY, FORGOTTEN_KEY, MEMORY_READ_KEY)
SESSION_KEYS = (*READABLE_KEYS, SEALED_KEY)
OFFER_KINDS = ("resume", "follow_up", "remember", "forget", *REMINDER_OFFERS)
# The moments of the conversation (``Turn.moment``): a triage question waits, no triage is in progress, or an
# offer waits (its moment is its kind)
ASKING = "asking"
IDLE = "idle"
MOMENTS = (ASKING, IDLE, *OFFER_KINDS)
# os.path, not pathlib: a launch imports no pathlib (~1 ms of a cold start)
APL_DIR = os.path.join(os.path.dirname(__file__), "apl")
# names the APL document, not a secret (bandit B105)
APL_TOKEN = "backPainCheck"  # nosec B105


@lru_cache(maxsize=None)
def apl_document(name: str) -> dict:
    with open(os.path.join(APL_DIR, f"{name}.json"), encoding="utf-8") as file:
        return json.load(file)


def has_screen(handler_input: HandlerInput) -> bool:
    """The device renders APL (an Echo Show, a Fire TV); a voice-only device gets no APL directive."""
    try:
        return get_supported_interfaces(handler_input).alexa_presentation_apl is not None
    except Exception:  # no device in the envelope: treat as voice-only
        return False


def render_directive(screen: Screen):
    """The APL directive for ``screen``; its model module is imported only when a screen needs it."""
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(token=APL_TOKEN, document=apl_document(screen.document),
                                   datasources={"payload": {"screen": screen.data}})


class Offer(NamedTuple):
    """A yes/no question about memory, waiting for its answer."""

    kind: str
    question: str | None = None  # resume: where the triage stopped
    since: str | None = None  # follow_up / remember: first report date, ISO
    outcome: str | None = None  # remember: the disposition to remember; follow_up: the last one
    misses: int = 0

    def to_dict(self) -> dict:
        return {k: v for k, v in self._asdict().items() if v is not None}

    def missed(self) -> "Offer | None":
        """This offer after one more misunderstanding; None once that is too many to go on."""
        misses = self.misses + 1
        return self._replace(misses=misses) if misses < MAX_MISUNDERSTANDINGS else None

    @classmethod
    def restore(cls, data: object, protocol) -> "Offer | None":
        """The offer in ``data``; None for anything this skill did not write."""
        if not isinstance(data, dict) or data.get("kind") not in OFFER_KINDS:
            return None
        try:
            offer = cls(**data)
        except TypeError:
            return None
        if type(offer.misses) is not int or not 0 <= offer.misses < MAX_MISUNDERSTANDINGS:
            return None
        if offer.kind == "resume" and not isinstance(offer.question, str):
            return None
        if offer.kind in ("remember", *REMINDER_OFFERS) and offer.outcome not in protocol.ranks:
            return None
        if offer.outcome is not None and offer.outcome not in protocol.ranks:
            return None
        if offer.since is not None and parse_date(offer.since) is None:
            return None
        if offer.kind == "follow_up" and offer.since is None:
            return None
        return offer


def parse_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def machine() -> TriageMachine:
    """The one machine over the loaded protocol (immutable), shared by every request."""
    return TriageMachine(default_protocol())


def speech_for(locale: str | None) -> SpeechBuilder:
    return SpeechBuilder(default_protocol(), locale_text(locale))


def safe_locale(handler_input: HandlerInput) -> str | None:
    try:
        locale = get_locale(handler_input)
    except Exception:  # a malformed envelope still deserves the safety net
        return None
    return locale if isinstance(locale, str) else None  # ask-sdk types it str | bytes; Alexa sends a str


def request_time(handler_input: HandlerInput) -> datetime:
    """When Alexa says the request was made (so ``chat --now`` can pretend); the clock if it does not say."""
    timestamp = getattr(handler_input.request_envelope.request, "timestamp", None)
    if isinstance(timestamp, datetime):
        if timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=timezone.utc)
        return timestamp.astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def user_id(handler_input: HandlerInput) -> str | None:
    envelope = handler_input.request_envelope
    for holder in (getattr(getattr(envelope, "context", None), "system", None), envelope.session):
        value = getattr(getattr(holder, "user", None), "user_id", None)
        if isinstance(value, str) and value:
            return value
    return None


def session_attributes(handler_input: HandlerInput) -> dict:
    """The session's attributes; a throwaway dict for a request outside a session."""
    if handler_input.request_envelope.session is None:
        return {}
    attributes = handler_input.attributes_manager.session_attributes
    if not isinstance(attributes, dict):  # tampered: start afresh
        attributes = handler_input.attributes_manager.session_attributes = {}
    return attributes


def read_state(handler_input: HandlerInput, by: Sealer | None = None) -> tuple[dict, bool]:
    """The session's state once its seal is checked and opened, and whether it was refused.

    Refused (not sealed by this skill for this session and user, or sent in a new session): emptied, so
    nothing of them is read or echoed, and one log line says so, naming nothing.
    """
    attributes = session_attributes(handler_input)
    session = handler_input.request_envelope.session
    if session is None or not attributes:
        return attributes, False
    state = unsealed(attributes, session.new is not False, session.session_id, user_id(handler_input), by)
    attributes.clear()
    if state is None:
        log.warning("session state refused: not sealed by this skill for this session and user")
        return attributes, True
    attributes.update(state)
    return attributes, False


TURN = "turn"  # the request attribute that holds this request's Turn


class TurnLoader(AbstractRequestInterceptor):
    """Reads the conversation once per request, before any handler's ``can_handle``: see ``turn_of``.

    It carries the store the skill was built with (``build_skill(store=...)``), so memory is injected,
    not looked up from module globals.
    """

    def __init__(self, store: GuardedStore | None = None):
        self.store = store

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[TURN] = Turn(handler_input, self.store)


def turn_of(handler_input: HandlerInput) -> "Turn":
    """This request's Turn, as the loader read it (read now, without memory, if the loader did not run)."""
    attributes = handler_input.attributes_manager.request_attributes
    turn = attributes.get(TURN)
    if not isinstance(turn, Turn):
        turn = attributes[TURN] = Turn(handler_input, None)
    return turn


class Turn:
    """One request's view of the conversation: locale, triage state, pending offer, memory; and the reply.

    ``send`` is the only place that writes session attributes and calls the response builder.
    """

    def __init__(self, handler_input: HandlerInput, store: GuardedStore | None = None):
        self.handler_input = handler_input
        self.machine = machine()
        self.speech = speech_for(safe_locale(handler_input))
        self.sealer = sealer()  # once a request: finding it reads the salt's configuration from the environment
        self.attributes, self.refused = read_state(handler_input, self.sealer)
        self.state: Asking | None = self.machine.restore(self.attributes.get(STATE_KEY))
        self.offer: Offer | None = Offer.restore(self.attributes.get(OFFER_KEY), self.machine.protocol)
        self.now = request_time(handler_input)
        self.store = store
        self._memory: Memory | None = None

    @property
    def offer_kind(self) -> str | None:
        return self.offer.kind if self.offer is not None else None

    @property
    def moment(self) -> str:
        """An offer's kind while it waits for its answer; else ``asking`` a question, or ``idle``."""
        if self.offer is not None:
            return self.offer.kind
        return ASKING if self.state is not None else IDLE

    @property
    def memory(self) -> Memory:
        if self._memory is None:
            from .memory import Memory  # here: most requests (a launch, the emergency questions) never use memory

            self._memory = Memory(self.store, user_id(self.handler_input), self.now, deleter(self.handler_input))
        return self._memory

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def since(self) -> date | None:
        """When the pain was first reported, if this session is a follow-up."""
        return parse_date(self.attributes.get(SINCE_KEY))

    @property
    def forgotten(self) -> bool:
        return self.attributes.get(FORGOTTEN_KEY) is True

    def may_remember(self) -> bool:
        return not self.forgotten and self.memory.enabled

    def send(self, reply: Reply, state: Asking | None = None, offer: Offer | None = None) -> Response:
        """Record ``state`` (or the outcome) and ``offer`` in the session and build the response."""
        attributes = self.attributes
        attributes.pop(STATE_KEY, None)
        attributes.pop(OFFER_KEY, None)
        if reply.outcome is not None:
            attributes[DISPOSITION_KEY] = reply.outcome.disposition
        elif state is not None and not reply.end_session:
            attributes[STATE_KEY] = self.machine.to_dict(state)
            attributes.pop(DISPOSITION_KEY, None)
        if offer is not None and not reply.end_session:
            attributes[OFFER_KEY] = offer.to_dict()
        note_reply(self.handler_input, question=None if reply.end_session or state is None else state.question,
                   disposition=reply.outcome.disposition if reply.outcome else None)
        builder = self.handler_input.response_builder.speak(reply.speech)
        if reply.card is not None:
            builder.set_card(SimpleCard(title=reply.card.title, content=reply.card.text))
        if reply.screen is not None and has_screen(self.handler_input):
            builder.add_directive(render_directive(reply.screen))
        if reply.end_session:
            builder.set_should_end_session(True)
        else:
            # every reply that keeps the session open has a reprompt; without one, ask-sdk's empty reprompt, as ever
            builder.ask(reply.reprompt if reply.reprompt is not None else "")
        self._seal()
        return builder.response

    def _seal(self) -> None:
        """Seal the attributes going back for this session and user (the only writer: ``send``, ``hand_over``)."""
        session = self.handler_input.request_envelope.session
        if session is None:
            return
        state = sealed(self.attributes, session.session_id, user_id(self.handler_input), self.sealer)
        self.attributes.clear()
        self.attributes.update(state)

    def hand_over(self, directive: Any) -> Response:
        """The one reply that says nothing: Alexa speaks next, in its own words, and answers the skill later.

        The triage and any offer end here; Alexa's answer is read from the directive's token, not the session.
        """
        self.attributes.pop(OFFER_KEY, None)
        self.attributes.pop(STATE_KEY, None)
        note_reply(self.handler_input, question=None, disposition=None)
        self._seal()
        return self.handler_input.response_builder.add_directive(directive).response
