"""The composition root: the one place that knows every layer.

``python -m bilan COMMANDE`` (and the ``bilan-assistant`` script) is the command line of
``assistant.cli`` with the web server of ``ui.app`` given to it, so ``serve`` works here and
``assistant`` never imports ``ui``. Nothing but ``bilan`` may import every package
(``ui -> assistant -> vectorstore <- ingest``: tests/test_architecture.py).
"""
