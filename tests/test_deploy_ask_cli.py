"""``ask deploy`` as docs/deploy.md runs it: the real ASK CLI (tools/ask-cli, 2.30.7) against a stand-in for SMAPI
and Login with Amazon on 127.0.0.1, so what it uploads and what it keeps are checked offline.

The stand-in answers the calls ask-cli 2.30.7 makes for a project whose ask-resources.json has only
``skillMetadata`` (its dist/lib/controllers/skill-metadata-controller and commands/deploy), as SMAPI's Skill
Package Management reference describes them: POST /v1/skills/uploads (an upload URL), PUT of the zip to that URL,
POST /v1/skills/imports (create, with the vendor id) or /v1/skills/{skillId}/imports (update), GET
/v1/skills/imports/{importId} until it is no longer IN_PROGRESS, then, without ``--target``, the development
stage's enablement (GET, 404 when not enabled, then PUT). Like SMAPI it refuses a package whose files are not
JSON, after the upload. The profile is a ``~/.ask/cli_config`` in a throwaway HOME with an expired token, so
ask-cli first refreshes it at the stand-in's LWA (``ASK_LWA_TOKEN_HOST``); SMAPI calls must carry the new one.
The environment-variable profile (``ASK_ACCESS_TOKEN`` ...) is not used: ask-cli 2.30.7 then sends telemetry to
Amazon whatever ``ASK_SHARE_USAGE`` says, and wants AWS keys. Any request for another host goes to the stand-in
as a proxy and is recorded, so a test fails if ask deploy reaches beyond it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT

from skill.local import skill_package

ASK_CLI = ROOT / "tools" / "ask-cli"
ASK = ASK_CLI / "node_modules" / ".bin" / "ask"
DEPLOY = ASK_CLI / "deploy"  # our check, then ask deploy
PACKAGE = ROOT / "skill-package"
SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-000000000020"
VENDOR_ID = "M2FAKEVENDOR20"
FRESH_TOKEN = "Atza|fresh-from-the-stand-in"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:back-pain-check-SkillFunction-abc:live"

needs_ask = pytest.mark.skipif(
    shutil.which("node") is None or not ASK.exists(),
    reason="needs node and the ASK CLI in tools/ask-cli/node_modules: run make node-install (needs npm)")


@dataclass
class Smapi:
    """What the stand-in was asked, in order, and the zips it was given."""
    url: str = ""
    in_progress_polls: int = 0  # how many times an import reports IN_PROGRESS before its outcome
    calls: list[tuple[str, str]] = field(default_factory=list)
    uploads: list[bytes] = field(default_factory=list)
    imports: list[dict] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    elsewhere: list[str] = field(default_factory=list)  # requests meant for any other host
    enabled: bool = False


def import_status(smapi: Smapi, polls: int) -> dict:
    """SMAPI's GetImportStatus body: IN_PROGRESS, then SUCCEEDED with the skill id, or FAILED naming the file."""
    if polls < smapi.in_progress_polls:
        return {"status": "IN_PROGRESS", "skill": {"resources": []}}
    errors = []
    with zipfile.ZipFile(io.BytesIO(smapi.uploads[-1])) as archive:
        for name in (name for name in archive.namelist() if not name.endswith("/")):  # folders have entries
            try:
                json.loads(archive.read(name))
            except ValueError as error:
                errors.append({"message": f"{name} is not valid JSON: {error}"})
    resources = [{"name": "Manifest", "action": "CREATE", "status": "FAILED" if errors else "SUCCEEDED",
                  "errors": errors, "warnings": []}]
    return {"status": "FAILED" if errors else "SUCCEEDED", "warnings": [],
            "skill": {"skillId": SKILL_ID, "eTag": "1", "resources": resources}}


def handler(smapi: Smapi) -> type[BaseHTTPRequestHandler]:
    polls: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def answer(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length", 0)))

        def handle_one(self) -> None:
            path = self.path
            if not path.startswith("/") or self.command == "CONNECT":  # a proxy request: ask went elsewhere
                smapi.elsewhere.append(f"{self.command} {path}")
                return self.answer(502, {"message": "offline"})
            smapi.calls.append((self.command, path))
            payload = self.body()
            if path == "/auth/o2/token":
                form = json.loads(payload)
                assert form["grant_type"] == "refresh_token" and form["refresh_token"] == "Atzr|kept", form
                return self.answer(200, {"access_token": FRESH_TOKEN, "refresh_token": "Atzr|kept",
                                         "token_type": "bearer", "expires_in": 3600})
            if path.startswith("/upload/"):  # the presigned S3 URL: no SMAPI token
                smapi.uploads.append(payload)
                return self.answer(200)
            smapi.tokens.add(self.headers.get("authorization", ""))
            if self.headers.get("authorization") != FRESH_TOKEN:
                return self.answer(401, {"message": "Token is invalid/expired"})
            if (self.command, path) == ("POST", "/v1/skills/uploads"):
                return self.answer(201, {"uploadUrl": f"{smapi.url}/upload/{len(smapi.uploads)}",
                                         "expiresAt": "2030-01-01T00:00:00.000Z"})
            if self.command == "POST" and path in ("/v1/skills/imports", f"/v1/skills/{SKILL_ID}/imports"):
                smapi.imports.append({"path": path, **json.loads(payload)})
                import_id = f"amzn1.ask-package.import.{len(smapi.imports)}"
                return self.answer(202, None, {"Location": f"/v1/skills/imports/{import_id}"})
            if self.command == "GET" and path.startswith("/v1/skills/imports/"):
                polls[path] = polls.get(path, -1) + 1
                return self.answer(200, import_status(smapi, polls[path]))
            if path == f"/v1/skills/{SKILL_ID}/stages/development/enablement":
                if self.command == "PUT":
                    smapi.enabled = True
                    return self.answer(204)
                if smapi.enabled:
                    return self.answer(204)
                return self.answer(404, {"message": "Enablement not found"})
            return self.answer(404, {"message": f"the stand-in does not know {self.command} {path}"})

        do_GET = do_POST = do_PUT = do_DELETE = do_CONNECT = handle_one

    return Handler


@pytest.fixture
def smapi() -> Iterator[Smapi]:
    state = Smapi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project's ask-resources.json and skill-package/, copied, so ask's .ask/ state stays out of the repo."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(ROOT / "ask-resources.json", folder)
    shutil.copytree(PACKAGE, folder / "skill-package")
    home = tmp_path / "home" / ".ask"
    home.mkdir(parents=True)
    token = {"access_token": "Atza|expired", "refresh_token": "Atzr|kept", "token_type": "bearer",
             "expires_in": 3600, "expires_at": "2020-01-01T00:00:00.000Z"}
    (home / "cli_config").write_text(json.dumps(
        {"share_usage": False, "profiles": {"default": {"token": token, "vendor_id": VENDOR_ID}}}))
    return folder


def run(command: list[str], project: Path, smapi: Smapi) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "HOME": str(project.parent / "home"), "LANG": "C.UTF-8",
           "ASK_SMAPI_SERVER_BASE_URL": smapi.url, "ASK_LWA_TOKEN_HOST": smapi.url,
           "ASK_SHARE_USAGE": "false", "ASK_SKIP_NEW_VERSION_REMINDER": "true",
           # anything not for the stand-in is sent to it as a proxy, and recorded
           "HTTP_PROXY": smapi.url, "HTTPS_PROXY": smapi.url, "NO_PROXY": "127.0.0.1"}
    return subprocess.run(command, cwd=project, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=180)


def uploaded_files(smapi: Smapi) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(smapi.uploads[-1])) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}


def committed_files() -> dict[str, bytes]:
    return {path.relative_to(PACKAGE).as_posix(): path.read_bytes()
            for path in sorted(PACKAGE.rglob("*")) if path.is_file()}


def skill_id_kept(project: Path) -> str | None:
    states = json.loads((project / ".ask" / "ask-states.json").read_text())
    return states["profiles"]["default"].get("skillId")


@needs_ask
def test_the_first_deploy_creates_the_skill_from_the_committed_package_byte_for_byte(project, smapi):
    """docs/deploy.md's first step, before the function exists: the skill is created and its id kept for SAM."""
    smapi.in_progress_polls = 1
    result = run([str(DEPLOY), "--target", "skill-metadata"], project, smapi)
    said = result.stdout + result.stderr
    assert result.returncode == 0, said
    assert [call for call in smapi.calls if not call[1].startswith("/upload/")] == [
        ("POST", "/auth/o2/token"), ("POST", "/v1/skills/uploads"), ("POST", "/v1/skills/imports"),
        ("GET", "/v1/skills/imports/amzn1.ask-package.import.1"),
        ("GET", "/v1/skills/imports/amzn1.ask-package.import.1")]
    assert len(smapi.uploads) == 1 and smapi.tokens == {FRESH_TOKEN}
    committed = committed_files()
    assert sorted(committed) == ["interactionModels/custom/" + f"{locale}.json" for locale in (
        "en-AU", "en-CA", "en-GB", "en-IN", "en-US", "es-ES", "es-MX", "es-US")] + ["skill.json"]
    assert uploaded_files(smapi) == committed
    assert smapi.imports == [{"path": "/v1/skills/imports", "vendorId": VENDOR_ID, "location": f"{smapi.url}/upload/0"}]
    assert skill_id_kept(project) == SKILL_ID and SKILL_ID in said
    assert not smapi.enabled  # no endpoint yet: --target skips the enablement
    assert smapi.elsewhere == []


@needs_ask
def test_the_deploy_with_the_endpoint_updates_that_skill_and_enables_it(project, smapi):
    """The last step: the package written with the stack's ARN goes to the skill id kept by the first deploy."""
    (project / ".ask").mkdir()
    (project / ".ask" / "ask-states.json").write_text(json.dumps(
        {"askcliStatesVersion": "2020-03-31", "profiles": {"default": {"skillId": SKILL_ID}}}))
    skill_package.main(ARN, str(project / "skill-package"))
    result = run([str(DEPLOY)], project, smapi)
    assert result.returncode == 0, result.stdout + result.stderr
    assert smapi.imports == [{"path": f"/v1/skills/{SKILL_ID}/imports", "location": f"{smapi.url}/upload/0"}]
    uploaded, committed = uploaded_files(smapi), committed_files()
    assert uploaded.keys() == committed.keys()
    assert all(uploaded[name] == committed[name] for name in committed if name != "skill.json")
    manifest = json.loads(uploaded["skill.json"])
    assert manifest["manifest"]["apis"]["custom"].pop("endpoint") == {"uri": ARN}
    assert manifest == json.loads(committed["skill.json"])
    assert smapi.enabled and smapi.calls[-2:] == [
        ("GET", f"/v1/skills/{SKILL_ID}/stages/development/enablement"),
        ("PUT", f"/v1/skills/{SKILL_ID}/stages/development/enablement")]
    assert skill_id_kept(project) == SKILL_ID and smapi.elsewhere == []


def break_json(package: Path) -> str:
    (package / "interactionModels" / "custom" / "es-MX.json").write_text('{"interactionModel": {', encoding="utf-8")
    return "es-MX.json: not readable JSON"


def drop_a_listed_model(package: Path) -> str:
    (package / "interactionModels" / "custom" / "en-IN.json").unlink()
    return "no model for en-IN, which skill.json lists"


def unlist_a_model(package: Path) -> str:
    manifest = json.loads((package / "skill.json").read_text())
    del manifest["manifest"]["publishingInformation"]["locales"]["en-GB"]
    (package / "skill.json").write_text(json.dumps(manifest))
    return "en-GB is not among skill.json's publishing locales"


def misspell_a_property(package: Path) -> str:
    path = package / "interactionModels" / "custom" / "en-US.json"
    path.write_text(path.read_text().replace('"invocationName"', '"invocationname"', 1))
    return "'invocationname' was unexpected"


def oversize_a_model(package: Path) -> str:
    path = package / "interactionModels" / "custom" / "es-US.json"
    model = json.loads(path.read_text())
    model["interactionModel"]["languageModel"]["intents"][0]["samples"] += [f"muestra {n}" for n in range(40_000)]
    path.write_text(json.dumps(model, separators=(",", ":")))
    return "characters, over SMAPI's 1,000,000"


@pytest.mark.parametrize("breakage", [break_json, drop_a_listed_model, unlist_a_model, misspell_a_property,
                                      oversize_a_model])
def test_a_broken_package_is_refused_before_anything_is_sent(project, smapi, breakage):
    """Our check (tools/ask-cli/check_package.py) runs first: nothing reaches SMAPI, and the message names it.
    Needs no node: the check stops the deploy before ask starts."""
    expected = breakage(project / "skill-package")
    result = run([str(DEPLOY), "--target", "skill-metadata"], project, smapi)
    assert result.returncode == 1
    assert "skill package refused before upload" in result.stderr and expected in result.stderr, result.stderr
    assert smapi.calls == [] and smapi.elsewhere == []
    assert not (project / ".ask").exists()


def test_the_committed_package_passes_the_check():
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), str(ASK_CLI / "check_package.py"), str(ROOT)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "skill.json and 8 interaction models checked" in result.stdout


@needs_ask
def test_ask_cli_alone_uploads_a_model_that_is_not_json(project, smapi):
    """Why the check exists: ask-cli 2.30.7 zips and uploads the broken model; only SMAPI refuses it, after."""
    break_json(project / "skill-package")
    result = run([str(ASK), "deploy", "--target", "skill-metadata"], project, smapi)
    assert result.returncode == 1
    assert len(smapi.uploads) == 1 and uploaded_files(smapi)["interactionModels/custom/es-MX.json"].startswith(b"{")
    assert "es-MX.json is not valid JSON" in result.stdout + result.stderr
    assert skill_id_kept(project) is None and smapi.elsewhere == []


@needs_ask
def test_ask_cli_itself_refuses_a_manifest_that_is_not_json(project, smapi):
    """The one thing ask-cli 2.30.7 checks before sending anything: it parses skill.json."""
    (project / "skill-package" / "skill.json").write_text('{"manifest": {', encoding="utf-8")
    result = run([str(ASK), "deploy", "--target", "skill-metadata"], project, smapi)
    said = result.stdout + result.stderr
    assert result.returncode == 1 and "Failed to parse JSON file skill-package/skill.json" in said, said
    assert smapi.calls == [] and smapi.elsewhere == []
