"""The interaction-model generator: each locale's model, the deployed contract whose slot-value ids the skill trusts.

Beside the skill, not among the laptop tools: ``python -m skill model`` writes ``interaction_models/`` from the
protocol's phrasings (``interaction_model``); ``built_in`` holds what Alexa's built-in intents accept without
samples of ours. Not shipped in the Lambda function, which only reads what the models' ids name.
"""
