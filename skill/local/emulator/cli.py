"""``python -m skill emulate``: serve the template's function on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from . import Emulator, TemplateError

ROOT = Path(__file__).resolve().parents[3]


def parse_parameters(items: list[str]) -> dict[str, str]:
    """``--parameter SkillId=amzn1... --parameter X=Y`` (or sam's ``ParameterKey=SkillId,ParameterValue=...``)."""
    parameters = {}
    for item in items:
        if item.startswith("ParameterKey="):
            fields = dict(part.split("=", 1) for part in item.split(","))
            parameters[fields["ParameterKey"]] = fields.get("ParameterValue", "")
            continue
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"--parameter {item!r}: expected Name=Value")
        parameters[key] = value
    return parameters


def add_arguments(parser) -> None:
    parser.add_argument("--port", type=int, default=9001,
                        help="Invoke API port on 127.0.0.1 (default 9001; 0 picks one)")
    parser.add_argument("--template", default=str(ROOT / "template.yaml"), help="SAM template (default template.yaml)")
    parser.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE",
                        help="template parameter value, e.g. SkillId=amzn1.ask.skill.<uuid> (repeatable)")
    parser.add_argument("--code",
                        help="run this code instead of CodeUri: a folder or the zip from `python -m skill build`")
    parser.add_argument("--dynamodb", choices=["moto"], help="point the function at moto's local DynamoDB server")
    parser.add_argument("--fake-reminders", action="store_true",
                        help="serve a local fake Alexa Reminders API and let the function trust it; chat with "
                             "--api-endpoint set to the URL it prints")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter for the runtime; it needs awslambdaric (default: this one)")


def main(args) -> int:
    reminders_api = None
    environment = {}
    if args.fake_reminders:
        from skill.alexa.api_client import CA_BUNDLE_ENV
        from skill.local.fake_reminders import FakeRemindersApi, describe

        reminders_api = FakeRemindersApi(
            on_change=lambda what, reminder: print(f"fake Reminders API: {what} {describe(reminder)}", flush=True))
        environment[CA_BUNDLE_ENV] = reminders_api.start().ca_file
    try:
        emulator = Emulator(Path(args.template), port=args.port, parameters=parse_parameters(args.parameter),
                            code=Path(args.code) if args.code else None, dynamodb=args.dynamodb,
                            region=args.region, python=args.python, environment=environment)
    except (TemplateError, OSError) as exc:
        print(f"emulate: {exc}", file=sys.stderr)
        if reminders_api is not None:
            reminders_api.close()
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with emulator:
            for line in emulator.describe():
                print(line, flush=True)
            if reminders_api is not None:
                print(f"  Reminders API: a local fake at {reminders_api.url} (testing only); chat with "
                      f"--api-endpoint {reminders_api.url} [--grant reminders]", flush=True)
            print("Ctrl-C stops.", flush=True)
            try:
                stop.wait()
            except KeyboardInterrupt:
                pass
    except OSError as exc:  # the port is taken, most often
        print(f"emulate: {exc}", file=sys.stderr)
        return 2
    finally:
        if reminders_api is not None:
            reminders_api.close()
    return 0
