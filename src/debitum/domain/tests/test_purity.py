"""The domain core imports no Django and never reads the clock (DESIGN: time is explicit)."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[1]
SOURCES = [path for path in DOMAIN.glob("*.py")]


def test_domain_imports_no_django():
    for path in SOURCES:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert not name.startswith(("django", "debitum.")) or name.startswith(
                    "debitum.domain"
                ), f"{path.name} imports {name}"


def test_domain_never_reads_the_clock():
    for path in SOURCES:
        text = path.read_text()
        for call in ("date.today(", "datetime.now(", "timezone.now(", "time.time("):
            assert call not in text, f"{path.name} calls {call}"
