"""The verified web endpoint, through werkzeug's real server on 127.0.0.1, signed by a throwaway "Alexa".

Only verified Alexa requests get in: a signed conversation works end to end;
every forgery a certification run sends is refused with a 400 that carries no
triage content, for the reason it was forged (read from the server's log).
"""

from __future__ import annotations

import http.client
import json
import logging
import posixpath
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote, urlparse

import pytest
from conftest import AFTER_MID, check_response_shape, mid_triage, speech_text

from skill.local.envelopes import DEFAULT_SKILL_ID, Session
from skill.local.local_server import serving
from skill.web.app import EXTENSION, create_app
from skill.web.fake_alexa import CERT_URL_PREFIX, FORGERIES, GOOD, FakeAlexa, forged, post
from skill.web.verification import AlexaRequestVerifier, directory_cert_fetcher, load_trust_roots

REFUSAL = {"error": "Bad Request", "status": 400}

# Why each forgery is refused, as the verifier says it (the SDK's words or ours).
REASONS = {
    "unsigned": "Missing Signature/Certificate",
    "no-signature": "Missing Signature/Certificate",
    "bad-signature": "Request body is not valid",
    "garbage-signature": "request signature could not be checked",
    "http-cert-url": "invalid protocol",
    "wrong-host-cert-url": "invalid hostname",
    "wrong-path-cert-url": "invalid path",
    "dotdot-cert-url": "invalid path",
    "encoded-dotdot-cert-url": "invalid path",
    "double-encoded-cert-url": "has an ambiguous path",
    "wrong-port-cert-url": "invalid port",
    "expired-cert": "certificate chain is not valid (PathValidationError)",
    "wrong-name-cert": "echo-api.amazon.com missing in signing certificate",
    "untrusted-cert": "certificate chain is not valid (PathBuildingError)",
    "old-timestamp": "Timestamp verification failed",
    "future-timestamp": "Timestamp verification failed",
    "other-skill": "request is for another skill",
    "not-utf8": "request body is not UTF-8",
    "not-json": "request body is not a readable Alexa request",
}


class Endpoint:
    def __init__(self, url: str, fake: FakeAlexa, fetched: list[str], app):
        self.url, self.fake, self.fetched, self.app = url, fake, fetched, app

    def send_signed(self, envelope: dict) -> tuple[int, dict | None]:
        body = json.dumps(envelope).encode("utf-8")
        return post(self.url, body, self.fake.headers(body))


class WebConversation:
    """A person talking to the skill through the signed HTTPS endpoint, one Alexa session."""

    def __init__(self, endpoint: Endpoint):
        self.endpoint, self.session, self.last = endpoint, Session(), None

    def send(self, envelope: dict) -> dict:
        status, reply = self.endpoint.send_signed(envelope)
        assert status == 200, reply
        check_response_shape(reply)
        self.session.absorb(reply)
        self.last = reply
        return reply

    @property
    def speech(self) -> str:
        return speech_text(self.last)


@pytest.fixture(scope="module")
def fake_alexa(tmp_path_factory):
    return FakeAlexa.create(tmp_path_factory.mktemp("fake-alexa"))


@pytest.fixture(scope="module")
def endpoint(fake_alexa):
    fetched: list[str] = []
    from_directory = directory_cert_fetcher(fake_alexa.directory)

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return from_directory(url)

    app = create_app(skill_id=DEFAULT_SKILL_ID, trust_roots=load_trust_roots(fake_alexa.ca_file), cert_fetcher=fetch)
    with serving(app) as url:
        yield Endpoint(url, fake_alexa, fetched, app)


def refusal_reasons(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("refused a request: ")]


def test_a_signed_launch_request_gets_the_greeting_and_the_first_emergency_question(endpoint, en_us):
    conversation = WebConversation(endpoint)
    conversation.send(conversation.session.launch())
    assert conversation.speech.startswith("Back Pain Check: guidance, not a diagnosis.")
    assert conversation.speech.endswith(en_us.questions["heart_pain"]["ask"])
    assert conversation.last["sessionAttributes"]["triage"]["q"] == "heart_pain"


def test_a_whole_signed_conversation_with_no_red_flags_ends_in_self_care(endpoint, protocol):
    conversation = WebConversation(endpoint)
    conversation.send(conversation.session.launch())
    turns = 0
    while not conversation.session.ended:
        turns += 1
        conversation.send(conversation.session.intent("AMAZON.NoIntent"))
    assert turns == len(protocol.universal)
    assert conversation.last["sessionAttributes"]["disposition"] == "self_care"
    assert "call 911 right away" in conversation.speech


def test_saying_i_have_chest_pain_mid_conversation_gets_the_emergency_instruction_at_once(endpoint):
    conversation = WebConversation(endpoint)
    conversation.send(conversation.session.launch())
    conversation.send(conversation.session.intent("AMAZON.NoIntent"))
    conversation.send(conversation.session.intent("EmergencyIntent"))
    assert conversation.speech.startswith("Call 911 now.")
    assert conversation.session.ended


@pytest.mark.parametrize("kind", FORGERIES)
def test_every_forged_request_is_refused_with_400_no_triage_content_and_for_its_reason(endpoint, caplog, kind):
    caplog.set_level(logging.WARNING)
    envelope = Session().launch()
    other = Session(skill_id="amzn1.ask.skill.someone-else").launch()
    body, headers = forged(endpoint.fake, kind, envelope, other_skill_envelope=other)
    status, reply = post(endpoint.url, body, headers)
    assert (status, reply) == (400, REFUSAL)
    assert REASONS[kind] in refusal_reasons(caplog)[-1]
    refusal_logs = [r for r in caplog.records if r.name == "skill.web.app"]
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in refusal_logs)  # one line, no traceback
    assert all(b"LaunchRequest" not in r.getMessage().encode() for r in refusal_logs)  # nothing from the body


def test_the_same_request_signed_properly_is_accepted_so_the_refusals_are_not_a_broken_setup(endpoint):
    body, headers = forged(endpoint.fake, "none", Session().launch())
    status, reply = post(endpoint.url, body, headers)
    assert status == 200 and "Back Pain Check: guidance" in speech_text(reply)


def test_a_timestamp_within_150_seconds_is_accepted(endpoint):
    envelope = Session().launch()
    envelope["request"]["timestamp"] = (datetime.now(timezone.utc) - timedelta(seconds=100)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    status, _reply = endpoint.send_signed(envelope)
    assert status == 200


def test_no_certificate_is_fetched_from_anywhere_but_amazons_echo_api_path(endpoint):
    for kind in ("wrong-host-cert-url", "http-cert-url", "wrong-port-cert-url", "dotdot-cert-url",
                 "encoded-dotdot-cert-url", "double-encoded-cert-url"):
        body, headers = forged(endpoint.fake, kind, Session().launch())
        post(endpoint.url, body, headers)
    assert endpoint.fetched
    for url in endpoint.fetched:  # read as a server would read it: decoded, dot segments resolved
        assert posixpath.normpath(unquote(urlparse(url).path)).startswith("/echo.api/"), url


def test_a_certificate_url_is_fetched_in_the_form_it_was_checked_in(endpoint):
    """Alexa's own example of a valid URL: host in capitals, port 443, a dot segment that stays inside."""
    url = "https://S3.AMAZONAWS.COM:443/echo.api/../echo.api/" + GOOD
    body = json.dumps(Session().launch()).encode("utf-8")
    before = len(endpoint.fetched)
    status, reply = post(endpoint.url, body, endpoint.fake.headers(body, url=url))
    assert status == 200 and "Back Pain Check: guidance" in speech_text(reply)
    # fetched as https://s3.amazonaws.com/echo.api/<file>, or served from the cache under that same URL
    assert endpoint.fetched[before:] in ([], [CERT_URL_PREFIX + GOOD])


def test_a_certificate_chain_is_downloaded_once_then_served_from_the_cache(endpoint):
    for _ in range(3):
        status, _reply = endpoint.send_signed(Session().launch())
        assert status == 200
    assert endpoint.fetched.count(CERT_URL_PREFIX + GOOD) == 1


def test_a_good_chain_is_path_validated_once_while_every_request_is_still_signature_checked(endpoint):
    (signature_check,) = [v for v in endpoint.app.extensions[EXTENSION]["verifiers"]
                          if isinstance(v, AlexaRequestVerifier)]
    assert endpoint.send_signed(Session().launch())[0] == 200
    validations = signature_check.path_validations
    for _ in range(3):
        assert endpoint.send_signed(Session().launch())[0] == 200
    assert signature_check.path_validations == validations >= 1
    body, headers = forged(endpoint.fake, "bad-signature", Session().launch())
    assert post(endpoint.url, body, headers)[0] == 400


def test_a_body_over_the_limit_gets_413_even_when_signed(endpoint):
    envelope = Session().launch()
    envelope["session"]["attributes"] = {"padding": "x" * 200_000}
    status, reply = endpoint.send_signed(envelope)
    assert status == 413
    assert "response" not in (reply or {})


def test_a_chunked_body_over_the_limit_gets_413(endpoint):
    url = urlparse(endpoint.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        chunks = (b"x" * 16_384 for _ in range(16))  # 256 KB, no Content-Length
        connection.request("POST", url.path, body=chunks, headers={"Content-Type": "application/json"},
                           encode_chunked=True)
        assert connection.getresponse().status == 413
    finally:
        connection.close()


def test_get_is_405(endpoint):
    url = urlparse(endpoint.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request("GET", url.path)
        response = connection.getresponse()
        assert response.status == 405
        assert "POST" in response.getheader("Allow")
    finally:
        connection.close()


def test_without_verification_unsigned_requests_are_served_but_other_skills_are_still_refused():
    """``create_app(verify=False)``: for local tools; the SDK's skill-id 500 still becomes a 400."""
    app = create_app(skill_id=DEFAULT_SKILL_ID, verify=False)
    with serving(app) as url:
        body = json.dumps(Session().launch()).encode()
        status, reply = post(url, body, {"Content-Type": "application/json"})
        assert status == 200 and "Back Pain Check: guidance" in speech_text(reply)
        other = json.dumps(Session(skill_id="amzn1.ask.skill.someone-else").launch()).encode()
        assert post(url, other, {"Content-Type": "application/json"}) == (400, REFUSAL)


@pytest.mark.parametrize("body", [b"null", b"{}", b"[]", b'"LaunchRequest"', b'{"version": "1.0", "request": null}',
                                  b'{"version": "1.0", "request": {"type": "NoSuchRequest"}}', b""])
def test_json_that_is_not_an_alexa_request_is_refused_not_crashed_on_even_unverified(body):
    with serving(create_app(verify=False)) as url:
        assert post(url, body, {"Content-Type": "application/json"}) == (400, REFUSAL)


def test_a_body_that_is_not_utf8_is_refused_with_400_and_one_log_line_even_unverified(caplog):
    caplog.set_level(logging.WARNING)
    body = json.dumps(Session().launch()).encode().replace(b"LaunchRequest", b"Launch\xffRequest")
    with serving(create_app(verify=False)) as url:
        assert post(url, body, {"Content-Type": "application/json"}) == (400, REFUSAL)
    assert refusal_reasons(caplog) == ["refused a request: request body is not UTF-8"]
    assert all(r.exc_info is None and r.levelno <= logging.WARNING for r in caplog.records)


def test_session_attributes_nested_500_deep_are_dropped_not_a_server_error(caplog, en_us):
    session = Session()
    session.new = False
    session.attributes = mid_triage(session)
    envelope = session.intent("AMAZON.NoIntent")
    deep: dict = {}
    for _ in range(500):
        deep = {"a": deep}
    envelope["session"]["attributes"]["junk"] = deep
    with serving(create_app(verify=False)) as url:
        status, reply = post(url, json.dumps(envelope).encode(), {"Content-Type": "application/json"})
    assert status == 200
    check_response_shape(reply)
    assert reply["sessionAttributes"]["triage"]["q"] == AFTER_MID
    assert not [r for r in caplog.records if r.exc_info]


def test_a_new_session_carrying_mid_triage_state_starts_with_the_emergency_questions_on_the_web(en_us):
    session = Session()
    session.attributes = mid_triage()  # new is still true
    with serving(create_app(verify=False)) as url:
        body = json.dumps(session.intent("AMAZON.NoIntent")).encode()
        status, reply = post(url, body, {"Content-Type": "application/json"})
    assert status == 200
    assert reply["sessionAttributes"]["triage"]["q"] == "heart_pain"
    assert speech_text(reply).endswith(en_us.questions["heart_pain"]["ask"])


def test_the_skill_id_comes_from_the_environment_when_not_given(monkeypatch):
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.from-the-environment")
    app = create_app(verify=False)
    with serving(app) as url:
        ours = json.dumps(Session(skill_id="amzn1.ask.skill.from-the-environment").launch()).encode()
        assert post(url, ours, {"Content-Type": "application/json"})[0] == 200
        default = json.dumps(Session().launch()).encode()
        assert post(url, default, {"Content-Type": "application/json"}) == (400, REFUSAL)


def test_a_route_option_moves_the_endpoint():
    app = create_app(verify=False, route="/alexa")
    with serving(app, route="/alexa") as url:
        body = json.dumps(Session().launch()).encode()
        assert post(url, body, {"Content-Type": "application/json"})[0] == 200
        assert post(url.replace("/alexa", "/"), body, {"Content-Type": "application/json"})[0] == 404


def test_the_lambda_skill_is_not_changed_by_serving_it_on_the_web():
    """The SDK appends its user agent to the skill it serves; the shared Lambda skill must stay as it was."""
    from skill.alexa.app import build_skill

    before = build_skill(DEFAULT_SKILL_ID).custom_user_agent
    create_app(skill_id=DEFAULT_SKILL_ID, verify=False)
    create_app(skill_id=DEFAULT_SKILL_ID, verify=False)
    assert build_skill(DEFAULT_SKILL_ID).custom_user_agent == before
