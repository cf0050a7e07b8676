"""Loading the repository's scripts (scripts/*.py, not a package) as modules for the tests."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tipkg.paths import ROOT


def script(relative: str, name: str) -> ModuleType:
    """The script at ``relative`` (to the repository's root), imported as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, ROOT / relative)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
