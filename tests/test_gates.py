"""The engineering gates, run by the same command as the tests.

A rule nothing checks drifts: mypy (strict, on ``store`` and ``tui``), ruff (the
rule set in ``pyproject.toml``, on everything) and the import contracts (``store``
never imports the UI; ``tui`` is layered ``cli > commands > app > screens >
widgets``) each run here as a test, so ``pytest`` — the README's test command,
and so CI — fails when one of them does. The tools are test dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)


def _assert_clean(done: subprocess.CompletedProcess[str], tool: str) -> None:
    assert done.returncode == 0, f"{tool} failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"


def test_mypy_strict_on_store_and_tui() -> None:
    """Configuration (strict, the packages, per-module exceptions with reasons) is in pyproject.toml."""
    _assert_clean(_run(sys.executable, "-m", "mypy"), "mypy --strict")


def test_ruff_on_everything() -> None:
    _assert_clean(_run(sys.executable, "-m", "ruff", "check", "--no-cache", "."), "ruff")


def test_import_contracts() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports (import-linter) is not installed; it is a test dependency")
    done = _run(exe, "--no-cache")
    _assert_clean(done, "import-linter")
    assert "broken" not in done.stdout.lower().replace("0 broken", ""), done.stdout
