"""The simulator's modules import one way only, and platforms register their profiles as data.

Every `import simulator...` counts, also inside functions and `if TYPE_CHECKING:`
blocks: an upward import there is still a cycle for a reader and for review tools.
"""

from __future__ import annotations

import ast
from pathlib import Path

from simulator.platforms import PLATFORMS, PROFILES
from simulator.profiles import DEFAULT_PROFILE
from simulator.world import World

from .conftest import NOW

ROOT = Path(__file__).resolve().parents[3]
# the data layer at the bottom of the order: nothing from the project below it
LEAVES = ("simulator.clock", "simulator.models", "simulator.profiles", "simulator.rand")


def _modules() -> dict[str, Path]:
    out = {}
    for path in (ROOT / "simulator").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()

    def owner(name: str) -> str:
        while name not in mods:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for mod, path in mods.items():
        edges = graph.setdefault(mod, set())
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            edges.update(owner(n) for n in names if n.startswith("simulator"))
        edges.discard(mod)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(mod: str, path: list[str]) -> list[str] | None:
        state[mod] = 1
        for dep in sorted(graph[mod]):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep] if dep in path else [mod, dep]
            if dep not in state and (found := visit(dep, [*path, dep])):
                return found
        state[mod] = 2
        return None

    for mod in sorted(graph):
        if mod not in state and (found := visit(mod, [mod])):
            return found
    return None


def test_simulator_imports_have_no_cycle():
    assert _cycle(_graph()) is None


def test_data_modules_import_nothing_from_the_project():
    graph = _graph()
    assert {leaf: graph[leaf] for leaf in LEAVES} == {leaf: set() for leaf in LEAVES}


def test_every_platform_hands_over_its_own_profile():
    assert {p.name for p in PLATFORMS} == set(PROFILES)
    assert all(p.profile is not None and p.profile.name == p.name for p in PLATFORMS)


def test_the_world_uses_the_profiles_it_is_given():
    world = World(1, NOW, profiles=PROFILES)
    assert world.account("youtube", "UCa").profile is PROFILES["youtube"]
    assert world.account("nowhere", "a").profile is DEFAULT_PROFILE
    assert World(1, NOW, profiles={}).account("youtube", "UCa").profile is DEFAULT_PROFILE
