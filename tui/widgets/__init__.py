"""The reader's widgets, each with its own keys, messages and component classes; they import no screen."""
