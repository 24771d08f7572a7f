"""The house's picture (issue 22, item 4): no circle in the triage core, no arrow from the tools up to the web
endpoint, the model generator beside the skill. Every import counts, deferred ones inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKILL = ROOT / "skill"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The modules ``path`` imports (``from . import x`` as ``package.x`` when x is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            for alias in node.names:
                found.add(f"{target}.{alias.name}")
    return found


MODULES = {module_name(path): path for path in SKILL.rglob("*.py") if "__pycache__" not in path.parts}
GRAPH = {name: {other for other in imports_of(path) if other in MODULES and other != name}
         for name, path in MODULES.items()}


def cycles_within(prefix: str) -> list[list[str]]:
    """Circles among the modules under ``prefix`` (its package's ``__init__``, which gathers them, left out)."""
    nodes = {n for n in GRAPH if n.startswith(prefix + ".")}
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(GRAPH[node] & nodes):
            if nxt in path:
                found.append(path[path.index(nxt):] + [nxt])
            elif len(path) < len(nodes):
                visit(nxt, path + [nxt])

    for start in sorted(nodes):
        visit(start, [start])
    return found


def test_no_circle_in_the_triage_core():
    assert cycles_within("skill.triage") == []


def test_the_loader_proves_the_protocol_and_the_core_depends_on_nothing_else():
    assert GRAPH["skill.triage.loader"] >= {"skill.triage.protocol", "skill.triage.safety"}
    assert "skill.triage.safety" not in GRAPH["skill.triage.protocol"]
    for name in (n for n in GRAPH if n.startswith("skill.triage")):
        assert all(other.startswith("skill.triage") for other in GRAPH[name]), name


def test_no_circle_in_the_alexa_glue():
    assert cycles_within("skill.alexa") == []


def test_the_tools_never_import_the_web_endpoint():
    for name in (n for n in GRAPH if n.startswith("skill.local.")):
        assert not any(other.startswith("skill.web") for other in GRAPH[name]), name


def test_the_skill_and_the_model_generator_never_import_the_tools_or_the_web():
    for name in (n for n in GRAPH if n.startswith(("skill.alexa", "skill.triage", "skill.store", "skill.model"))):
        assert not any(other.startswith(("skill.local", "skill.web")) for other in GRAPH[name]), name
    assert "skill.model.interaction_model" in GRAPH
