"""What Alexa's built-in intents accept without samples of ours: the generator leaves these out of its samples,
the chat's resolver and the spotter's builder read them too."""

from __future__ import annotations

# What Alexa's built-in intents accept without samples of ours (a conservative subset of Amazon's list), per
# language.
BUILT_IN_PHRASES_BY_LANGUAGE: dict[str, dict[str, list[str]]] = {
    "en": {
        "AMAZON.YesIntent": ["yes", "yes please", "sure", "ok", "okay", "yeah sure"],
        "AMAZON.NoIntent": ["no", "no thanks", "no thank you", "negative"],
        "AMAZON.HelpIntent": ["help", "what can i say", "i need help"],
        "AMAZON.RepeatIntent": ["repeat", "repeat that", "say it again", "pardon"],
        "AMAZON.StartOverIntent": ["start over", "restart", "start from the beginning"],
        "AMAZON.PreviousIntent": ["previous", "back", "previous question"],
        "AMAZON.StopIntent": ["stop", "shut up", "be quiet", "off"],
        "AMAZON.CancelIntent": ["cancel", "cancel that"],
        "AMAZON.NavigateHomeIntent": ["go home", "exit skill"],
    },
    "es": {
        "AMAZON.YesIntent": ["sí", "sí por favor", "vale", "de acuerdo", "ok", "okey"],
        "AMAZON.NoIntent": ["no", "no gracias", "negativo"],
        "AMAZON.HelpIntent": ["ayuda", "qué puedo decir", "necesito ayuda"],
        "AMAZON.RepeatIntent": ["repite", "repítelo", "otra vez"],
        "AMAZON.StartOverIntent": ["empieza de nuevo", "reinicia", "empieza desde el principio"],
        "AMAZON.PreviousIntent": ["anterior", "atrás", "pregunta anterior"],
        "AMAZON.StopIntent": ["para", "detente", "alto", "cállate", "basta"],
        "AMAZON.CancelIntent": ["cancela", "cancelar"],
        "AMAZON.NavigateHomeIntent": ["ve al inicio", "sal de la skill"],
    },
}
