"""``python -m skill package``: the ASK CLI skill package, assembled from the project's data.

Writes ``skill-package/skill.json`` (the manifest: publishing information per
locale from the locale files, privacy and compliance answers, the APL
interface, the reminders permission) and ``skill-package/interactionModels/custom/<locale>.json`` (copies
of ``interaction_models/``, minified: the form Alexa's limits count, see docs/alexa-limits.md).
The committed package has no endpoint; at deploy,
``--endpoint`` fills in the Lambda ARN from the SAM stack output (see docs/deploy.md).
A test fails when the committed package differs from what this generates.
"""

from __future__ import annotations

import json
from pathlib import Path

from skill.model.interaction_model import minified
from skill.triage import default_locales

# Alexa asks the person for each (by voice, or with a card); the skill's reminder offer needs this one.
PERMISSIONS = ("alexa::alerts:reminders:skill:readwrite",)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "skill-package"
MODELS_DIR = ROOT / "interaction_models"
DISTRIBUTION = {"en-US": "US", "en-CA": "CA", "en-GB": "GB", "en-AU": "AU", "en-IN": "IN", "es-US": "US", "es-MX": "MX",
                "es-ES": "ES"}


def manifest(endpoint: str | None = None) -> dict:
    locales = default_locales()
    publishing = {}
    for name in sorted(locales):
        raw = locales[name].publishing
        publishing[name] = {
            "name": locales[name].skill_name,
            "summary": raw["summary"],
            "description": raw["description"],
            "examplePhrases": list(raw["example_phrases"]),
            "keywords": list(raw["keywords"]),
        }
    en_us = locales["en-US"].publishing
    custom: dict = {"interfaces": [{"type": "ALEXA_PRESENTATION_APL", "supportedViewports": [
        {"mode": "HUB", "shape": "RECTANGLE", "minWidth": 480, "maxWidth": 1920, "minHeight": 480, "maxHeight": 1280},
        {"mode": "HUB", "shape": "ROUND", "minWidth": 480, "maxWidth": 480, "minHeight": 480, "maxHeight": 480},
        {"mode": "TV", "shape": "RECTANGLE", "minWidth": 960, "maxWidth": 960, "minHeight": 540, "maxHeight": 540},
    ]}]}
    if endpoint:
        custom["endpoint"] = {"uri": endpoint}
    return {"manifest": {
        "manifestVersion": "1.0",
        "publishingInformation": {
            "locales": publishing,
            "isAvailableWorldwide": False,
            "distributionCountries": sorted({DISTRIBUTION[n] for n in locales if n in DISTRIBUTION}),
            "category": "HEALTH_AND_FITNESS",
            "testingInstructions": en_us["testing_instructions"],
            "automaticDistribution": {"isActive": False},
        },
        "privacyAndCompliance": {
            "allowsPurchases": False,
            # The follow-up, stored only on the person's yes, is health-related data tied to an account.
            "usesPersonalInfo": True,
            "isChildDirected": False,
            "isExportCompliant": True,
            "containsAds": False,
        },
        "apis": {"custom": custom},
        "permissions": [{"name": name} for name in PERMISSIONS],
    }}


# Left for a person to supply before certification: they are the publisher's, not the code's.
NEEDED_FROM_A_PERSON = (
    "smallIconUri and largeIconUri (108x108 and 512x512 PNG) for each locale",
    "privacyPolicyUrl (required: usesPersonalInfo is true) and termsOfUseUrl for each locale",
)


def interaction_models() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(MODELS_DIR.glob("*.json"))}


def files(endpoint: str | None = None) -> dict[Path, str]:
    """Every file of the package, path relative to skill-package/ -> text."""
    out = {Path("skill.json"): json.dumps(manifest(endpoint), indent=2) + "\n"}
    for name, model in interaction_models().items():
        # minified, as Alexa takes it: SMAPI refuses a model definition longer than 1,000,000 characters
        out[Path("interactionModels") / "custom" / f"{name}.json"] = minified(model) + "\n"
    return out


def main(endpoint: str | None = None, out: str | None = None) -> int:
    target = Path(out) if out else PACKAGE_DIR
    for relative, text in files(endpoint).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote the skill package to {target}" + (f" with endpoint {endpoint}" if endpoint else " (no endpoint)"))
    return 0
