"""What panes announce; the main screen routes each with `@on` (panes never call each other)."""

from __future__ import annotations

from textual.message import Message

from ppl2album_tui.sync.rules import PersonRef, Rule


class PreviewRequested(Message):
    """Compute the preview of `rule` and show it."""

    def __init__(self, rule: Rule) -> None:
        super().__init__()
        self.rule = rule


class RuleSaved(Message):
    """`rule` was saved to the config."""

    def __init__(self, rule: Rule) -> None:
        super().__init__()
        self.rule = rule


class ConfigChanged(Message):
    """Rules or settings changed (deleted, enabled, an album id learnt): redraw what shows them."""


class AlbumsChanged(Message):
    """The server's albums changed (an apply created or filled one): read them again."""


class CycleFinished(Message):
    """An auto-sync cycle, an undo or a setting changed the per-rule results."""


class NewRuleRequested(Message):
    """Make a new rule of the People selection and open it in the editor."""


class SelectionForRule(Message):
    """Give the People selection to the rule being edited."""


class EditPeopleRequested(Message):
    """Mark these people on the People tab so the user can change them."""

    def __init__(self, people: list[PersonRef], exclude: list[PersonRef]) -> None:
        super().__init__()
        self.people, self.exclude = people, exclude
