"""The AWS side: the SAM template lints, and the built Lambda zip answers on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EMERGENCY_QUESTIONS, ROOT

from skill.local.build import runtime_python, runtime_version
from skill.local.emulator.template import load_template
from skill.local.envelopes import DEFAULT_SKILL_ID, Session

TEMPLATE = load_template(ROOT / "template.yaml")  # short tags in their long forms: {"Ref": ...}
FUNCTION = TEMPLATE["Resources"]["SkillFunction"]["Properties"]


def test_cfn_lint_passes():
    # the cfn-lint that requirements-dev.txt installed next to this interpreter, not any other on PATH
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(ROOT / "template.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_function_is_bound_to_the_skill_id_and_reads_it_from_skill_id():
    assert FUNCTION["Runtime"] in {"python3.12", "python3.13"}
    assert FUNCTION["Events"]["AlexaSkillEvent"] == {"Type": "AlexaSkill",
                                                     "Properties": {"SkillId": {"Ref": "SkillId"}}}
    assert FUNCTION["Environment"]["Variables"]["SKILL_ID"] == {"Ref": "SkillId"}
    assert FUNCTION["Timeout"] < 8  # Alexa waits 8 seconds


def test_handler_named_in_the_template_exists():
    module, function = FUNCTION["Handler"].rsplit(".", 1)
    source = (ROOT / FUNCTION["CodeUri"] / f"{module}.py").read_text()
    assert f"import lambda_handler as {function}" in source
    assert (ROOT / FUNCTION["CodeUri"] / "skill" / "triage" / "machine.py").exists()


SAM = ROOT / ".venv-sam" / "bin" / "sam"  # make install puts the AWS SAM CLI in its own venv


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """One ``sam build`` (which runs the Makefile's build-SkillFunction, i.e. ``python -m skill build``):
    the zip ``make build`` makes, and the folder SAM deploys."""
    assert SAM.exists(), "the AWS SAM CLI is missing: run make install"
    folder = tmp_path_factory.mktemp("build")
    env = {**os.environ, "BUILD_OUT": str(folder / "dist"), "SAM_CLI_TELEMETRY": "0"}
    result = subprocess.run([str(SAM), "build", "--template", str(ROOT / "template.yaml"),
                             "--build-dir", str(folder / "sam")], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "dist" / "lambda.zip", folder / "sam" / "SkillFunction"


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_sam_build_ships_exactly_the_artifact_make_build_makes(built):
    zip_path, sam_folder = built
    with zipfile.ZipFile(zip_path) as archive:
        in_zip = {name: archive.read(name) for name in archive.namelist()}
    shipped = files_in(sam_folder)
    assert shipped.keys() == in_zip.keys()
    assert shipped == in_zip
    assert sum(map(len, shipped.values())) == sum(info.file_size for info in zipfile.ZipFile(zip_path).infolist())
    assert not any(name.startswith(("skill/local/", "skill/web/")) for name in shipped)


@pytest.mark.slow
def test_the_built_zip_answers_a_launch_request_from_a_read_only_folder_compiling_nothing(built, tmp_path):
    """As on Lambda: the runtime's Python, a read-only task root, only what the zip holds, and every module
    the first request needs read from the zip's bytecode instead of compiled on the cold start."""
    zip_path, _ = built
    # bytecode roughly doubles the zip; Lambda's limit is 50 MB zipped. The guard was 5 MB until the sign reader's
    # two tables (0.18 MB zipped, read only when Alexa passes unmatched words) came in.
    assert zip_path.stat().st_size < 5_500_000
    unpacked = tmp_path / "task"
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        archive.extractall(unpacked)
    assert "lambda_function.py" in names and not any(n.startswith("boto3/") for n in names)
    # the protocol arrives proved and compiled, without its sources and the locales' training data
    assert "skill/triage/compiled/protocol.json" in names and "skill/triage/compiled/en-US.json" in names
    assert not any(n.startswith("skill/triage/data/") for n in names)
    for path in unpacked.rglob("*"):
        path.chmod(0o555 if path.is_dir() else 0o444)
    unpacked.chmod(0o555)
    python = runtime_python(runtime_version())
    event = Session(skill_id=DEFAULT_SKILL_ID).launch()
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "import lambda_function;"
        "print(json.dumps(lambda_function.handler(json.loads(sys.argv[2]), None)))"
    )
    # -I -S: no site-packages, no project folder: only what the zip holds (and the standard library);
    # -B: write no bytecode (read-only modes do not stop root); -v: where each module's code object came from
    result = subprocess.run([*python, "-v", "-B", "-I", "-S", "-c", script, str(unpacked), json.dumps(event)],
                            capture_output=True, text=True, timeout=60,
                            env={"SKILL_ID": DEFAULT_SKILL_ID, "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    response = json.loads(result.stdout)
    assert "Back Pain Check: guidance" in response["response"]["outputSpeech"]["ssml"]
    assert response["response"]["shouldEndSession"] is False
    loaded = [line.split("code object from ", 1)[1].strip("'") for line in result.stderr.splitlines()
              if "code object from" in line and str(unpacked) in line]
    assert len(loaded) > 100
    assert [path for path in loaded if not path.endswith(".pyc")] == []


def translated_template() -> dict:
    """The template as CloudFormation will see it, through AWS's own SAM translator (offline)."""
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    class NoManagedPolicies:
        def load(self):
            return {}

    template = yaml_parse((ROOT / "template.yaml").read_text())
    # what sam deploy uploads
    template["Resources"]["SkillFunction"]["Properties"]["CodeUri"] = "s3://bucket/lambda.zip"
    return transform(template, {"SkillId": DEFAULT_SKILL_ID}, NoManagedPolicies())


def test_snapstart_applies_and_alexa_may_invoke_only_the_published_alias(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    resources = translated_template()["Resources"]
    function = resources["SkillFunction"]["Properties"]
    assert function["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    alias = next(name for name, r in resources.items() if r["Type"] == "AWS::Lambda::Alias")
    permissions = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"]
    assert permissions and all(p["FunctionName"] == {"Ref": alias} for p in permissions)
    assert all(p["Principal"] == "alexa-appkit.amazon.com" and p["EventSourceToken"] == {"Ref": "SkillId"}
               for p in permissions)


def _import_handler_in_a_fresh_process(extra_env: dict) -> dict:
    script = ("import sys, json; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import lambda_function;"
              "from skill.store import active_store;"
              "store = active_store();"
              "print(json.dumps({'botocore': 'botocore' in sys.modules,"
              " 'client': getattr(getattr(store, 'store', None), '_client', None) is not None,"
              " 'salt_client': store.salt._client is not None, 'salt_reads': store.salt.reads}))")
    env = {"PATH": "/usr/bin:/bin", "TABLE_NAME": "memory", "AWS_REGION": "us-east-1",
           "USER_KEY_SALT_SECRET": "arn:aws:secretsmanager:us-east-1:123456789012:secret:salt", **extra_env}
    result = subprocess.run([sys.executable, "-c", script, str(ROOT), str(ROOT / "lambda")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_on_demand_cold_start_imports_nothing_that_can_wait():
    assert _import_handler_in_a_fresh_process({}) == {"botocore": False, "client": False, "salt_client": False,
                                                      "salt_reads": 0}


def test_a_snapstart_init_prepares_the_clients_for_the_snapshot_but_never_reads_the_salt_into_it():
    assert _import_handler_in_a_fresh_process({"AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start"}) == {
        "botocore": True, "client": True, "salt_client": True, "salt_reads": 0}


def test_the_launch_and_the_emergency_questions_never_wait_for_botocore_memory_is_read_after_them():
    """The reason a cold launch is fast: only the answer to the last emergency question imports botocore."""
    script = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import lambda_function
from skill.local.envelopes import Session
session, loaded = Session(), []
for make in [session.launch] + [lambda: session.intent("AMAZON.NoIntent")] * int(sys.argv[3]):
    session.absorb(lambda_function.handler(make(), None))
    loaded.append("botocore" in sys.modules)
print(json.dumps(loaded))
"""
    env = {"PATH": "/usr/bin:/bin", "TABLE_NAME": "memory", "AWS_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9"}  # nothing listens: the read fails fast, harmlessly
    answers = str(len(EMERGENCY_QUESTIONS))
    result = subprocess.run([sys.executable, "-c", script, str(ROOT), str(ROOT / "lambda"), answers],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [False] * len(EMERGENCY_QUESTIONS) + [True]
