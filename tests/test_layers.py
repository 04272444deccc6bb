"""The package's shape: no import cycle between modules (the floors themselves are checked by
``lint-imports`` in ``make test``, with the contracts in pyproject.toml)."""
import grimp


def _cycles(graph) -> list[list[str]]:
    """Import cycles among modules, found by depth-first search (each reported once)."""
    modules = sorted(graph.modules)
    state, stack, cycles = {}, [], []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if state.get(imported) == "open":
                cycles.append(stack[stack.index(imported):] + [imported])
            elif imported not in state:
                visit(imported)
        stack.pop()
        state[module] = "done"

    for module in modules:
        if module not in state:
            visit(module)
    return cycles


def test_no_import_cycle_inside_pipeline():
    graph = grimp.build_graph("pipeline", include_external_packages=False)
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    class Graph:
        modules = {"a", "b", "c"}

        @staticmethod
        def find_modules_directly_imported_by(module):
            return {"a": {"b"}, "b": {"c"}, "c": {"a"}}[module]

    assert _cycles(Graph()) == [["a", "b", "c", "a"]]
