"""The helpers the reader screen (`tui.screens.main.MainScreen`) owns, one job each.

The screen keeps the layout, the bindings and the views; each controller holds
the state and the steps of one kind of key: filtering, triage and queues,
copying and links, the session and the store's news. They reach the widgets
through the screen, and the screen's ``action_*`` methods call them.
"""
