"""What both fuzz targets share: start atheris on seeds unless a corpus is named.

Imported by the targets after ``sys.path`` holds the repository root.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import atheris


def run(test_one_input: Callable[[bytes], None], seeds: Callable[[], str]) -> None:
    """Fuzz ``test_one_input``; with no corpus directory on the command line, seed one."""
    argv = list(sys.argv)
    if not any(not arg.startswith("-") for arg in argv[1:]):
        argv.append(seeds())
    atheris.enabled_hooks.add("RegEx")
    atheris.enabled_hooks.add("str")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
