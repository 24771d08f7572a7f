"""``python -m skill <command>``: the project's one command-line entry."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="talk to the skill in the terminal")
    chat.add_argument("--locale", default="en-US")
    chat.add_argument("--store", choices=["sqlite", "memory", "dynamodb"], default="sqlite",
                      help="where the skill remembers (default: sqlite; dynamodb reads TABLE_NAME)")
    chat.add_argument("--db", default=None, help="the sqlite file (default: $BACK_PAIN_CHECK_DB, "
                      "else ~/.local/state/back-pain-check/memory.sqlite3)")
    chat.add_argument("--now", default=None, metavar="YYYY-MM-DD", help="pretend today is this date")
    chat.add_argument("--screen", action="store_true", help="be an Echo Show: print the screen; 'tap yes' touches")
    chat.add_argument("--grant", action="append", choices=["reminders"], default=[],
                      help="a person who has already allowed this permission (Alexa's requests carry it)")
    chat.add_argument("--no-voice-permission", action="store_true",
                      help="a device where Alexa cannot ask for a permission by voice (the card is the fallback)")
    chat.add_argument("--api-endpoint", default=None, metavar="URL",
                      help="Alexa's API endpoint in the requests (default: a local fake Reminders API for a local "
                           "target; for the emulator, the URL `emulate --fake-reminders` prints)")

    build = commands.add_parser("build", help="build the Lambda zip without Docker")
    build.add_argument("--out", default="dist", help="output folder (default: dist)")
    build.add_argument("--artifacts-dir", default=None,
                       help="also unpack the zip here (what sam build's makefile method asks for)")

    serve = commands.add_parser("serve", help="serve the skill as a verified HTTPS endpoint (Flask)")
    from skill.web.serve import add_arguments as add_serve_arguments  # stdlib only: Flask loads on "serve"

    add_serve_arguments(serve)

    package = commands.add_parser("package", help="write the ASK CLI skill package (skill-package/)")
    package.add_argument("--endpoint", default=None, help="the Lambda ARN (the SAM stack output SkillFunctionArn)")
    package.add_argument("--out", default=None, help="where to write (default: skill-package/)")

    model = commands.add_parser("model", help="write interaction_models/ from the protocol's phrasings")
    model.add_argument("--out", default=None, help="where to write (default: interaction_models/)")

    protocol = commands.add_parser("protocol", help="write docs/protocol.md from the protocol data")
    protocol.add_argument("--out", default=None, help="where to write (default: docs/protocol.md, or "
                          "docs/review/<locale>.md with --review)")
    protocol.add_argument("--review", default=None, metavar="LOCALE",
                          help="write the side-by-side English / LOCALE table a clinician signs off instead")

    from skill.local.emulator.cli import add_arguments as add_emulate_arguments

    emulate = commands.add_parser("emulate", help="run the template's Lambda function locally (no Docker)")
    add_emulate_arguments(emulate)

    target_help = "local (in-process), http://host:port/path (web service) or lambda://127.0.0.1:9001/<LogicalId>"
    invoke = commands.add_parser("invoke", help="send one request envelope (events/*.json) and print the response")
    invoke.add_argument("event", help="an Alexa request envelope JSON file, or - for standard input")
    invoke.add_argument("--target", default="local", help=target_help)

    replay = commands.add_parser("replay", help="run scripted conversations (dialogs/) and check expectations")
    replay.add_argument("files", nargs="+", metavar="FILE", help="ask dialog replay JSON or YAML conversation tests")
    replay.add_argument("--target", default="local", help=target_help)
    replay.add_argument("--junit", metavar="FILE", help="also write JUnit XML here")
    chat.add_argument("--target", default="local", help=target_help)

    from skill.local.nlu_eval import add_arguments as add_nlu_eval_arguments

    add_nlu_eval_arguments(commands.add_parser("nlu-eval", help="measure understanding on the evaluation set"))

    from skill.local.spotter_build import add_arguments as add_spotter_build_arguments

    add_spotter_build_arguments(commands.add_parser(
        "spotter-build", help="train the emergency spotter's weight table from the generated models (scikit-learn)"))

    from skill.local.voice_report import add_arguments as add_voice_report_arguments

    add_voice_report_arguments(commands.add_parser("voice-report", help="measure how much the skill says, per locale"))

    args = parser.parse_args(argv)
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
        from skill.local.chat import main as chat_main

        return chat_main(locale=args.locale, target=args.target, store=args.store, db=args.db, now=args.now,
                         screen=args.screen, grants=args.grant, api_endpoint=args.api_endpoint,
                         voice_permission=not args.no_voice_permission)
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
        from skill.local.interaction_model import main as model_main

        return model_main(args.out)
    if args.command == "protocol" and args.review:
        from skill.local.review import main as review_main

        return review_main(args.review, args.out)
    if args.command == "protocol":
        from skill.local.protocol_doc import main as protocol_main

        return protocol_main(args.out)
    return 2


if __name__ == "__main__":
    sys.exit(main())
