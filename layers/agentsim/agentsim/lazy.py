"""Package exports imported on first use (PEP 562 module `__getattr__`).

A cold start pays for what it imports. A provider package's `__init__` naming its adapter,
client and models eagerly would make `import agentsim.providers.bluejay.requests` (all the
request envelope needs) load httpx and every response model as well. So a package names its
exports once, in a table of module -> names, and this builds its `__getattr__` and `__all__`
from that table. Code in the layer imports from the modules themselves; the package names are
for callers outside it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, homes: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], list[str]]:
    """(`__getattr__`, `__all__`) for `package`: each name in `homes` (module -> names) is
    imported from `package.<module>` when first asked for."""
    home_of = {name: module for module, names in homes.items() for name in names}

    def attribute(name: str) -> Any:
        module = home_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return attribute, sorted(home_of)
