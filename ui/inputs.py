"""What a person sends the app, bounded before it reaches the rest, and refused in French.

- ``choice``: a dropdown that passes any value on to the app's own checks (the filters'
  rules, the engine's names), which refuse in a short French line. Gradio's own refusal of a
  value outside the choices quoted it whole: a 5 MB value went to the log with a
  traceback, and back to the sender. (A subclass of Gradio's dropdown cannot be used
  instead: Gradio writes a ``.pyi`` file next to the source of any component class.)
- ``refused``: the error for an expected refusal (not an administrator, an unknown choice…):
  one line in the log (``bilan.ui``), cut short, and a French message for the toast.

The size of a whole request is bounded earlier, by the gate (``ui.gate.MAX_REQUEST_BYTES``);
the question and the conversation by ``assistant.user_text`` and the chat tab.
"""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from assistant.user_text import shown

log = logging.getLogger("bilan.ui")
MAX_SEARCH_CHARS = 200  # a lever search: a few words


def noted(message: str) -> str:
    """``message``, once written to the log as one line cut short (a refusal's record)."""
    log.warning("refus : %s", shown(message, 200))
    return message


def refused(message: str) -> gr.Error:
    """The error to raise for an expected refusal: a French toast, one log line, no
    traceback (Gradio prints one for any other error)."""
    return gr.Error(noted(message), print_exception=False)


def choice(choices: list[Any], **options: Any) -> gr.Dropdown:
    """A dropdown of ``choices`` whose value, whatever the browser sends, is checked by the
    handler it goes to (see the module's docstring)."""
    return gr.Dropdown(choices, allow_custom_value=True, **options)
