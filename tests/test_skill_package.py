"""The ASK CLI skill package: in sync with the models and locale data, and fit for certification."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import jsonschema
import pytest
from conftest import ROOT

from skill.local.nlu import FALLBACK, LAUNCH, ONE_SHOT, OPENERS, Resolver
from skill.local.skill_package import PACKAGE_DIR, files, manifest
from skill.triage import default_locales

MANIFEST = manifest()["manifest"]
LOCALES = sorted(MANIFEST["publishingInformation"]["locales"])
# What the listing must say, per language: the name, that it is no substitute for advice, and whom to call.
LISTING_WORDS = {
    "en": ("Back Pain Check", "not a substitute for professional medical advice", "call your local emergency number"),
    "es": ("Chequeo de Espalda", "No sustituye el consejo médico profesional",
           "llame a su número local de emergencias"),
}


def test_committed_package_matches_what_the_data_generates():
    for relative, text in files().items():
        path = PACKAGE_DIR / relative
        assert path.exists() and path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run `python -m skill package` and commit it")
    committed = {p.relative_to(PACKAGE_DIR) for p in PACKAGE_DIR.rglob("*.json")}
    assert committed == set(files())


def test_publishing_information_for_every_locale_has_the_disclaimer_and_fits_the_limits():
    for locale in LOCALES:
        listing = MANIFEST["publishingInformation"]["locales"][locale]
        name, not_a_substitute, call = LISTING_WORDS[locale.split("-")[0]]
        assert listing["name"] == name
        assert 0 < len(listing["summary"]) <= 160
        assert 0 < len(listing["description"]) <= 4000
        assert not_a_substitute in listing["description"]
        assert call in listing["description"]
        assert 1 <= len(listing["keywords"]) <= 30
        assert 1 <= len(listing["examplePhrases"]) <= 3
        assert "%" not in listing["description"]
    countries = MANIFEST["publishingInformation"]["distributionCountries"]
    assert sorted(countries) == ["AU", "CA", "ES", "GB", "IN", "MX", "US"]
    assert MANIFEST["publishingInformation"]["category"] == "HEALTH_AND_FITNESS"


@pytest.mark.parametrize("locale", LOCALES)
def test_example_phrases_really_work_against_that_locales_model(locale):
    model = json.loads((ROOT / "interaction_models" / f"{locale}.json").read_text())
    invocation = model["interactionModel"]["languageModel"]["invocationName"]
    resolver = Resolver.for_locale(locale)
    understanding = default_locales()[locale].understanding
    openers = "|".join(understanding.get("openers", OPENERS))
    one_shot = "|".join(understanding.get("one_shot", ONE_SHOT))
    phrases = MANIFEST["publishingInformation"]["locales"][locale]["examplePhrases"]
    assert re.fullmatch(rf"Alexa, (?:{openers}) {invocation}", phrases[0]), phrases[0]
    assert resolver.resolve(phrases[0]).name == LAUNCH
    for phrase in phrases[1:]:
        assert re.fullmatch(rf"Alexa, (?:{one_shot}) {invocation} (?:to |que )?(.+)", phrase), phrase
        assert resolver.resolve(phrase).name not in (FALLBACK, LAUNCH), phrase  # a sample of the model


def test_manifest_declares_apl_and_privacy_answers():
    custom = MANIFEST["apis"]["custom"]
    assert {"type": "ALEXA_PRESENTATION_APL"}.items() <= custom["interfaces"][0].items()
    assert "endpoint" not in custom  # filled in at deploy
    privacy = MANIFEST["privacyAndCompliance"]
    assert privacy["allowsPurchases"] is False and privacy["containsAds"] is False
    assert privacy["isChildDirected"] is False and privacy["usesPersonalInfo"] is True


def test_package_command_fills_the_endpoint_from_the_stack_output(tmp_path):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:back-pain-check-SkillFunction-abc"
    subprocess.run([sys.executable, "-m", "skill", "package", "--endpoint", arn, "--out", str(tmp_path)],
                   cwd=ROOT, check=True, capture_output=True)
    written = json.loads((tmp_path / "skill.json").read_text())
    assert written["manifest"]["apis"]["custom"]["endpoint"] == {"uri": arn}
    assert (tmp_path / "interactionModels" / "custom" / "en-GB.json").exists()


def test_ask_cli_project_deploys_the_generated_package_only():
    resources = json.loads((ROOT / "ask-resources.json").read_text())
    profile = resources["profiles"]["default"]
    assert profile["skillMetadata"]["src"] == "./skill-package"
    assert "skillInfrastructure" not in profile  # the function is deployed by SAM, not by the ASK CLI


SCHEMAS = ROOT / "tests" / "schemas"  # SMAPI's own model as JSON Schema: tools/smapi_schema.py, docs/alexa-limits.md


def validator(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert "ask-smapi-model" in schema["$comment"]  # where it came from
    return jsonschema.Draft7Validator(schema)


def test_the_package_validates_against_smapis_manifest_and_interaction_model_schemas():
    manifest_schema, model_schema = validator("skill-manifest"), validator("interaction-model")
    assert [e.message for e in manifest_schema.iter_errors(manifest("arn:aws:lambda:us-east-1:1:function:f"))] == []
    models = sorted((PACKAGE_DIR / "interactionModels" / "custom").glob("*.json"))
    assert [p.stem for p in models] == LOCALES
    for path in models:
        assert [e.message for e in model_schema.iter_errors(json.loads(path.read_text(encoding="utf-8")))] == [], path


def test_the_schemas_refuse_what_smapi_would_not_take():
    wrong = {"manifest": {"publishingInformation": {"locales": {"en-US": {"nmae": "Back Pain Check"}}}}}
    assert [e.message for e in validator("skill-manifest").iter_errors(wrong)] == [
        "Additional properties are not allowed ('nmae' was unexpected)"]
    wrong = {"interactionModel": {"languageModel": {"invocationName": 3, "intents": [{"name": "X", "sample": []}]}}}
    assert sorted(e.message for e in validator("interaction-model").iter_errors(wrong)) == [
        "3 is not of type 'string'", "Additional properties are not allowed ('sample' was unexpected)"]


def test_the_packaged_models_are_minified_and_within_smapis_million_characters():
    for path in (PACKAGE_DIR / "interactionModels" / "custom").glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "\n" not in text.rstrip("\n") and len(text.rstrip("\n")) <= 1_000_000, path
