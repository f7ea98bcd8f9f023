"""Rules tab: the list of rules and the rule editor."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ListItem,
    ListView,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from ppl2album_tui.sync.dates import birthday_person, describe, needs_birth_date
from ppl2album_tui.sync.ruleform import FORM, FormValue, rule_from_form, rule_to_form
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError, ShareRef
from ppl2album_tui.sync.settings import ConfigError
from ppl2album_tui.sync.yearly import is_yearly, year_name
from ppl2album_tui.tui.messages import (
    ConfigChanged,
    EditPeopleRequested,
    PreviewRequested,
    RuleSaved,
)
from ppl2album_tui.tui.services import Services
from ppl2album_tui.tui.widgets.faces import FaceChips
from ppl2album_tui.tui.widgets.form import ScrollingForm

NEW = "__new__"
# The form's hand-placed controls by rule key (FORM, derived from the key declarations, says
# what each key is); a key not placed here gets a control of its kind in the "More" row.
# Choice keys are radio sets whose buttons are "#<prefix>-<choice>".
PLACED_INPUTS = {"name": "#rule-name", "globs": "#rule-globs", "taken_after": "#rule-after",
                 "taken_before": "#rule-before", "shared_link_expires": "#rule-link-expires",
                 "shared_link_password": "#rule-link-password"}  # fmt: skip
PLACED_SWITCHES = {"case_sensitive_globs": "#rule-case", "include_archived": "#rule-archived",
                   "favorites_only": "#rule-favorites", "auto_apply": "#rule-auto",
                   "enabled": "#rule-enabled", "shared_link": "#rule-link",
                   "shared_link_allow_download": "#rule-link-download",
                   "approve_new": "#rule-approve"}  # fmt: skip
PLACED_CHOICES = {"match": "match", "media_type": "type"}
EDITOR_KEYS = {"album_name"}  # the album picker and the new-album field decide it
DATE_INPUTS = {  # the "Dates" row (its inputs are "#rule-more-<key>" like the More row's)
    "age": "age, e.g. 0-2",
    "yearly": "every year, e.g. 12-20, 01-06",
    "birthday_days": "birthday ± days",
    "birthday_of": "whose birthday",
}
DATE_KEYS = tuple(DATE_INPUTS)
MORE = [
    f
    for f in FORM
    if f.control != "picked"
    and f.key not in {*PLACED_INPUTS, *PLACED_SWITCHES, *PLACED_CHOICES, *EDITOR_KEYS, *DATE_INPUTS}
]


def parse_day(text: str, what: str) -> date | None:
    """'' → None, '2019-01-01' → date; ValueError with one sentence otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} must be a date like 2019-01-31.") from None


def dates_text(services: Services, rule: Rule | None) -> Text:
    """The dates a rule's windows come to and its year albums, for the editor ('' if none)."""
    if rule is None:
        return Text("")
    born = None
    if needs_birth_date(rule) and rule.people:
        try:
            who = birthday_person(rule).id
        except RuleError:
            who = ""
        text = next((p.birth_date for p in services.people if p.id == who and p.birth_date), "")
        born = parse_day(text[:10], "birth date") if text else None
    line = describe(rule, born)
    style = "bold yellow" if needs_birth_date(rule) and born is None else "italic"
    out = Text(line, style=style)
    if is_yearly(rule):
        years = f"{year_name(rule, 2019)}, {year_name(rule, 2020)}, …"
        out.append(("\n" if line else "") + f"One album per year: {years} (made on demand).",
                   style="italic")  # fmt: skip
    return out


def rule_line(services: Services, rule: Rule) -> Text:
    """One line of the rules list."""
    text = Text(rule.name, style="bold" if rule.enabled else "dim strike")
    text.append(f"\n→ {services.album_name(rule)} · {len(rule.people)} people", style="dim")
    if not rule.auto_apply:
        text.append(" · manual", style="dim")
    return text


class RulesPane(Horizontal):
    """The Rules tab: list on the left, editor on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save rule"),
        Binding("ctrl+o", "preview", "Preview"),
        Binding("ctrl+e", "edit_people", "Edit people"),
        Binding("escape", "leave_field", "Leave field", show=False),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(id="rules-pane")
        self.services = services
        self.editing: Rule | None = None  # the saved rule being edited (None: a new one)
        self.people: list[PersonRef] = []
        self.exclude: list[PersonRef] = []
        self.share_with: list[ShareRef] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="rules-side"):
            yield Label("Rules", classes="section-title")
            yield ListView(id="rules-list")
        with ScrollingForm(id="rule-form"):
            with Horizontal(classes="field"):
                yield Label("Rule", classes="field-label")
                yield Input(placeholder="a name, e.g. Kids", id="rule-name", compact=True)
            with Horizontal(classes="field tall"):
                yield Label("People", classes="field-label")
                yield FaceChips(self.services, id="rule-people")
            with Horizontal(classes="field"):
                yield Label("Match", classes="field-label")
                with RadioSet(id="rule-match", classes="inline", compact=True):
                    yield RadioButton("any of them", value=True, id="match-any")
                    yield RadioButton("all of them together", id="match-all")
            with Horizontal(classes="field"):
                yield Label("Exclude", classes="field-label")
                yield Static("", id="rule-exclude")
            with Horizontal(classes="field"):
                yield Label("Files", classes="field-label")
                yield Input(placeholder="*.jpg, *.heic (empty: all)", id="rule-globs", compact=True)
                yield Checkbox("case-sensitive", id="rule-case", compact=True)
            with Horizontal(classes="field"):
                yield Label("Type", classes="field-label")
                with RadioSet(id="rule-type", classes="inline", compact=True):
                    yield RadioButton("all", value=True, id="type-all")
                    yield RadioButton("photos", id="type-image")
                    yield RadioButton("videos", id="type-video")
            with Horizontal(classes="field"):
                yield Label("Taken", classes="field-label")
                yield Input(
                    placeholder="from YYYY-MM-DD", id="rule-after", classes="date", compact=True
                )
                yield Input(
                    placeholder="to YYYY-MM-DD", id="rule-before", classes="date", compact=True
                )
            with Horizontal(classes="field"):
                yield Label("Also", classes="field-label")
                yield Checkbox("archived photos", id="rule-archived", compact=True)
                yield Checkbox("favourites only", id="rule-favorites", compact=True)
            with Horizontal(classes="field"):
                yield Label("Album", classes="field-label")
                yield Select[str]([], prompt="pick a server album", id="rule-album", compact=True)
                yield Input(placeholder="or a new album name", id="rule-new-album", compact=True)
            with Horizontal(classes="field"):
                yield Label("Dates", classes="field-label")
                for key, hint in DATE_INPUTS.items():
                    doc = next(f.doc for f in FORM if f.key == key)
                    yield Input(placeholder=hint, id=f"rule-more-{key}", tooltip=doc,
                                compact=True)  # fmt: skip
            yield Static("", id="rule-dates")
            if MORE:
                with Horizontal(classes="field"):
                    yield Label("More", classes="field-label")
                    with Grid(id="rule-more"):  # two a row: each label reads in full
                        for f in MORE:
                            label = f.key.replace("_", " ")
                            if f.control == "switch":
                                yield Checkbox(label, id=f"rule-more-{f.key}", compact=True,
                                               tooltip=f.doc)  # fmt: skip
                            else:
                                yield Input(placeholder=label, id=f"rule-more-{f.key}",
                                            tooltip=f.doc, password=f.secret,
                                            compact=True)  # fmt: skip
            with Horizontal(classes="field"):
                yield Label("Shared", classes="field-label")
                yield Static("", id="rule-share-with")
                yield Button("Users…", id="rule-share", compact=True)
            with Horizontal(classes="field"):
                yield Label("Link", classes="field-label")
                yield Checkbox("shared link", id="rule-link", compact=True)
                yield Input(placeholder="until YYYY-MM-DD", id="rule-link-expires",
                            classes="date", compact=True)  # fmt: skip
                yield Input(placeholder="password (optional)", id="rule-link-password",
                            password=True, compact=True)  # fmt: skip
                yield Checkbox("allow download", value=True, id="rule-link-download",
                               compact=True)  # fmt: skip
            with Horizontal(classes="field"):
                yield Label("Auto", classes="field-label")
                yield Checkbox("apply on every sync tick", value=True, id="rule-auto", compact=True)
                yield Checkbox("enabled", value=True, id="rule-enabled", compact=True)
                yield Checkbox("approve new photos first", id="rule-approve", compact=True)
            yield Static("", id="rule-error")
            with Horizontal(id="rule-buttons"):
                yield Button("Edit people", id="rule-edit-people", compact=True)
                yield Button("Save", id="rule-save", compact=True)
                yield Button("Preview ▶", id="rule-preview", variant="primary", compact=True)
                yield Button("Delete", id="rule-delete", variant="error", compact=True)

    def on_mount(self) -> None:
        self.refresh_list()
        if self.services.config.rules:
            self.load_rule(self.services.config.rules[0])
        else:
            self.edit_new([], [])

    # ---- list ------------------------------------------------------------------------------

    def refresh_list(self) -> None:
        """Redraw the rules list."""
        view = self.query_one("#rules-list", ListView)
        view.clear()
        items = [
            ListItem(Static(rule_line(self.services, r)), name=r.name)
            for r in self.services.config.rules
        ]
        items.append(ListItem(Static(Text("+ New rule", style="bold")), name=NEW))
        view.extend(items)

    @on(ListView.Selected, "#rules-list")
    def _picked(self, event: ListView.Selected) -> None:
        name = event.item.name
        rule = self.services.rule_by_name(name or "")
        if rule is None:
            if self.editing is not None or not self.people:  # keep a new rule being made
                self.edit_new([], [])
            self.query_one("#rule-name", Input).focus()
        else:
            self.load_rule(rule)

    def config_changed(self) -> None:
        """Albums or rules changed elsewhere."""
        self._fill_albums()
        self.refresh_list()

    @on(Select.Changed, "#rule-album")
    def _album_picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):  # a server album replaces a new album's name
            self.query_one("#rule-new-album", Input).value = ""

    @on(Input.Changed, "#rule-new-album")
    def _album_typed(self, event: Input.Changed) -> None:
        select = self.query_one("#rule-album", Select)
        if event.value.strip() and isinstance(select.value, str):
            select.clear()

    def _fill_albums(self) -> None:
        # the form's own changes must not reach _album_picked / _album_typed: re-selecting the
        # shown album would clear the new album name a new rule was just given (issue 10, bug 2)
        with self.prevent(Select.Changed, Input.Changed):
            select = self.query_one("#rule-album", Select)
            current = select.value
            options = [(f"{a.name} ({a.asset_count:,})", a.id) for a in self.services.albums]
            select.set_options(options)
            wanted = self.editing.album_id if self.editing else None
            for value in (current, wanted):
                if isinstance(value, str) and any(v == value for _, v in options):
                    select.value = value
                    break

    # ---- form <-> rule ---------------------------------------------------------------------

    def edit_new(self, people: list[PersonRef], exclude: list[PersonRef]) -> None:
        """Start a new rule with `people`."""
        names = list(dict.fromkeys(p.name for p in people if p.name))  # one per name
        base = " & ".join(names[:3]) or "New rule"
        name, n = base, 2
        while self.services.rule_by_name(name):
            name, n = f"{base} {n}", n + 1
        # the album defaults to a new one named like the rule: Preview works at once, and
        # nothing is created before the apply's confirmation names it
        rule = Rule(name=name, people=people, exclude=exclude, album_name=name if people else None)
        self.load_rule(rule, new=True)

    def load_rule(self, rule: Rule, *, new: bool = False) -> None:
        """Fill the form with `rule`."""
        self.editing = None if new else rule
        self.set_people(list(rule.people), list(rule.exclude), switch=False)
        self.set_share_with(list(rule.share_with))
        for key, value in rule_to_form(rule).items():
            if key in PLACED_CHOICES:
                self.query_one(f"#{PLACED_CHOICES[key]}-{value}", RadioButton).value = True
            elif key not in EDITOR_KEYS:
                control = self._control(key)
                if isinstance(control, Checkbox):
                    control.value = bool(value)
                else:
                    control.value = str(value)
        self._fill_albums()
        with self.prevent(Select.Changed, Input.Changed):
            select = self.query_one("#rule-album", Select)
            if rule.album_id and any(a.id == rule.album_id for a in self.services.albums):
                select.value = rule.album_id
                self.query_one("#rule-new-album", Input).value = ""
            else:
                select.clear()
                self.query_one("#rule-new-album", Input).value = rule.album_name or ""
        self.query_one("#rule-delete", Button).display = not new
        self._error("")
        self._show_dates()

    @on(Input.Changed)
    def _dates_edited(self, event: Input.Changed) -> None:
        if event.input.id in ("rule-new-album", *(f"rule-more-{k}" for k in DATE_KEYS)):
            self._show_dates()

    def _show_dates(self) -> None:
        """Say what the rule's age, yearly or birthday window and year albums come to."""
        self.query_one("#rule-dates", Static).update(dates_text(self.services, self._draft()))

    def _draft(self) -> Rule | None:
        """The rule's people, windows and new album name as the form holds them, or None
        while they are not valid (saving then says why)."""
        values = {k: v for k, v in self._values().items() if k in DATE_KEYS}
        album = self.query_one("#rule-new-album", Input).value.strip()
        try:
            return rule_from_form({**values, "name": "draft", "album_name": album or "x"},
                                  people=self.people)  # fmt: skip
        except ConfigError:
            return None

    def set_people(
        self, people: list[PersonRef], exclude: list[PersonRef], *, switch: bool = True
    ) -> None:
        """Set the rule's people and exclusions (from the People tab)."""
        self.people, self.exclude = people, exclude
        self.query_one(FaceChips).show(people)
        text = Text(", ".join(p.label for p in exclude) if exclude else "nobody", style="")
        text.append("   (x on the People tab)", style="dim")
        self.query_one("#rule-exclude", Static).update(text)
        self._show_dates()

    def set_share_with(self, shares: list[ShareRef]) -> None:
        """Set whom the rule's album is shared with (the Users… picker)."""
        from ppl2album_tui.tui.screens.share_picker import share_text

        self.share_with = shares
        self.query_one("#rule-share-with", Static).update(share_text(shares))

    @on(Button.Pressed, "#rule-share")
    def action_pick_users(self) -> None:
        """Pick the server's users the album is shared with, each as viewer or editor."""
        from ppl2album_tui.tui.screens.share_picker import SharePickerScreen

        def done(shares: list[ShareRef] | None) -> None:
            if shares is not None:
                self.set_share_with(shares)

        self.app.push_screen(SharePickerScreen(self.services, list(self.share_with)), done)

    def _error(self, message: str) -> None:
        self.query_one("#rule-error", Static).update(Text(message, style="bold red"))

    def _control(self, key: str) -> Input | Checkbox:
        """The Input or Checkbox that edits rule key `key`."""
        where = PLACED_INPUTS.get(key) or PLACED_SWITCHES.get(key) or f"#rule-more-{key}"
        return self.query_one(where, Input | Checkbox)  # type: ignore[arg-type]

    def _values(self) -> dict[str, FormValue]:
        """The form's values by rule key (the keys `rule_from_form` takes as typed)."""
        values: dict[str, FormValue] = {}
        for f in FORM:
            if f.control == "picked" or f.key in EDITOR_KEYS:
                continue
            if f.key in PLACED_CHOICES:
                prefix = PLACED_CHOICES[f.key]
                values[f.key] = next(
                    c for c in f.choices if self.query_one(f"#{prefix}-{c}", RadioButton).value
                )
            else:
                values[f.key] = self._control(f.key).value
        return values

    def build_rule(self) -> Rule:
        """The rule the form describes, checked as the config reader checks it; ValueError
        with one sentence when it is not valid."""
        name = self.query_one("#rule-name", Input).value.strip()
        if not name:
            raise ValueError("Give the rule a name.")
        clash = self.services.rule_by_name(name)
        if clash is not None and clash is not self.editing:
            raise ValueError(f"A rule called “{name}” exists already.")
        if not self.people:
            raise ValueError("Pick at least one person (space on the People tab, then r).")
        select = self.query_one("#rule-album", Select)
        new_album = self.query_one("#rule-new-album", Input).value.strip()
        album_id = ""
        album_name: str = ""
        if new_album:
            existing = [a for a in self.services.albums if a.name == new_album]
            album_id, album_name = (existing[0].id if existing else ""), new_album
        elif isinstance(select.value, str):
            album_id = select.value
            album_name = next((a.name for a in self.services.albums if a.id == album_id), "")
        else:
            raise ValueError("Pick a target album or type a new album name.")
        after = parse_day(self.query_one("#rule-after", Input).value, "“from”")
        before = parse_day(self.query_one("#rule-before", Input).value, "“to”")
        if after and before and after > before:
            raise ValueError("The “from” date is after the “to” date.")
        values = {**self._values(), "album_name": album_name}
        try:
            return rule_from_form(
                values,
                base=self.editing,
                people=self.people,
                exclude=self.exclude,
                album_id=album_id,
                share_with=self.share_with,
                others=self.services.config.rules,
            )
        except ConfigError as err:
            raise ValueError(str(err)) from None

    # ---- actions ---------------------------------------------------------------------------

    def save(self) -> Rule | None:
        """Validate and store the rule in the config file; None (and a message) when invalid."""
        try:
            rule = self.build_rule()
        except ValueError as exc:
            self._error(str(exc))
            return None
        rules, results = self.services.config.rules, self.services.sync_state.rules
        slot = next((i for i, r in enumerate(rules) if r is self.editing), None)
        if self.editing is not None and slot is not None:
            old_name = self.editing.name
            rules[slot] = rule
            if old_name != rule.name and old_name in results:
                results[rule.name] = results.pop(old_name)
        else:
            rules.append(rule)
        self.editing = rule
        self.services.save_config()
        self._error("")
        self.query_one("#rule-delete", Button).display = True
        self.post_message(RuleSaved(rule))
        return rule

    def action_leave_field(self) -> None:
        """Leave the form for the rules list, where 1-4, s, p and ? are keys again."""
        self.query_one("#rules-list", ListView).focus()

    @on(Button.Pressed, "#rule-save")
    def action_save(self) -> None:
        """Save the rule."""
        rule = self.save()
        if rule is not None:
            self.notify(f"Rule “{rule.name}” saved.")

    @on(Button.Pressed, "#rule-preview")
    def action_preview(self) -> None:
        """Save the rule and show what it would add."""
        rule = self.save()
        if rule is not None:
            self.post_message(PreviewRequested(rule))

    @on(Button.Pressed, "#rule-edit-people")
    def action_edit_people(self) -> None:
        """Mark this rule's people on the People tab; r brings the selection back."""
        self.post_message(EditPeopleRequested(list(self.people), list(self.exclude)))

    @on(Button.Pressed, "#rule-delete")
    def _delete(self) -> None:
        from ppl2album_tui.tui.screens.modals import ConfirmScreen

        rule = self.editing
        if rule is None:
            return

        def done(yes: bool | None) -> None:
            if yes and rule in self.services.config.rules:
                self.services.config.rules.remove(rule)
                self.services.save_config()
                self.post_message(ConfigChanged())
                self.edit_new([], [])
                self.notify(f"Rule “{rule.name}” deleted (the album is left as it is).")

        self.app.push_screen(
            ConfirmScreen(
                f"Delete the rule “{rule.name}”?",
                "Its album and the photos in it stay as they are.",
                yes="Delete",
            ),
            done,
        )
