"""Test modules that need an optional package skip, with the command that installs it,
when it is missing, unless ``SYMBRNN_REQUIRE`` (CI) names it: then they fail."""

import ast
import importlib.util
import os
from pathlib import Path

import pytest

TEST_EXTRA = "pip install -e '.[test]'"
# the package a test module imports → how to install it
OPTIONAL = {
    "hypothesis": TEST_EXTRA,
    "starlette": TEST_EXTRA,
    "uvicorn": TEST_EXTRA,
    "httpx": TEST_EXTRA,
    "playwright": TEST_EXTRA,
    "nbclient": TEST_EXTRA,
    "nbformat": TEST_EXTRA,
    "mpmath": TEST_EXTRA,
    "torch": "pip install torch",
}


def _required() -> set[str]:
    return {m.strip() for m in os.environ.get("SYMBRNN_REQUIRE", "").split(",") if m.strip()}


def _missing_imports(path: Path) -> list[str]:
    """The optional packages the module imports at its top level and this machine lacks."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return sorted(
        n
        for n in names & set(OPTIONAL)
        if importlib.util.find_spec(n) is None and n not in _required()
    )


class _SkippedModule(pytest.Module):
    reason = ""

    def collect(self):
        pytest.skip(self.reason, allow_module_level=True)


def pytest_pycollect_makemodule(module_path, parent):
    missing = _missing_imports(Path(module_path))
    if not missing:
        return None
    module = _SkippedModule.from_parent(parent, path=Path(module_path))
    install = " and ".join(dict.fromkeys(OPTIONAL[m] for m in missing))
    module.reason = f"needs {', '.join(missing)}: {install}"
    return module


# the web page's doctest drives Starlette's test client (the serve extra)
collect_ignore = (
    ["symbrnn/web/app.py"]
    if importlib.util.find_spec("starlette") is None and "starlette" not in _required()
    else []
)
