"""The protocol compiled at build (issue 22, item 3): proved once, loaded already proved, one locale at a time;
a stale or altered artifact refuses to load, as a broken protocol does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from skill.triage import compiled as compiled_module
from skill.triage import default_locales, default_protocol
from skill.triage.compiled import Compiled, compile_protocol, is_compiled
from skill.triage.protocol import DEFAULT_LOCALE, ProtocolError

TRIAGE = Path(compiled_module.__file__).resolve().parent


@pytest.fixture
def triage(tmp_path: Path) -> Path:
    """A copy of skill/triage, compiled."""
    copy = tmp_path / "triage"
    shutil.copytree(TRIAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "compiled"))
    compile_protocol(copy)
    return copy


def test_a_checkout_has_no_artifact_and_proves_the_protocol_when_it_loads_it():
    assert not is_compiled(TRIAGE)


def test_the_compiled_protocol_and_locales_are_the_ones_the_proving_loader_gives(triage):
    artifact = Compiled(triage)
    assert artifact.protocol == default_protocol()
    assert set(artifact.locales) == set(default_locales())
    for name, text in default_locales().items():
        loaded = artifact.locale(name)
        assert loaded is not None
        # the same words, and the same emergency spotting; only the generator's phrasings are left out
        assert loaded._replace(questions=text.questions, understanding=text.understanding) == text, name
        assert loaded.understanding.get("own_words") == text.understanding.get("own_words"), name
        for question_id, texts in text.questions.items():
            for key in ("ask", "simple", "help", "reason", "clarify", "spot", "wording_sources"):
                assert loaded.questions[question_id].get(key) == texts.get(key), (name, question_id, key)


def test_a_request_loads_only_its_own_locale(triage):
    artifact = Compiled(triage)
    assert artifact._texts == {}
    artifact.locale("es-US")
    assert list(artifact._texts) == ["es-US"]


def test_a_name_that_is_not_a_compiled_locale_is_never_read_as_a_path(triage):
    artifact = Compiled(triage)
    for name in ("../compiled/protocol", "protocol", "fr-FR", "", "en-US/../en-US"):
        assert artifact.locale(name) is None


@pytest.mark.parametrize("kind", ["locales", "understanding"])
def test_a_changed_source_makes_the_artifact_stale_and_it_refuses_to_load(triage, kind):
    locale = triage / "data" / kind / f"{DEFAULT_LOCALE}.json"
    locale.write_text(locale.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(ProtocolError, match="stale"):
        Compiled(triage)


def test_changed_proving_code_makes_it_stale_too(triage):
    safety = triage / "safety.py"
    safety.write_text(safety.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(ProtocolError, match="stale"):
        Compiled(triage)


@pytest.mark.parametrize("shipped", ["beside its sources", "as deployed, without them"])
@pytest.mark.parametrize("name", ["protocol.json", f"{DEFAULT_LOCALE}.json"])
def test_an_altered_artifact_refuses_to_load(triage, name, shipped):
    if shipped != "beside its sources":
        shutil.rmtree(triage / "data")  # what make build ships: only the compiled files
        assert Compiled(triage).locale(DEFAULT_LOCALE) is not None
    path = triage / "compiled" / name
    digest, _, text = path.read_text(encoding="utf-8").partition("\n")
    body = json.loads(text)
    if name == "protocol.json":
        body["protocol"]["questions"].reverse()  # the emergency questions no longer first
    else:
        body["text"]["emergency_number"] = "000"
    path.write_text(f"{digest}\n{json.dumps(body)}", encoding="utf-8")
    with pytest.raises(ProtocolError, match="altered"):
        Compiled(triage).locale(DEFAULT_LOCALE)


def test_an_artifact_resealed_by_hand_with_other_sources_is_still_stale(triage):
    path = triage / "compiled" / "protocol.json"
    body = json.loads(path.read_text(encoding="utf-8").partition("\n")[2])
    body["sources"] = "0" * 64
    path.write_text(compiled_module.sealed_text(body), encoding="utf-8")
    with pytest.raises(ProtocolError, match="stale"):
        Compiled(triage)


@pytest.mark.parametrize("content", ["", "{}", "0" * 64 + "{}", "not a digest\n{}"])
def test_a_file_without_its_seal_refuses_to_load(triage, content):
    (triage / "compiled" / "protocol.json").write_text(content, encoding="utf-8")
    with pytest.raises(ProtocolError, match="not sealed|altered"):
        Compiled(triage)


def test_an_unsafe_protocol_refuses_to_compile(tmp_path):
    copy = tmp_path / "triage"
    shutil.copytree(TRIAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "compiled"))
    path = copy / "data" / "protocol.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["questions"].reverse()
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ProtocolError):
        compile_protocol(copy)
    assert not is_compiled(copy)


def test_the_function_as_built_loads_the_compiled_protocol_and_answers(tmp_path):
    """What ``python -m skill build`` puts in the zip (sources, then the compiled protocol), run from a folder."""
    import subprocess
    import sys

    from skill.local import build
    from skill.local.envelopes import Session

    build.copy_sources(tmp_path)
    compile_protocol(tmp_path / "skill" / "triage")
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "import lambda_function; from skill.triage import compiled_artifact, locale_text;"
        "response = lambda_function.handler(json.loads(sys.argv[2]), None);"
        "artifact = compiled_artifact();"
        "print(json.dumps({'compiled': artifact is not None, 'loaded': sorted(artifact._texts),"
        " 'speech': response['response']['outputSpeech']['ssml']}))"
    )
    event = Session(locale="es-US").launch()
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path), json.dumps(event)],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    assert answer["compiled"] is True
    assert answer["loaded"] == ["es-US"]  # the request's locale only
    assert answer["speech"].startswith("<speak>Chequeo de Espalda")
