"""The assistant: settings, the engine behind the CLI and the web app, answers."""
