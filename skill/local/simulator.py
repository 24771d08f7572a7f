"""``python -m skill simulate``: try the skill in a browser, with its screen, a voice, and the JSON.

A local page (Flask) plays an Alexa device: a text box and a microphone button (the browser's speech
recognition where it has one), the reply shown and spoken (the browser's speech synthesis, the SSML reduced to
text), the card, the screen drawn from the skill's own APL document for the chosen device (Echo Show 5, 8, 10,
15, Fire TV, or none), and the request and response envelopes of every turn.

The page holds no skill logic: it posts what was typed or heard, or the arguments of a touched button's
``SendEvent``, to this server, which does exactly what the terminal chat does (``skill.local.chat.Chat``):
the interaction model's resolver (or the stand-in NLU) turns words into an intent, ``skill.local.envelopes``
wraps it in a real request envelope, and the Lambda handler (``skill.alexa.app.lambda_handler``) answers.
Memory is the chat's store; reminders go to the local fake Reminders API.

The screen: Amazon's web renderer for APL (``apl-viewhost-web`` on npm) could not run here. Its npm package
holds sources only; its install script downloads the built renderer from a CloudFront address, which this
machine cannot reach, and building it needs Amazon's APL core library (C++, from GitHub, not a registry)
compiled with Emscripten and two webpack projects. So the page draws the document itself
(``simulator_page/simulator.js``): the same document and datasources the skill sent in its
``Alexa.Presentation.APL.RenderDocument`` directive, its Containers, Frames, Texts, ScrollViews and
TouchWrappers in plain HTML, with data binding and ``when``. A touch sends the TouchWrapper's ``SendEvent``
arguments back as an ``Alexa.Presentation.APL.UserEvent``, as a device does.
"""

from __future__ import annotations

import argparse
import threading
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any, Callable

from skill.local.chat import Chat, Invoke, ssml_to_text, use_chat_store
from skill.local.nlu import Resolver
from skill.local.targets import local_invoke

PAGE_DIR = Path(__file__).parent / "simulator_page"
PAGE_FILES = {"simulator.js": "text/javascript", "simulator.css": "text/css"}
RESOLVERS = {"model": "interaction model (as the chat)", "standin": "stand-in NLU (scikit-learn)"}


@dataclass(frozen=True)
class Device:
    """What a device tells the skill about its screen (context.Viewport), in pixels at its dpi."""

    name: str
    label: str
    width: int = 0
    height: int = 0
    dpi: int = 160
    mode: str = "HUB"
    shape: str = "RECTANGLE"

    @property
    def has_screen(self) -> bool:
        return self.width > 0

    def viewport(self) -> dict:
        return {"experiences": [{"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False,
                                 "canResize": False}],
                "mode": self.mode, "shape": self.shape, "pixelWidth": self.width, "pixelHeight": self.height,
                "currentPixelWidth": self.width, "currentPixelHeight": self.height, "dpi": self.dpi,
                "touch": ["SINGLE"] if self.mode == "HUB" else [],
                "keyboard": ["DIRECTION"] if self.mode == "TV" else [],
                "video": {"codecs": ["H_264_42", "H_264_41"]}}

    def describe(self) -> dict:
        # the page lays the screen out in dp (1 CSS pixel = 1 dp), as APL does
        return {"name": self.name, "label": self.label, "width": self.width * 160 // self.dpi,
                "height": self.height * 160 // self.dpi, "touch": self.mode == "HUB"}


# Amazon's published viewport profiles for these devices
DEVICES = {d.name: d for d in [
    Device("echo-show-5", "Echo Show 5", 960, 480),
    Device("echo-show-8", "Echo Show 8", 1280, 800),
    Device("echo-show-10", "Echo Show 10", 1280, 800),
    Device("echo-show-15", "Echo Show 15", 1920, 1080),
    Device("fire-tv", "Fire TV", 1920, 1080, dpi=320, mode="TV"),
    Device("no-screen", "No screen (Echo, Echo Dot)"),
]}


def locales() -> list[str]:
    from skill.local.nlu import MODELS_DIR

    return sorted(path.stem for path in MODELS_DIR.glob("*.json"))


def resolver_for(locale: str, kind: str) -> Any:
    if kind == "standin":
        from skill.local.standin_nlu import standin_for

        return standin_for(locale)
    return Resolver.for_locale(locale)


def with_viewport(invoke: Invoke, device: Device) -> Invoke:
    """Requests from a device with a screen carry its viewport, as Alexa's do."""

    def invoke_on_device(event: dict) -> dict:
        if device.has_screen and isinstance(event.get("context"), dict):
            event["context"]["Viewport"] = device.viewport()
        return invoke(event)

    return invoke_on_device


@dataclass
class Simulator:
    """One person at one device: the chat's conversation logic, with each exchange kept for the page."""

    invoke: Invoke = local_invoke
    api_endpoint: str | None = None
    exchanges: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    chat: Chat | None = None
    device: Device = DEVICES["echo-show-8"]
    resolver: str = "model"

    def _record(self, event: dict) -> dict:
        response = with_viewport(self.invoke, self.device)(event)
        self.exchanges.append({"request": event, "response": response})
        return response

    def configure(self, locale: str, device: str, resolver: str) -> None:
        if locale not in locales():
            raise ValueError(f"unsupported locale {locale!r}")
        if device not in DEVICES:
            raise ValueError(f"unknown device {device!r}")
        if resolver not in RESOLVERS:
            raise ValueError(f"unknown resolver {resolver!r}")
        self.device, self.resolver = DEVICES[device], resolver
        grants = self.chat.grants if self.chat else set()
        self.chat = Chat(locale=locale, invoke=self._record, out=StringIO(), grants=grants,
                         screen=self.device.has_screen)
        if self.api_endpoint is not None:  # the fake Reminders API, or "" for none
            self.chat.api_endpoint = self.api_endpoint
        self.chat.resolver = resolver_for(locale, resolver)

    def turn(self, action: Callable[[Chat], object]) -> dict:
        """Run one thing the person did; what the page shows of it."""
        with self.lock:
            if self.chat is None:
                self.configure("en-US", self.device.name, self.resolver)
            chat = self.chat
            if chat is None:  # configure() made it
                raise RuntimeError("no device configured")
            chat.out = StringIO()
            start = len(self.exchanges)
            action(chat)
            lines = [line for line in chat.out.getvalue().splitlines() if line.strip()]
            exchanges = self.exchanges[start:]
            del self.exchanges[:-20]  # a long session keeps its last few turns only
            notes, self.notes = self.notes, []
            return {"exchanges": exchanges, "replies": [reply(e["response"]) for e in exchanges],
                    "lines": notes + lines, "asking": chat.asking is not None,
                    "ended": chat.session is None or chat.session.ended,
                    "locale": chat.locale, "device": self.device.describe()}

    def open(self) -> dict:
        return self.turn(lambda chat: chat.open())

    def say(self, text: str) -> dict:
        return self.turn(lambda chat: chat.say(text))

    def touch(self, arguments: list, source_id: str) -> dict:
        def touched(chat: Chat) -> None:
            if chat.session is None or chat.session.ended:
                chat.show("  [the screen's session has ended: open the skill again]")
                return
            chat.show(f"  [touched {source_id}: {', '.join(str(a) for a in arguments)}]")
            chat.send(chat.session.user_event(arguments, source_id))

        return self.turn(touched)

    def intent(self, name: str) -> dict:
        """A built-in intent as if spoken (the page's Stop and Start over buttons)."""

        def spoken(chat: Chat) -> None:
            if chat.session is None or chat.session.ended:
                chat.session = chat.new_session()
            chat.show(f"  [{name}]")
            chat.send(chat.session.intent(name))

        return self.turn(spoken)


def reply(response: dict) -> dict:
    """What the page shows and speaks of one response."""
    body = response.get("response") or {}
    speech = body.get("outputSpeech") or {}
    reprompt = (body.get("reprompt") or {}).get("outputSpeech") or {}
    screen = next(({"document": d.get("document"), "datasources": d.get("datasources")}
                   for d in body.get("directives") or [] if d.get("type") == "Alexa.Presentation.APL.RenderDocument"),
                  None)
    card = body.get("card")
    return {"speech": ssml_to_text(speech.get("ssml") or speech.get("text")),
            "reprompt": ssml_to_text(reprompt.get("ssml") or reprompt.get("text")),
            "card": card, "screen": screen,
            "disposition": (response.get("sessionAttributes") or {}).get("disposition")}


def create_app(simulator: Simulator):
    from flask import Flask, Response, abort, jsonify, request

    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    def body() -> dict:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            abort(400)
        return data

    @app.get("/")
    def page():
        return Response((PAGE_DIR / "index.html").read_text(encoding="utf-8"), mimetype="text/html")

    @app.get("/static/<name>")
    def static_file(name: str):
        if name not in PAGE_FILES:
            abort(404)
        return Response((PAGE_DIR / name).read_text(encoding="utf-8"), mimetype=PAGE_FILES[name])

    @app.get("/api/config")
    def config():
        return jsonify({"locales": locales(), "devices": [d.describe() for d in DEVICES.values()],
                        "resolvers": RESOLVERS, "default": {"locale": "en-US", "device": "echo-show-8",
                                                            "resolver": "model"}})

    @app.post("/api/open")
    def open_skill():
        data = body()
        try:
            with simulator.lock:
                simulator.configure(str(data.get("locale", "en-US")), str(data.get("device", "echo-show-8")),
                                    str(data.get("resolver", "model")))
        except ValueError as error:
            return jsonify({"error": str(error)}), 400
        except ModuleNotFoundError as missing:
            return jsonify({"error": f"the stand-in NLU needs {missing.name} (make install)"}), 400
        return jsonify(simulator.open())

    @app.post("/api/say")
    def say():
        text = " ".join(str(body().get("text", "")).split())
        if not text:
            return jsonify({"error": "say something"}), 400
        return jsonify(simulator.say(text))

    @app.post("/api/touch")
    def touch():
        data = body()
        arguments, source = data.get("arguments"), data.get("source", "")
        if not isinstance(arguments, list) or not isinstance(source, str):
            abort(400)
        return jsonify(simulator.touch(arguments, source))

    @app.post("/api/stop")
    def stop():
        return jsonify(simulator.intent("AMAZON.StopIntent"))

    @app.post("/api/start-over")
    def start_over():
        return jsonify(simulator.intent("AMAZON.StartOverIntent"))

    return app


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default: 8765; 0 picks a free one)")
    parser.add_argument("--store", choices=["sqlite", "memory"], default="sqlite",
                        help="where the skill remembers (default: sqlite, as the chat)")
    parser.add_argument("--db", default=None, help="the sqlite file (default: the chat's)")


def start_reminders(simulator: Simulator) -> Any:
    """The chat's local fake Reminders API; None (and a note) when it cannot run."""
    from skill.local.chat import fake_reminders_api

    try:
        api = fake_reminders_api(lambda *lines: simulator.notes.extend(lines))
    except ModuleNotFoundError as missing:
        simulator.api_endpoint = ""
        simulator.notes.append(f"  [reminders: off, the local fake Reminders API needs {missing.name}]")
        return None
    simulator.api_endpoint = api.url
    return api


def main(args: argparse.Namespace, db: str | None) -> int:
    from werkzeug.serving import make_server

    simulator = Simulator()
    memory = use_chat_store(args.store, db)
    api = start_reminders(simulator)
    server = make_server(args.host, args.port, create_app(simulator), threaded=True)
    host = args.host if args.host.strip("0.") else "127.0.0.1"  # a wildcard address: a name a browser can open
    print(f"Back Pain Check simulator: open http://{host}:{server.server_port}/ in a browser (Ctrl-C stops)",
          flush=True)
    print(memory.strip(), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if api is not None:
            api.close()
    return 0
