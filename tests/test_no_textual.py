"""``store/`` is the core: it must never import textual (harlequin's rule, checked the same way).

The check runs in a fresh interpreter, since this test process has textual
loaded already by other tests. It imports ``store`` and then every module
under it, one by one, noting after each whether textual (or the UI package
``tui``) appeared, so a failure names the module that pulled it in.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import store
from tests.conftest import ROOT

MODULES = ["store", *sorted(info.name for info in pkgutil.walk_packages(store.__path__, prefix="store."))]

PROBE = """
import importlib, sys
def ui_loaded():
    return sorted(n for n in sys.modules if n == "textual" or n.startswith(("textual.", "tui.")) or n == "tui")
for name in sys.argv[1:]:
    importlib.import_module(name)
    print(name, ",".join(ui_loaded()) or "-", sep="\\t")
"""


def probe(*modules: str) -> dict[str, str]:
    """Module -> UI modules loaded after importing it (and those before), or "-"."""
    result = subprocess.run([sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return dict(line.split("\t") for line in result.stdout.splitlines())


def test_the_list_of_modules_is_complete() -> None:
    on_disk = {p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".") for p in (ROOT / "store").rglob("*.py")}
    on_disk = {name.removesuffix(".__init__") for name in on_disk}
    assert on_disk <= set(MODULES)
    assert {"store.store", "store.state", "store.corpus", "store.storage", "store.lock", "store.atomic"} <= set(MODULES)


def test_no_store_module_imports_textual() -> None:
    seen = probe(*MODULES)
    assert list(seen) == MODULES, "every module imported"
    offenders = [(name, ui) for name, ui in seen.items() if ui != "-"]
    assert offenders == [], f"{offenders[0][0]} pulled in {offenders[0][1]}"


def test_the_probe_would_notice_textual() -> None:
    seen = probe("store.model", "textual.app")
    assert seen["store.model"] == "-"
    assert "textual" in seen["textual.app"].split(",")
