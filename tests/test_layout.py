"""The rooms keep to their floors: pages use services, services use
models, and nothing below imports from above (README, "Where things are")."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("admin", "views", "templating", "security", "server", "commands", "app")
BELOW_THE_PAGES = ("services", "models", "config", "demo", "formatting.py")


def modules_imported_by(path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def python_files(room):
    place = ROOT / room
    return [place] if place.is_file() else sorted(place.rglob("*.py"))


@pytest.mark.parametrize("room", BELOW_THE_PAGES)
def test_nothing_below_the_pages_imports_a_page(room):
    upward = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(room)
        for name in modules_imported_by(path)
        if name.split(".")[0] in PAGES
    ]
    assert upward == []


def test_models_import_no_service():
    upward = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files("models")
        for name in modules_imported_by(path)
        if name.split(".")[0] == "services"
    ]
    assert upward == []
