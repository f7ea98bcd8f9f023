"""Form containers: while focus is inside one, the app's one-letter keys do nothing.

A letter typed on a focused button or checkbox of a form is a slip, not a command: `q` must not
quit and `1` must not switch tabs from the Connect form or the rule editor. Text fields take
their letters anyway; F1–F4 / alt+1–alt+4, the ctrl keys and the palette keep working.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll

# the app's and the main screen's one-key bindings (see app.py and screens/main.py)
GLOBAL_LETTERS = "q,question_mark,s,p,1,2,3,4"
FORM_BINDINGS: list[BindingType] = [Binding(GLOBAL_LETTERS, "form_key", show=False)]


class Form(Vertical):
    """A vertical form (Connect)."""

    BINDINGS: ClassVar[list[BindingType]] = FORM_BINDINGS

    def action_form_key(self) -> None:
        """Swallow a global letter typed in the form."""


class ScrollingForm(VerticalScroll):
    """A scrolling form (the rule editor)."""

    BINDINGS: ClassVar[list[BindingType]] = FORM_BINDINGS

    def action_form_key(self) -> None:
        """Swallow a global letter typed in the form."""
