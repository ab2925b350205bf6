"""The reader's screens and dialogs, one per module; the app pushes them, widgets never import them."""
