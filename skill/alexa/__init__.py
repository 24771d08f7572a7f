"""The Alexa adapter: ask-sdk-core handlers, speech, and the Lambda entry point."""
