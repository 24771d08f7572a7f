"""``python -m skill simulate``: the server's turns directly, then the page in a real browser.

The browser tests drive Debian's Chromium (``apt-get install chromium``) with Playwright for Python; where either
is missing they are skipped with one line. The accessibility check injects axe-core from tools/simulator-web
(``make node-install``).
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest
from conftest import NO_RED_FLAGS

from skill.alexa.api_client import CA_BUNDLE_ENV
from skill.local.chat import use_chat_store
from skill.local.local_server import serving
from skill.local.simulator import DEVICES, Simulator, create_app, start_reminders

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tools" / "simulator-web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST_QUESTION = "Do you have chest pain, or pain spreading to your arm or jaw?"


def simulator() -> Simulator:
    return Simulator(api_endpoint="")  # no Alexa API in these tests: the skill offers to remember instead


# ---- the server, without a browser ----

def test_the_server_turns_words_and_touches_into_real_envelopes_for_the_lambda_handler():
    sim = simulator()
    sim.configure("es-US", "echo-show-5", "model")
    opened = sim.open()
    launch = opened["exchanges"][0]["request"]
    assert launch["request"]["type"] == "LaunchRequest" and launch["request"]["locale"] == "es-US"
    assert launch["context"]["Viewport"]["pixelWidth"] == 960
    assert "Alexa.Presentation.APL" in launch["context"]["System"]["device"]["supportedInterfaces"]
    assert opened["replies"][0]["screen"]["document"]["type"] == "APL"
    said = sim.say("no sé")
    assert said["exchanges"][0]["request"]["request"]["intent"]["name"] == "UnsureIntent"
    assert said["replies"][-1]["disposition"] == "emergency"
    sim.open()
    touched = sim.touch(["answer", "unsure"], "unsureButton")
    event = touched["exchanges"][0]["request"]["request"]
    assert event["type"] == "Alexa.Presentation.APL.UserEvent" and event["arguments"] == ["answer", "unsure"]
    assert touched["replies"][-1]["disposition"] == "emergency"


def test_a_device_without_a_screen_gets_no_apl_and_stop_ends_the_session():
    sim = simulator()
    sim.configure("en-US", "no-screen", "model")
    opened = sim.open()
    request = opened["exchanges"][0]["request"]
    assert request["context"]["System"]["device"]["supportedInterfaces"] == {}
    assert "Viewport" not in request["context"] and opened["replies"][0]["screen"] is None
    stopped = sim.intent("AMAZON.StopIntent")
    assert stopped["exchanges"][0]["request"]["request"]["intent"]["name"] == "AMAZON.StopIntent"
    assert stopped["ended"]


def test_the_stand_in_nlu_is_selectable():
    sim = simulator()
    sim.configure("en-US", "echo-show-8", "standin")  # trained once per process (test_standin_nlu shares it)
    sim.open()
    said = sim.say("my chest really hurts")
    assert said["replies"][-1]["disposition"] == "emergency"


def test_reminders_go_to_the_local_fake_api_after_alexa_asks_for_the_permission(monkeypatch):
    monkeypatch.delenv(CA_BUNDLE_ENV, raising=False)  # the fake API's certificate authority, for this test only
    use_chat_store("memory")  # as `python -m skill simulate --store memory` (conftest resets it)
    sim = Simulator()
    api = start_reminders(sim)
    try:
        sim.configure("en-US", "echo-show-8", "model")
        sim.open()
        for _ in range(NO_RED_FLAGS):
            sim.say("no")
        asked = sim.say("yes")
        assert asked["asking"] and any("asks for the reminders permission" in line for line in asked["lines"])
        granted = sim.say("yes")
        assert granted["exchanges"][0]["request"]["request"]["type"] == "Connections.Response"
        assert any(line.startswith("  [Alexa reminder created:") for line in granted["lines"])
    finally:
        api.close()


def test_every_device_in_the_picker_has_a_viewport_the_page_can_draw():
    assert {d.label for d in DEVICES.values()} >= {"Echo Show 5", "Echo Show 8", "Echo Show 10", "Echo Show 15",
                                                  "Fire TV"}
    assert DEVICES["fire-tv"].describe()["width"] == 960  # 1920 px at 320 dpi: 960 dp, as APL lays it out


# ---- the page, in Debian's Chromium ----

def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests: playwright is not installed (make install)")
    executable = _chromium()
    if executable is None:
        pytest.skip("browser tests: Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site():
    with serving(create_app(simulator())) as url:
        yield url


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(site)
    opened.wait_for_selector("body[data-ready='true']")
    yield opened
    context.close()
    assert errors == []


def turns(page) -> int:
    return int(page.get_attribute("body", "data-turns") or 0)


def after_a_turn(page, before: int) -> None:
    page.wait_for_function(f"Number(document.body.dataset.turns) > {before}")


def type_and_say(page, text: str) -> None:
    before = turns(page)
    page.fill("#say", text)
    page.press("#say", "Enter")
    after_a_turn(page, before)


def last_envelopes(page) -> tuple[dict, dict]:
    return json.loads(page.inner_text("#request-json")), json.loads(page.inner_text("#response-json"))


def test_a_conversation_to_the_emergency_outcome_typed_in_the_page(page):
    assert FIRST_QUESTION in page.inner_text("#screen")
    type_and_say(page, "I'm not sure")
    log = page.inner_text("#log")
    assert "Call 911 now" in log and "[disposition: emergency]" in log
    assert "911" in page.inner_text("#screen")  # the outcome screen
    assert "Back Pain Check" in page.inner_text("#card")


def test_a_tap_on_an_apl_button_sends_a_user_event(page):
    before = turns(page)
    page.click("#screen button[aria-label='No']")
    after_a_turn(page, before)
    request, response = last_envelopes(page)
    assert request["request"]["type"] == "Alexa.Presentation.APL.UserEvent"
    assert request["request"]["arguments"] == ["answer", "no"]
    assert request["request"]["source"]["id"] == "noButton"
    question = response["response"]["directives"][0]["datasources"]["payload"]["screen"]["question"]
    assert question != FIRST_QUESTION and question in page.inner_text("#screen")


def not_blank(page, png: bytes) -> int:
    """How many different colours Chromium reads in a screenshot (a blank one has one or two)."""
    data = base64.b64encode(png).decode()
    return page.evaluate("""async (data) => {
        const image = new Image(); image.src = 'data:image/png;base64,' + data; await image.decode();
        const canvas = document.createElement('canvas'); canvas.width = image.width; canvas.height = image.height;
        const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        const colours = new Set();
        for (let i = 0; i < pixels.length; i += 16) {
            colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]); }
        return colours.size; }""", data)


@pytest.mark.parametrize("device", ["echo-show-5", "echo-show-15", "fire-tv"])
def test_the_screen_is_rendered_from_the_apl_document(page, device, tmp_path):
    before = turns(page)
    page.select_option("#device", device)
    after_a_turn(page, before)
    request, response = last_envelopes(page)
    assert request["context"]["Viewport"]["pixelWidth"] == DEVICES[device].width
    assert FIRST_QUESTION in page.inner_text("#screen")
    assert page.locator("#screen button.apl-touch").count() == 3  # Yes, No, Not sure
    shot = page.locator("#screen-frame").screenshot(path=str(tmp_path / f"{device}.png"))
    assert not_blank(page, shot) > 10


def test_no_screen_says_so(page):
    before = turns(page)
    page.select_option("#device", "no-screen")
    after_a_turn(page, before)
    assert "no screen" in page.inner_text("#screen")
    assert page.locator("#screen button").count() == 0


def test_the_envelope_panel_shows_valid_json(page):
    type_and_say(page, "no")
    request, response = last_envelopes(page)
    assert request["version"] == "1.0" and request["request"]["type"] == "IntentRequest"
    assert request["request"]["intent"]["name"] == "AMAZON.NoIntent"
    assert response["version"] == "1.0" and "outputSpeech" in response["response"]
    options = page.locator("#exchange option")
    assert options.count() == 2  # the launch and this turn, each selectable
    page.select_option("#exchange", "0")
    assert json.loads(page.inner_text("#request-json"))["request"]["type"] == "LaunchRequest"


def focus_by_tab(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_page_works_by_keyboard_alone(page):
    focus_by_tab(page, "#say")
    before = turns(page)
    page.keyboard.type("no")
    page.keyboard.press("Enter")
    after_a_turn(page, before)
    focus_by_tab(page, "#screen button[aria-label='Yes']")
    before = turns(page)
    page.keyboard.press("Enter")
    after_a_turn(page, before)
    request, _ = last_envelopes(page)
    assert request["request"]["type"] == "Alexa.Presentation.APL.UserEvent"
    assert request["request"]["arguments"] == ["answer", "yes"]
    focus_by_tab(page, "#stop")
    before = turns(page)
    page.keyboard.press("Enter")
    after_a_turn(page, before)
    assert page.get_attribute("body", "data-ended") == "true"


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                          ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
    return list(found)


def test_the_page_passes_an_automated_accessibility_check(page):
    if not AXE.is_file():
        pytest.skip("accessibility check: axe-core is not installed (make node-install)")
    assert serious_violations(page) == []
    type_and_say(page, "I'm not sure")  # the emergency screen, in its own colours
    assert serious_violations(page) == []
