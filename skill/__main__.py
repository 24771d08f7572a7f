"""Back Pain Check: an Alexa skill that asks about red flags of upper back pain (guidance, not a diagnosis).

Installed, this is the back-pain-check command; in a checkout, .venv/bin/python -m skill.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Callable, NoReturn

# A checkout holds the project's other folders (lambda/, template.yaml, docs/, nlu_eval/); an installed package
# holds only `skill`.
CHECKOUT = Path(__file__).resolve().parents[1]
IN_CHECKOUT = (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "template.yaml").is_file()
CHECKOUT_DB = CHECKOUT / ".state" / "memory.sqlite3"
# what each command reads or writes outside the package, when it cannot run from an installed one
NEEDS_CHECKOUT = {
    "build": "it packs lambda/ as template.yaml declares it",
    "emulate": "it runs template.yaml's function from lambda/",
    "package": "it writes skill-package/",
    "model": "it writes interaction_models/",
    "protocol": "it writes docs/",
    "nlu-eval": "it reads nlu_eval/ and tools/virtual-alexa/",
    "spotter-build": "it trains on the generated interaction models with the dev requirements (scikit-learn)",
}
# a module a command needs that an installed package may lack, and what brings it
WEB, AWS = "pip install 'back-pain-check[web]'", "pip install 'back-pain-check[aws]'"
EXTRAS = {"flask": WEB, "flask_ask_sdk": WEB, "werkzeug": WEB, "ask_sdk_webservice_support": WEB, "boto3": AWS,
          "botocore": AWS}
TARGET_HELP = "local (in-process), http://host:port/path (web service) or lambda://127.0.0.1:9001/<LogicalId>"


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Help text wrapped between words only: "en-CA" stays whole."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake reported in one line (the usage is one --help away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def chat_locales() -> list[str]:
    """The locales the chat can speak: those with an interaction model (its typed-text resolver reads it)."""
    from skill.local.nlu import MODELS_DIR

    return sorted(path.stem for path in MODELS_DIR.glob("*.json"))


def add_chat(chat: argparse.ArgumentParser) -> None:
    chat.add_argument("--locale", default="en-US", help=f"the device's locale (default: en-US; one of "
                      f"{', '.join(chat_locales())})")
    chat.add_argument("--store", choices=["sqlite", "memory", "dynamodb"], default="sqlite",
                      help="where the skill remembers (default: sqlite; dynamodb reads TABLE_NAME)")
    default_db = ".state/memory.sqlite3 in this checkout" if IN_CHECKOUT else \
        "$XDG_STATE_HOME/back-pain-check/memory.sqlite3 (~/.local/state/...)"
    chat.add_argument("--db", default=None, help=f"the sqlite file (default: $BACK_PAIN_CHECK_DB, else {default_db})")
    chat.add_argument("--now", default=None, metavar="YYYY-MM-DD", help="pretend today is this date")
    chat.add_argument("--screen", action="store_true", help="be an Echo Show: print the screen; 'tap yes' touches")
    chat.add_argument("--grant", action="append", choices=["reminders"], default=[],
                      help="a person who has already allowed this permission (Alexa's requests carry it)")
    chat.add_argument("--no-voice-permission", action="store_true",
                      help="a device where Alexa cannot ask for a permission by voice (the card is the fallback)")
    chat.add_argument("--api-endpoint", default=None, metavar="URL",
                      help="Alexa's API endpoint in the requests (default: a local fake Reminders API for a local "
                           "target; for the emulator, the URL `emulate --fake-reminders` prints)")
    chat.add_argument("--target", default="local", help=TARGET_HELP)


def add_simulate(simulate: argparse.ArgumentParser) -> None:
    from skill.local.simulator import add_arguments

    add_arguments(simulate)


def add_build(build: argparse.ArgumentParser) -> None:
    build.add_argument("--out", default="dist", help="output folder (default: dist)")
    build.add_argument("--artifacts-dir", default=None,
                       help="also unpack the zip here (what sam build's makefile method asks for)")


def add_serve(serve: argparse.ArgumentParser) -> None:
    from skill.web.serve import add_arguments  # stdlib only: Flask loads when the server starts

    add_arguments(serve)


def add_package(package: argparse.ArgumentParser) -> None:
    package.add_argument("--endpoint", default=None, help="the Lambda ARN (the SAM stack output SkillFunctionArn)")
    package.add_argument("--out", default=None, help="where to write (default: skill-package/)")


def add_model(model: argparse.ArgumentParser) -> None:
    model.add_argument("--out", default=None, help="where to write (default: interaction_models/)")


def add_protocol(protocol: argparse.ArgumentParser) -> None:
    protocol.add_argument("--out", default=None, help="where to write (default: docs/protocol.md, or "
                          "docs/review/<locale>.md with --review)")
    protocol.add_argument("--review", default=None, metavar="LOCALE",
                          help="write the side-by-side English / LOCALE table a clinician signs off instead")


def add_emulate(emulate: argparse.ArgumentParser) -> None:
    from skill.local.emulator.cli import add_arguments

    add_arguments(emulate)


def add_invoke(invoke: argparse.ArgumentParser) -> None:
    invoke.add_argument("event", help="an Alexa request envelope JSON file, or - for standard input")
    invoke.add_argument("--target", default="local", help=TARGET_HELP)


def add_replay(replay: argparse.ArgumentParser) -> None:
    replay.add_argument("files", nargs="+", metavar="FILE", help="ask dialog replay JSON or YAML conversation tests")
    replay.add_argument("--target", default="local", help=TARGET_HELP)
    replay.add_argument("--junit", metavar="FILE", help="also write JUnit XML here")


def add_nlu_eval(parser: argparse.ArgumentParser) -> None:
    from skill.local.nlu_eval import add_arguments

    add_arguments(parser)


def add_spotter_build(parser: argparse.ArgumentParser) -> None:
    from skill.local.spotter_build import add_arguments

    add_arguments(parser)


def add_voice_report(parser: argparse.ArgumentParser) -> None:
    from skill.local.voice_report import add_arguments

    add_arguments(parser)


# name, one line of help, what adds its options (loaded only for the command given: `--help` imports nothing)
COMMANDS: list[tuple[str, str, Callable[[argparse.ArgumentParser], None]]] = [
    ("chat", "talk to the skill in the terminal", add_chat),
    ("simulate", "try the skill in a browser: screen, voice and the JSON (a local page)", add_simulate),
    ("build", "build the Lambda zip without Docker", add_build),
    ("serve", "serve the skill as a verified HTTPS endpoint (Flask)", add_serve),
    ("package", "write the ASK CLI skill package (skill-package/)", add_package),
    ("model", "write interaction_models/ from the protocol's phrasings", add_model),
    ("protocol", "write docs/protocol.md from the protocol data", add_protocol),
    ("emulate", "run the template's Lambda function locally (no Docker)", add_emulate),
    ("invoke", "send one request envelope (events/*.json) and print the response", add_invoke),
    ("replay", "run scripted conversations (dialogs/) and check expectations", add_replay),
    ("nlu-eval", "measure understanding on the evaluation set", add_nlu_eval),
    ("spotter-build", "train the emergency spotter's weight table from the generated models (scikit-learn)",
     add_spotter_build),
    ("voice-report", "measure how much the skill says, per locale", add_voice_report),
]


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    prog = "back-pain-check" if Path(sys.argv[0]).name == "back-pain-check" else "python -m skill"
    parser = Parser(prog=prog, description=__doc__, formatter_class=Formatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # the first word that is not an option is the command: only its options are loaded
    given = next((arg for arg in argv if not arg.startswith("-")), None)
    for name, help_text, add in COMMANDS:
        command = commands.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".",
                                      formatter_class=Formatter)
        if name == given:
            add(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    where = f"{parser.prog} {args.command}"
    if args.command in NEEDS_CHECKOUT and not IN_CHECKOUT:
        print(f"{where} needs a checkout of the project ({NEEDS_CHECKOUT[args.command]}): run it there, as "
              f".venv/bin/python -m skill {args.command}", file=sys.stderr)
        return 2
    try:
        return run(args, where)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the output went to a pipe that closed (| head): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except ModuleNotFoundError as error:
        root = (error.name or "").split(".")[0]
        remedy = EXTRAS.get(root, "in a checkout, make install installs everything")
        print(f"{where} needs the Python package {root!r}, which is not installed: {remedy}", file=sys.stderr)
        return 2
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as error:
        print(f"{where}: {error.strerror}: {error.filename}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as error:
        print(f"{where}: not valid JSON: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # a bad option value found where it is used (--target, a locale, a file's content)
        print(f"{where}: {error}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace, where: str) -> int:
    if args.command == "emulate":
        from skill.local.emulator.cli import main as emulate_main

        return emulate_main(args)
    if args.command == "invoke":
        from skill.local.targets import main as invoke_main

        return invoke_main(args.event, args.target)
    if args.command == "replay":
        from skill.local.replay import main as replay_main

        return replay_main(args.files, args.target, args.junit)
    if args.command == "nlu-eval":
        from skill.local.nlu_eval import main as nlu_eval_main

        return nlu_eval_main(args)
    if args.command == "spotter-build":
        from skill.local.spotter_build import main as spotter_build_main

        return spotter_build_main(args)
    if args.command == "voice-report":
        from skill.local.voice_report import main as voice_report_main

        return voice_report_main(args)
    if args.command == "chat":
        return chat(args, where)
    if args.command == "simulate":
        return simulate(args)
    if args.command == "build":
        from skill.local.build import main as build_main

        return build_main(args.out, args.artifacts_dir)
    if args.command == "serve":
        from skill.web.serve import run as serve_run

        return serve_run(args)
    if args.command == "package":
        from skill.local.skill_package import main as package_main

        return package_main(args.endpoint, args.out)
    if args.command == "model":
        from skill.model.interaction_model import main as model_main

        return model_main(args.out)
    if args.command == "protocol" and args.review:
        from skill.local.review import main as review_main

        return review_main(args.review, args.out)
    if args.command == "protocol":
        from skill.local.protocol_doc import main as protocol_main

        return protocol_main(args.out)
    return 2


def chat(args: argparse.Namespace, where: str) -> int:
    from skill.local.chat import main as chat_main

    known = chat_locales()
    if args.locale not in known:
        print(f"{where}: unsupported locale {args.locale!r}; choose one of: {', '.join(known)}", file=sys.stderr)
        return 2
    if args.store == "dynamodb" and not os.environ.get("TABLE_NAME"):
        print(f"{where}: --store dynamodb needs TABLE_NAME (and AWS_ENDPOINT_URL_DYNAMODB for a local table)",
              file=sys.stderr)
        return 2
    if args.now:
        from datetime import date

        try:
            date.fromisoformat(args.now)
        except ValueError:
            print(f"{where}: --now {args.now!r} is not a date: write it YYYY-MM-DD", file=sys.stderr)
            return 2
    db = args.db
    if db is None and IN_CHECKOUT and not os.environ.get("BACK_PAIN_CHECK_DB"):
        db = str(CHECKOUT_DB)  # one memory per checkout, not one shared by every clone on the machine
    return chat_main(locale=args.locale, target=args.target, store=args.store, db=db, now=args.now,
                     screen=args.screen, grants=args.grant, api_endpoint=args.api_endpoint,
                     voice_permission=not args.no_voice_permission)


def simulate(args: argparse.Namespace) -> int:
    from skill.local.simulator import main as simulate_main

    db = args.db
    if db is None and IN_CHECKOUT and not os.environ.get("BACK_PAIN_CHECK_DB"):
        db = str(CHECKOUT_DB)  # the chat's memory
    return simulate_main(args, db)


if __name__ == "__main__":
    sys.exit(main())
