"""The package's structure: one-way data flow between stage folders, relative imports, small functions."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE_DIRS = ("extract", "normalize", "schemas", "load", "compare")
MAX_FUNCTION_LINES = 60
# Which stage folders each one may import from (data flows extract → normalize → schemas → load → compare).
ALLOWED = {
    "extract": {"extract", "normalize", "schemas"},
    "normalize": {"extract", "normalize", "schemas"},
    "schemas": {"extract", "normalize", "schemas"},
    "load": {"extract", "normalize", "schemas", "load"},
    "compare": {"extract", "normalize", "schemas", "load", "compare"},
}


def package_modules() -> list[Path]:
    files = [REPO / "cli.py", REPO / "__init__.py"]
    for folder in PACKAGE_DIRS:
        files += sorted((REPO / folder).rglob("*.py"))
    return files


def _imports(path: Path) -> list[ast.ImportFrom | ast.Import]:
    return [
        n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Import | ast.ImportFrom)
    ]


def _target_folder(path: Path, node: ast.ImportFrom) -> str | None:
    """The top-level folder a relative import reaches, e.g. "normalize" for `from ..normalize import text`."""
    parts = list(path.relative_to(REPO).parts[:-1])
    base = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
    target = base + (node.module.split(".") if node.module else [])
    return target[0] if target else None


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_imports_inside_the_package_are_relative_and_flow_one_way(path):
    folder = path.relative_to(REPO).parts[0]
    for node in _imports(path):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "malbild" for a in node.names), f"{path}: absolute import"
            continue
        assert node.level > 0 or (node.module or "").split(".")[0] != "malbild", f"{path}: absolute {node.module}"
        if node.level and folder in ALLOWED:
            target = _target_folder(path, node)
            assert target is None or target in ALLOWED[folder], f"{path} imports from {target}"


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_function_is_longer_than_sixty_lines(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, long


def test_importing_the_storage_stage_loads_no_nlp_or_matching_library():
    code = (
        "import sys; import malbild.load.db, malbild.load.store, malbild.load.schema, malbild.load.ingest, "
        "malbild.load.queries, malbild.load.export; "
        "print(sorted(m for m in ('spacy', 'rapidfuzz', 'numpy', 'scipy', 'thinc') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
