"""Date windows of a rule that depend on the calendar or on a person: ages, the same days every
year, a birthday ± N days. Pure, except `birth_date`, which reads one person.

Every window is judged on the photo's *local* date: the day of Immich's ``localDateTime`` (the
wall-clock time where it was taken), falling back to the UTC day of ``fileCreatedAt`` when a
server sends no local time. A photo without a date is outside every window.

Choices where a calendar is silent: a birthday on 29 February falls on 1 March in other years
(so age 3 starts on 1 March of a common year); ages count from the birth date itself (age 0 is
the birth date up to the day before the first birthday); a birthday window counts only the
birthdays from the birth date on.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import NamedTuple

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.sync.api import ImmichApi
from ppl2album_tui.sync.rules import PersonRef, Rule, RuleError

MAX_AGE = 150
_LEAP = 2000  # a leap year, to read "02-29"


class MonthDay(NamedTuple):
    month: int
    day: int

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def local_day(asset: Asset) -> date | None:
    """The photo's local date (see the module docstring); None when it has no date."""
    when = asset.local_at or asset.taken_at
    return when.date() if when else None


@functools.lru_cache(maxsize=64)  # asked once per photo of a yearly rule
def parse_month_day(text: str) -> MonthDay | None:
    """'12-20' → MonthDay(12, 20); None when it is not a day of the year."""
    month, sep, day = text.strip().partition("-")
    if not sep or not (month.isdigit() and day.isdigit()) or len(month) != 2 or len(day) != 2:
        return None
    try:
        date(_LEAP, int(month), int(day))
    except ValueError:
        return None
    return MonthDay(int(month), int(day))


def anniversary(born: date, year: int) -> date:
    """The birthday in `year`; 29 February is 1 March in a common year."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def age_window(born: date, first: int, last: int) -> tuple[date, date]:
    """The days someone born on `born` is `first` to `last` years old, both inclusive."""
    end = anniversary(born, born.year + last + 1) - timedelta(days=1)
    return anniversary(born, born.year + first), end


def in_yearly(day: date, first: MonthDay, last: MonthDay) -> bool:
    """True when `day` is between `first` and `last` (MM-DD), across the new year if
    `first` is later in the year than `last`."""
    md = MonthDay(day.month, day.day)
    if first <= last:
        return first <= md <= last
    return md >= first or md <= last


def near_birthday(day: date, born: date, days: int) -> bool:
    """True when `day` is within `days` of a birthday (from the birth date on) of `born`."""
    if day < born:
        return False
    for year in (day.year - 1, day.year, day.year + 1):
        if year < born.year:
            continue
        if abs((day - anniversary(born, year)).days) <= days:
            return True
    return False


def needs_birth_date(rule: Rule) -> bool:
    """True when the rule's window counts from somebody's birth date."""
    return bool(rule.age) or rule.birthday_days is not None


def has_window(rule: Rule) -> bool:
    """True when the rule has one of this module's windows."""
    return needs_birth_date(rule) or bool(rule.yearly)


def window_problem(rule: Rule) -> tuple[str, str] | None:
    """(key, what is wrong) when the rule's windows cannot work as written; checked by the
    config reader (so by the editor too)."""
    if rule.album_id and "{year}" in (rule.album_name or ""):
        return "album_id", "cannot be used with {year} in album_name (one album per year)"
    if "{year}" in (rule.album_name or "") and (rule.share_with or rule.shared_link):
        key = "share_with" if rule.share_with else "shared_link"
        return key, "cannot be used with {year} in album_name yet (year albums are not shared)"
    if rule.age:
        if len(rule.age) != 2:
            return "age", f"must be two ages like [0, 2] (got {len(rule.age)} numbers)"
        first, last = rule.age
        if not 0 <= first <= last <= MAX_AGE:
            return "age", f"must be two ages from 0 to {MAX_AGE}, the first not above the second"
    if rule.yearly:
        if len(rule.yearly) != 2 or None in map(parse_month_day, rule.yearly):
            return "yearly", 'must be a first and a last day like ["12-20", "01-06"]'
        if rule.birthday_days is not None:
            return "yearly", "and birthday_days cannot both be set; keep one of them"
    if rule.birthday_of and not needs_birth_date(rule):
        return "birthday_of", "is used by age and birthday_days only; set one of them"
    if needs_birth_date(rule):
        try:
            birthday_person(rule)
        except RuleError as err:
            return "birthday_of", str(err)
    return None


def birthday_person(rule: Rule) -> PersonRef:
    """The person whose birth date the rule's windows count from; RuleError when unclear."""
    who = rule.birthday_of
    if not who:
        people = list({p.id or p.name: p for p in rule.people}.values())
        if len(people) == 1:
            return people[0]
        return _fail(rule, "must name whose birth date counts (the rule has several people)")
    folded = who.casefold()
    found = [p for p in rule.people if p.id == who or (p.name and p.name.casefold() == folded)]
    if len({p.id for p in found}) == 1:
        return found[0]
    if not found:
        return _fail(rule, f"must be one of the rule's people ({who!r} is not)")
    return _fail(rule, f"{who!r} names several of the rule's people; give the id")


def _fail(rule: Rule, text: str) -> PersonRef:
    raise RuleError(text, rule=rule.name)


def no_birth_date(name: str) -> str:
    """The one sentence for a window that needs a birth date Immich does not have."""
    return (f"{name} has no birth date in Immich, so this rule adds nothing; set it on "
            f"{name}'s page in Immich (People → {name} → Set date of birth).")  # fmt: skip


async def birth_date(client: ImmichApi, rule: Rule) -> date | None:
    """The birth date of the rule's `birthday_person` as Immich has it (one request); None
    when it has none (or one that is not a date)."""
    person = await client.person(birthday_person(rule).id)
    try:
        return date.fromisoformat(person.birth_date[:10]) if person.birth_date else None
    except ValueError:
        return None


def window_reason(rule: Rule, asset: Asset, born: date | None) -> str | None:
    """Why `asset` is outside the rule's windows (None: inside, or the rule has none).
    `born`: the birth date of the rule's `birthday_person` (None: unknown)."""
    if not has_window(rule):
        return None
    if needs_birth_date(rule) and born is None:
        return f"no birth date: {birthday_person(rule).label}"
    day = local_day(asset)
    if day is None:
        return "date: unknown"
    if rule.age and born is not None:
        start, end = age_window(born, *rule.age)
        if not start <= day <= end:
            return f"age: not {age_text(rule.age)}"
    if rule.yearly:
        first, last = (parse_month_day(t) for t in rule.yearly)
        assert first is not None and last is not None  # checked by the config reader
        if not in_yearly(day, first, last):
            return f"yearly: not {first} to {last}"
    days = rule.birthday_days
    if days is not None and born is not None and not near_birthday(day, born, days):
        return f"birthday: not within {rule.birthday_days} days"
    return None


def age_text(age: list[int]) -> str:
    """[0, 2] → 'age 0–2'; [3, 3] → 'age 3'."""
    first, last = age
    return f"age {first}" if first == last else f"age {first}–{last}"


def describe(rule: Rule, born: date | None, known: bool = True) -> str:
    """The rule's windows in one line, with the dates they come to ('' when it has none):
    "Emma, age 0–2: 2019-03-10 to 2022-03-09". `known`: False when the birth date was not
    looked up (then none is said to be missing)."""
    if not has_window(rule):
        return ""
    parts: list[str] = []
    if needs_birth_date(rule):
        try:
            name = birthday_person(rule).label
        except RuleError as err:
            return f"birthday_of {err}."
        if born is None:
            return no_birth_date(name) if known else ""
        if rule.age:
            start, end = age_window(born, *rule.age)
            parts.append(f"{name}, {age_text(rule.age)}: {start} to {end}")
        if rule.birthday_days is not None:
            when = f"{born:%d %B}" if rule.birthday_days == 0 else (
                f"{born:%d %B} ± {rule.birthday_days} days")  # fmt: skip
            parts.append(f"{name}'s birthday ({when}) every year")
    if rule.yearly and len(rule.yearly) == 2:
        first, last = (parse_month_day(t) for t in rule.yearly)
        if first and last:
            across = " (across the new year)" if first > last else ""
            parts.append(f"every year from {first} to {last}{across}")
    return "; ".join(parts) + ("." if parts else "")
