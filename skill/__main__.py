"""``python -m skill <command>``: the project's one command-line entry."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="talk to the skill in the terminal")
    chat.add_argument("--locale", default="en-US")

    build = commands.add_parser("build", help="build the Lambda zip without Docker")
    build.add_argument("--out", default="dist", help="output folder (default: dist)")

    protocol = commands.add_parser("protocol", help="write docs/protocol.md from the protocol data")
    protocol.add_argument("--out", default=None, help="where to write (default: docs/protocol.md)")

    args = parser.parse_args(argv)
    if args.command == "chat":
        from skill.local.chat import main as chat_main

        return chat_main(locale=args.locale)
    if args.command == "build":
        from skill.local.build import main as build_main

        return build_main(args.out)
    if args.command == "protocol":
        from skill.local.protocol_doc import main as protocol_main

        return protocol_main(args.out)
    return 2


if __name__ == "__main__":
    sys.exit(main())
