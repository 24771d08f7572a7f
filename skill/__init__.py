"""Back Pain Check: an Alexa skill that triages upper back pain by voice.

``skill.triage`` is the clinical core; ``skill.alexa`` the Alexa glue;
``skill.local`` the tools for running it on a laptop (chat, envelopes, build).
"""
