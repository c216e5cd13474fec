"""`debitum serve` and `debitum manage`."""

from __future__ import annotations

import argparse
import os

from .common import EXIT_OK


def cmd_serve(args) -> int:
    from debitum.web.server import serve

    print(f"Debitum on http://{args.host}:{args.port}/  (Ctrl+C stops it)")
    serve(host=args.host, port=args.port, threads=args.threads)
    return EXIT_OK


def cmd_manage(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["debitum manage", *args.rest])
    return EXIT_OK


def register(commands) -> None:
    serve = commands.add_parser("serve", help="start the web application")
    serve.add_argument("--host", default=os.environ.get("DEBITUM_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("DEBITUM_PORT", "8000")))
    serve.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("DEBITUM_THREADS", "8")),
        help="requests served at once by this process (waitress threads)",
    )
    serve.set_defaults(handler=cmd_serve)

    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage, migrated=False)
