"""`debitum policy`: dunning policies as data.

debitum policy install-defaults --administration CODE
debitum policy export --administration CODE [--output FILE]
debitum policy import FILE --administration CODE
debitum policy handbook --administration CODE --format md|pdf [--output FILE] [--language nl|fr|en]
"""

from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_OK, CommandError, administration_by_code, subcommands


def cmd_install_defaults(args) -> int:
    from debitum.dunning.policy_services import policies_install_defaults

    administration = administration_by_code(args.administration)
    created = policies_install_defaults(administration=administration)
    if not created:
        print(f"{administration.code}: every default policy is present; nothing changed.")
        return EXIT_OK
    labels = ", ".join(f"{policy.country}/{policy.segment}" for policy in created)
    print(f"{administration.code}: {len(created)} default policies installed: {labels}.")
    return EXIT_OK


def _write(output: str | None, content: str | bytes) -> None:
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
        return
    try:
        if isinstance(content, bytes):
            Path(output).write_bytes(content)
        else:
            Path(output).write_text(content, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {output}: {error.strerror}") from None
    print(f"Written to {output}.", file=sys.stderr)


def cmd_export(args) -> int:
    from debitum.dunning.policy_selectors import policies_export

    administration = administration_by_code(args.administration)
    _write(args.output, policies_export(administration=administration))
    return EXIT_OK


def cmd_import(args) -> int:
    from debitum.dunning.policy_services import policies_import
    from debitum.dunning.policy_yaml import PolicyFileError

    administration = administration_by_code(args.administration)
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from None
    try:
        result = policies_import(administration=administration, text=text, source=path.name)
    except PolicyFileError as error:
        raise CommandError(f"{error}; nothing was changed") from None
    print(f"{administration.code}: policies imported from {path.name}: {result.summary()}.")
    for label, names in (
        ("created", result.created),
        ("updated", result.updated),
        ("deleted", result.deleted),
    ):
        if names:
            print(f"  {label}: {', '.join(names)}")
    return EXIT_OK


def cmd_handbook(args) -> int:
    from debitum.dunning.policy_handbook import policy_handbook_render

    administration = administration_by_code(args.administration)
    content = policy_handbook_render(
        administration=administration, output_format=args.format, language=args.language
    )
    output = args.output
    if output is None and args.format == "pdf":
        if sys.stdout.isatty():
            output = f"collection-handbook-{administration.code}.pdf"
    _write(output, content)
    return EXIT_OK


def register(commands) -> None:
    policy = subcommands(
        commands, "policy", "dunning policies: install the defaults, export, import, handbook"
    )
    install = policy.add_parser(
        "install-defaults",
        help="add the shipped ladders an administration lacks (never overwrites)",
    )
    install.add_argument("--administration", required=True)
    install.set_defaults(handler=cmd_install_defaults)

    export = policy.add_parser("export", help="write the policies as YAML")
    export.add_argument("--administration", required=True)
    export.add_argument("--output", help="file to write (default: standard output)")
    export.set_defaults(handler=cmd_export)

    load = policy.add_parser(
        "import", help="replace the policies with those of a YAML file (all or nothing)"
    )
    load.add_argument("file")
    load.add_argument("--administration", required=True)
    load.set_defaults(handler=cmd_import)

    handbook = policy.add_parser("handbook", help="print the collection handbook")
    handbook.add_argument("--administration", required=True)
    handbook.add_argument("--format", choices=["md", "pdf"], default="md")
    handbook.add_argument(
        "--output",
        help="file to write (default: standard output; a PDF to a terminal goes to "
        "collection-handbook-CODE.pdf)",
    )
    handbook.add_argument(
        "--language", choices=["nl", "fr", "en"], help="default: the administration's language"
    )
    handbook.set_defaults(handler=cmd_handbook)
