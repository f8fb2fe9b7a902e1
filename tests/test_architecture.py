"""The shape of the package (issue 17): a thin CLI, no import circle, the model's path apart from the
data tooling, one docstring per module saying its job, one label list."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsevents"
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(p): p for p in MODULES}


def imports(path: Path) -> set[str]:
    """Every newsevents module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}  # `from newsevents import build`
    return {name for name in found if name in NAMES and name != "newsevents"}


GRAPH = {name: imports(path) for name, path in NAMES.items()}


def test_no_module_imports_itself_through_others():
    def reach(start):
        seen, todo = set(), list(GRAPH[start])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo += GRAPH.get(m, ())
        return seen

    circles = sorted(m for m in GRAPH if m in reach(m))
    assert circles == []


def test_the_model_path_never_needs_the_data_tooling():
    model_side = [m for m in GRAPH if not m.startswith("newsevents.data")]
    leaks = {m: sorted(i for i in GRAPH[m] if i.startswith("newsevents.data")) for m in model_side}
    # the CLI dispatches `newsevents data ...` to newsevents.data.cli; nothing else reaches in
    assert {m: v for m, v in leaks.items() if v and m != "newsevents.cli"} == {}


def test_the_cli_is_a_parser_and_short_bodies():
    clis = [p for p in MODULES if p.stem.endswith("cli")]  # cli.py, data/cli.py, data/roles_cli.py
    assert len(clis) >= 3 and {p.name: n for p in clis if (n := len(p.read_text(encoding="utf-8").splitlines())) >= 200} == {}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_every_module_says_its_job(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 5, f"{path.name}: no module docstring saying what it is for"


def test_one_label_list():
    from newsevents.config import Config
    from newsevents.data.build import STARTER_META
    from newsevents.schema import LABELS

    assert tuple(Config().labels) == LABELS and tuple(STARTER_META["labeled"]) == LABELS
    spelled = [p.name for p in MODULES if p.name != "schema.py" and '"ACTOR", "DEPLOYMENT", "MEETING", "CONDEMNATION"' in p.read_text(encoding="utf-8")]
    assert spelled == []
