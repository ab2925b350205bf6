"""papertray's core: papers, reading state, queues, import, search, citations.

Plain Python with no UI imports; the TUI and the CLI both stand on it.
"""
