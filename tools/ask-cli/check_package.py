"""The skill package checked before ``ask deploy`` uploads it (run by ``tools/ask-cli/deploy``).

ASK CLI 2.30.7 parses ``skill.json`` but zips the interaction models as they are: a model that is not JSON, a
locale listed in the manifest without its model, a model for a locale the manifest does not list, or a property
SMAPI does not know would be refused by SMAPI only after the upload, or deployed half-way. This refuses each of
them first, naming it, with SMAPI's own schemas (``tests/schemas``, written by ``tools/smapi_schema.py``) and the
1,000,000-character limit on a model as sent (``docs/alexa-limits.md``).

    python tools/ask-cli/check_package.py [project folder, default .]

reads the project's ``ask-resources.json`` and checks the ``skillMetadata.src`` of each of its profiles.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema

SCHEMAS = Path(__file__).resolve().parents[2] / "tests" / "schemas"
MAX_MODEL_CHARACTERS = 1_000_000
MODELS = Path("interactionModels") / "custom"


def read_json(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(f"{path}: not readable JSON ({error})")
        return None


def schema_problems(name: str, document: Any, path: Path) -> list[str]:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{path}: {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:5]]


def package_problems(package: Path) -> list[str]:
    """Every reason SMAPI would refuse this package, or deploy it other than as listed; [] when there is none."""
    problems: list[str] = []
    manifest = read_json(package / "skill.json", problems)
    if manifest is not None:
        problems += schema_problems("skill-manifest", manifest, package / "skill.json")
    models = {path.stem: path for path in sorted((package / MODELS).glob("*.json"))}
    for path in models.values():
        text = path.read_text(encoding="utf-8", errors="replace").rstrip("\n")
        if len(text) > MAX_MODEL_CHARACTERS:
            problems.append(f"{path}: {len(text):,} characters, over SMAPI's {MAX_MODEL_CHARACTERS:,}")
        model = read_json(path, problems)
        if model is not None:
            problems += schema_problems("interaction-model", model, path)
    if isinstance(manifest, dict):
        listed = set(manifest.get("manifest", {}).get("publishingInformation", {}).get("locales", {}))
        for locale in sorted(listed - set(models)):
            problems.append(f"{package / MODELS}: no model for {locale}, which skill.json lists")
        for locale in sorted(set(models) - listed):
            problems.append(f"{models[locale]}: {locale} is not among skill.json's publishing locales")
    return problems


def sources(project: Path) -> list[Path]:
    resources = json.loads((project / "ask-resources.json").read_text(encoding="utf-8"))
    return sorted({project / profile["skillMetadata"]["src"] for profile in resources["profiles"].values()})


def main(argv: list[str]) -> int:
    project = Path(argv[0]) if argv else Path(".")
    problems = [problem for package in sources(project) for problem in package_problems(package)]
    if problems:
        print("skill package refused before upload:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    for package in sources(project):
        locales = sorted(path.stem for path in (package / MODELS).glob("*.json"))
        print(f"{package}: skill.json and {len(locales)} interaction models checked ({', '.join(locales)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
