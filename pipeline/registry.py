"""One small registry for swappable parts, chosen by name in configs/pipeline.yaml.

Adding a part is one decorated function plus one config line, e.g.::

    @detectors.register("my_detector")
    def make_my_detector(config): ...

and ``detect: {detector: my_detector}`` in the config.
"""
from __future__ import annotations

from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)


class Registry:
    """A named table of factories: ``register`` adds one, ``get`` looks one up."""

    def __init__(self, kind: str):
        self.kind = kind
        self._factories: dict[str, Callable] = {}

    def register(self, name: str) -> Callable[[F], F]:
        """Decorator registering ``func`` under ``name``."""
        def decorator(func: F) -> F:
            if name in self._factories:
                raise ValueError(f"{self.kind} '{name}' is registered twice")
            self._factories[name] = func
            return func
        return decorator

    def get(self, name: str) -> Callable:
        """The factory registered as ``name``; KeyError lists the known names."""
        try:
            return self._factories[name]
        except KeyError:
            raise KeyError(f"unknown {self.kind} '{name}'; known: {', '.join(self.names())}") from None

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._factories)


detectors = Registry("language detector")
ner_backends = Registry("NER backend")
aligners = Registry("alignment method")
