"""`debitum demo`: the demo administration."""

from __future__ import annotations

from .common import EXIT_OK, CommandError, date_argument, today


def cmd_demo(args) -> int:
    from debitum.demo.services import DemoError, demo_build
    from debitum.imports.services import ImportFailed
    from debitum.progress import rich_progress

    try:
        with rich_progress("demo", enabled=True) as progress:
            summary = demo_build(
                code=args.administration,
                customers=args.customers,
                seed=args.seed,
                as_of=args.as_of or today(),
                progress=progress,
            )
    except (DemoError, ImportFailed) as error:
        raise CommandError(str(error)) from None
    print(summary)
    return EXIT_OK


def register(commands) -> None:
    demo = commands.add_parser("demo", help="build the demo administration")
    demo.add_argument("--customers", type=int, default=250)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--as-of",
        type=date_argument,
        help="the last day of the 18 months of history (default: today)",
    )
    demo.add_argument(
        "--administration", default="DEMO", help="code of the demo administration (default DEMO)"
    )
    demo.set_defaults(handler=cmd_demo)
