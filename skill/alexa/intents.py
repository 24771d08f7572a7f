"""The names the interaction model and the handlers share: intents, slots, slot types, offer concepts.

The model itself is generated from the protocol's phrasings (``skill.model.interaction_model``); a
handler never compares an intent or slot name it did not take from here.
"""

from __future__ import annotations

YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"
UNSURE = "UnsureIntent"
SIGN = "SignIntent"  # "I fell off a ladder", "my chest is killing me": a sign is there
NO_SIGN = "NoSignIntent"  # "I don't have a fever", "my legs aren't numb": a sign is not there
EMERGENCY = "EmergencyIntent"  # an emergency said without one of the protocol's signs
DELETE_DATA = "DeleteDataIntent"
HELP = "AMAZON.HelpIntent"
REPEAT = "AMAZON.RepeatIntent"
START_OVER = "AMAZON.StartOverIntent"
PREVIOUS = "AMAZON.PreviousIntent"
STOP = "AMAZON.StopIntent"
CANCEL = "AMAZON.CancelIntent"
NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
FALLBACK = "AMAZON.FallbackIntent"
USER_EVENT = "Alexa.Presentation.APL.UserEvent"  # not an intent: the request a touch on a screen sends

# Custom intents with no slot, each with the key of its samples in a locale's ``understanding``: the model
# generator gives each one an intent of those samples. Adding one: its name here, its samples in the locales,
# one row in the conversation table (docs/architecture.md, "Adding an intent").
PLAIN_INTENTS = {DELETE_DATA: "delete_data"}

SIGN_SLOT = "sign"  # a sign's name: "I have {sign}" (SignIntent), "no {sign}", "I don't have {sign}" (NoSignIntent)
SAID_SLOT = "said"  # SignIntent: a statement, even after a "no" ("no, I can't breathe" still says the sign is there)
DENIED_SLOT = "denied"  # NoSignIntent: a statement said the other way round ("my legs aren't numb")
SIGN_NAME_TYPE = "SIGN_NAME"
SIGN_SAID_TYPE = "SIGN_SAID"
SIGN_DENIED_TYPE = "SIGN_DENIED"

# Statements that answer a memory offer rather than a triage question: (offer kind, yes or no) -> slot value id
OFFER_CONCEPTS = {("follow_up", "yes"): "pain_still_there", ("follow_up", "no"): "pain_gone"}
