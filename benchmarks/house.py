"""The house measured from its source (issue 39), reading every import with ``ast``.

    python benchmarks/house.py          # a plain-text report
    python benchmarks/house.py --json   # the same as one JSON object

It prints: import circles between modules and between layers (folders); every import that
does not run downhill in ARCHITECTURE.md's layers (the rule is printed first); modules over
450 lines; the lines of ``cli/course.py`` and of the whole library; functions over 60 lines;
function-local imports that repeat a top-level import of the same module; where ``LANGS``
is defined. Every import counts, the function-local ones too, but one: an engine object's
printing hook (``__str__``, ``_repr_latex_``, …) may import its printer on first use, as
SymPy's ``Printable`` does (ARCHITECTURE.md). ``tests/test_house.py`` holds the line.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
from dataclasses import dataclass
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[1] / "symbrnn"
BASE = "base"  # the top-level modules errors, io, __init__: at the bottom, available to all
MAIN = "__main__"  # `python -m symbrnn`: runs the command line, imported by nobody
_ABOVE_JUDGE = ("engine", "printing", "numeric", "proof")
_ABOVE_SHEETS = (*_ABOVE_JUDGE, "judge", "counts")
# ARCHITECTURE.md's table, column "may import" (plus BASE, which every layer may import)
RULES: dict[str, tuple[str, ...]] = {
    BASE: (),
    "engine": (),
    "printing": ("engine",),
    "numeric": ("engine", "printing"),
    "proof": ("engine", "printing", "numeric"),
    "judge": _ABOVE_JUDGE,
    "counts": ("engine", "printing"),
    "sheets": _ABOVE_SHEETS,
    "exam": (*_ABOVE_SHEETS, "sheets"),
    "web": (*_ABOVE_SHEETS, "sheets", "exam"),
    "cli": (*_ABOVE_SHEETS, "sheets", "exam", "web"),
    MAIN: ("cli",),
}
PRINT_HOOKS = {"__str__", "__repr__", "_latex", "_sympystr", "_repr_latex_", "_repr_html_"}
MAX_MODULE, MAX_FUNCTION = 450, 60


@dataclass(frozen=True)
class Import:
    """One import statement's edge: ``source`` (a module of the library) imports ``target``."""

    source: str
    target: str
    line: int
    function: str | None  # the enclosing function of a function-local import, else None

    @property
    def lazy_printing(self) -> bool:
        """An engine object's printing hook importing its printer on first use."""
        return (
            layer(self.source) == "engine"
            and layer(self.target) == "printing"
            and self.function in PRINT_HOOKS
        )


def module_name(path: Path) -> str:
    parts = path.relative_to(LIBRARY.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str | None:
    """The layer of a module of the library (None outside it)."""
    parts = module.split(".")
    if parts[0] != "symbrnn":
        return None
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in ("errors", "io")):
        return BASE
    if parts[1] == MAIN:
        return MAIN
    return parts[1] if parts[1] in RULES else BASE


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(LIBRARY.rglob("*.py"))}


@functools.cache
def tree(path: Path) -> ast.Module:
    """The module's syntax tree (an empty one for a file that does not parse: reported apart)."""
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def unreadable(sources: dict[str, Path]) -> list[str]:
    return [m for m, p in sources.items() if not tree(p).body and p.stat().st_size]


def _targets(node, source: str, is_package: bool, known) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:  # a relative import
        package = source.split(".")
        package = package if is_package else package[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    named = [f"{base}.{alias.name}" for alias in node.names]
    return sorted({name if name in known else base for name in named})


def _walk(tree, function=None):
    """Every import node with its enclosing function's name (None at module level)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, function
        inner = node.name if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else function
        yield from _walk(node, inner)


def imports(sources: dict[str, Path] | None = None) -> list[Import]:
    """Every import between modules of the library, function-local ones included."""
    sources = sources or modules()
    found = []
    for source, path in sources.items():
        for node, function in _walk(tree(path)):
            for target in _targets(node, source, path.name == "__init__.py", sources):
                if target.split(".")[0] == "symbrnn" and target != source:
                    found.append(Import(source, target, node.lineno, function))
    return found


def uphill(edges: list[Import]) -> list[Import]:
    """The imports that break ARCHITECTURE.md's rule (a layer imports itself and BASE freely)."""
    wrong = []
    for edge in edges:
        src, dst = layer(edge.source), layer(edge.target)
        if src != dst and dst != BASE and dst not in RULES[src] and not edge.lazy_printing:
            wrong.append(edge)
    return wrong


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def module_circles(edges: list[Import]) -> list[list[str]]:
    graph: dict[str, set[str]] = {}
    for edge in edges:
        if not edge.lazy_printing:
            graph.setdefault(edge.source, set()).add(edge.target)
    return circles(graph)


def layer_circles(edges: list[Import]) -> list[list[str]]:
    graph: dict[str, set[str]] = {}
    for edge in edges:
        src, dst = layer(edge.source), layer(edge.target)
        if src != dst and not edge.lazy_printing:
            graph.setdefault(src, set()).add(dst)
    return circles(graph)


def _functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def sizes(sources: dict[str, Path]) -> dict:
    lines = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in sources.items()}
    long_functions = []
    for module, path in sources.items():
        for fn in _functions(tree(path)):
            length = fn.end_lineno - fn.lineno + 1
            if length > MAX_FUNCTION:
                long_functions.append((f"{module}.{fn.name}:{fn.lineno}", length))
    return {
        "library_lines": sum(lines.values()),
        "cli_course_lines": lines.get("symbrnn.cli.course"),
        "modules_over_450": sorted(
            ((m, n) for m, n in lines.items() if n > MAX_MODULE), key=lambda x: -x[1]
        ),
        "functions_over_60": sorted(long_functions, key=lambda x: -x[1]),
    }


def repeated_imports(sources: dict[str, Path]) -> list[str]:
    """Function-local imports of a module that the same file already imports at the top."""
    repeated = []
    for module, path in sources.items():
        top, local = set(), []
        for node, function in _walk(tree(path)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for name in names:
                if function is None:
                    top.add(name)
                else:
                    local.append((name, function, node.lineno))
        repeated += [
            f"{module}:{line} {fn}() imports {name}" for name, fn, line in local if name in top
        ]
    return repeated


def definitions(sources: dict[str, Path], name: str = "LANGS") -> list[str]:
    """Where ``name`` is assigned, as ``module:line``."""
    found = []
    for module, path in sources.items():
        for node in ast.walk(tree(path)):
            targets = (
                node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            )
            if isinstance(node, ast.Assign | ast.AnnAssign) and any(
                isinstance(t, ast.Name) and t.id == name for t in targets
            ):
                found.append(f"{module}:{node.lineno}")
    return found


def measure() -> dict:
    sources = modules()
    edges = imports(sources)
    return {
        "rule": {name: [*allowed, BASE] if name != BASE else [] for name, allowed in RULES.items()},
        "module_circles": module_circles(edges),
        "layer_circles": layer_circles(edges),
        "uphill": [
            f"{e.source}:{e.line} → {e.target}" + (f" (in {e.function})" if e.function else "")
            for e in uphill(edges)
        ],
        "lazy_printing": [
            f"{e.source}:{e.line} {e.function} → {e.target}" for e in edges if e.lazy_printing
        ],
        **sizes(sources),
        "repeated_local_imports": repeated_imports(sources),
        "LANGS": definitions(sources),
        "unreadable": unreadable(sources),
    }


def _print(report: dict) -> None:
    print("Rule (ARCHITECTURE.md): a layer imports itself, the layers listed, and base")
    print("(errors, io, __init__); function-local imports count, but for an engine object's")
    print("printing hook importing its printer on first use.")
    for name, allowed in report["rule"].items():
        print(f"  {name:9} may import: {', '.join(allowed) or 'nothing of symbrnn'}")
    for key, title in [
        ("module_circles", "Import circles between modules"),
        ("layer_circles", "Import circles between layers"),
        ("uphill", "Imports that do not run downhill"),
        ("lazy_printing", "Printing hooks that import their printer on first use (allowed)"),
        ("modules_over_450", f"Modules over {MAX_MODULE} lines"),
        ("functions_over_60", f"Functions over {MAX_FUNCTION} lines"),
        ("repeated_local_imports", "Function-local imports repeating a top-level import"),
        ("LANGS", "LANGS defined at"),
        ("unreadable", "Modules that do not parse (not measured)"),
    ]:
        items = report[key]
        print(f"\n{title}: {len(items)}")
        for item in items:
            shown = (
                " ⇄ ".join(item)
                if "circles" in key
                else " ".join(map(str, item))
                if isinstance(item, tuple | list)
                else item
            )
            print(f"  {shown}")
    print(f"\ncli/course.py: {report['cli_course_lines']} lines")
    print(f"library (symbrnn/**/*.py): {report['library_lines']} lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    report = measure()
    if parser.parse_args().json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print(report)


if __name__ == "__main__":
    main()
