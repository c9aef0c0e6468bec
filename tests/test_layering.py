"""The one-way dependencies of DESIGN.md, checked at run time as well as by import-linter."""

import subprocess
import sys


def _modules_after_import(*packages: str) -> set[str]:
    code = "import importlib, pkgutil, sys\n"
    for pkg in packages:
        code += (
            f"import {pkg}\n"
            f"for m in pkgutil.walk_packages({pkg}.__path__, '{pkg}.'):\n"
            "    importlib.import_module(m.name)\n"
        )
    code += "print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(out.stdout.split())


def test_modem_and_store_never_load_textual():
    loaded = _modules_after_import("modem", "store")
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_modem_never_loads_peewee_and_store_never_loads_serial():
    assert "peewee" not in _modules_after_import("modem")
    assert "serial" not in _modules_after_import("store")
