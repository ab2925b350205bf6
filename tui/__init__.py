"""papertray's terminal side: the Textual reader (app, screens, widgets) and the command line (cli, commands)."""
