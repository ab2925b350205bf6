"""Subcommands of the ``papertray`` command line, one module per group.

Each module has ``register(subparsers)``; the parser it adds sets ``func``
to a ``run(args) -> int`` function.
"""
