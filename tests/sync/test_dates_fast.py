"""The calendar edges of the date windows and year albums, as pure functions: 29 February
birthdays, windows across the new year, local dates against UTC, and the rules the reader
refuses with one sentence."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from ppl2album_tui.immich.models import Asset
from ppl2album_tui.sync.dates import (
    MonthDay,
    age_window,
    anniversary,
    describe,
    in_yearly,
    local_day,
    near_birthday,
    window_reason,
)
from ppl2album_tui.sync.ruleform import rule_from_form, rule_to_form
from ppl2album_tui.sync.rules import PersonRef, Rule
from ppl2album_tui.sync.schema import rule_from_dict
from ppl2album_tui.sync.settings import ConfigError
from ppl2album_tui.sync.yearly import by_year, name_pattern

EMMA = PersonRef("5b1f0c6e-1111-4111-8111-111111111111", "Emma")
BEN = PersonRef("5b1f0c6e-2222-4222-8222-222222222222", "Ben")


def taken(utc: datetime, offset_hours: float = 0) -> Asset:
    """A photo taken at `utc` where the clock read UTC + offset (Immich's localDateTime)."""
    wall = (utc + timedelta(hours=offset_hours)).replace(tzinfo=UTC)
    return Asset("a", "x.jpg", taken_at=utc, local_at=wall)


def test_a_29_february_birthday_counts_from_1_march_in_common_years() -> None:
    born = date(2020, 2, 29)
    assert anniversary(born, 2023) == date(2023, 3, 1)
    assert anniversary(born, 2024) == date(2024, 2, 29)
    assert age_window(born, 0, 2) == (date(2020, 2, 29), date(2023, 2, 28))
    assert age_window(born, 3, 3) == (date(2023, 3, 1), date(2024, 2, 28))
    assert age_window(born, 4, 4) == (date(2024, 2, 29), date(2025, 2, 28))
    assert near_birthday(date(2021, 3, 1), born, 0)
    assert not near_birthday(date(2021, 2, 28), born, 0)


def test_age_window_ends_the_day_before_the_next_birthday() -> None:
    assert age_window(date(2019, 3, 10), 0, 2) == (date(2019, 3, 10), date(2022, 3, 9))


def test_yearly_windows_within_a_year_and_across_the_new_year() -> None:
    christmas = (MonthDay(12, 20), MonthDay(1, 6))
    assert in_yearly(date(2020, 12, 20), *christmas) and in_yearly(date(2021, 1, 6), *christmas)
    assert in_yearly(date(2020, 12, 31), *christmas) and in_yearly(date(2021, 1, 1), *christmas)
    assert not in_yearly(date(2021, 1, 7), *christmas)
    assert not in_yearly(date(2020, 12, 19), *christmas)
    summer = (MonthDay(6, 1), MonthDay(8, 31))
    assert in_yearly(date(2019, 7, 4), *summer) and not in_yearly(date(2019, 9, 1), *summer)


def test_a_birthday_window_reaches_into_the_next_and_last_year() -> None:
    born = date(2015, 12, 30)
    assert near_birthday(date(2018, 1, 2), born, 3)  # 2017-12-30 + 3 days
    assert not near_birthday(date(2018, 1, 3), born, 3)
    assert not near_birthday(date(2015, 12, 28), born, 3)  # before she was born


def test_the_local_date_decides_not_the_utc_one() -> None:
    late = datetime(2021, 1, 6, 23, 30, tzinfo=UTC)  # 7 January in Berlin
    assert local_day(taken(late, 1)) == date(2021, 1, 7)
    assert local_day(taken(late, -5)) == date(2021, 1, 6)
    no_local = Asset("a", "x.jpg", taken_at=datetime(2021, 1, 6, 23, 30, tzinfo=UTC))
    assert local_day(no_local) == date(2021, 1, 6)  # a server without localDateTime: UTC day
    rule = Rule("Christmas", [EMMA], album_name="X", yearly=["12-20", "01-06"])
    assert window_reason(rule, taken(late, 1), None) == "yearly: not 12-20 to 01-06"
    assert window_reason(rule, taken(late, -5), None) is None
    assert window_reason(rule, Asset("a", "x.jpg"), None) == "date: unknown"
    # the year of a year album is the local one too: New Year's Eve in Tokyo is 2021 there
    eve = taken(datetime(2020, 12, 31, 16, 0, tzinfo=UTC), 9)
    assert list(by_year([eve])) == [2021]


def test_without_a_birth_date_everything_is_filtered_with_one_sentence() -> None:
    rule = Rule("Emma 0-2", [EMMA], album_name="X", age=[0, 2])
    assert window_reason(rule, taken(datetime(2020, 1, 1, tzinfo=UTC)), None) == (
        "no birth date: Emma"
    )
    assert describe(rule, None).startswith("Emma has no birth date in Immich, so this rule adds")
    assert describe(rule, date(2019, 3, 10)) == "Emma, age 0–2: 2019-03-10 to 2022-03-09."
    both = Rule("B", [EMMA], album_name="X", birthday_days=2, yearly=[])
    assert describe(both, date(2019, 3, 10)) == "Emma's birthday (10 March ± 2 days) every year."


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"age": [3, 1]}, "age must be two ages from 0 to 150, the first not above the second"),
        ({"age": [1]}, "age must be two ages like [0, 2] (got 1 numbers)"),
        ({"yearly": ["12-32", "01-06"]}, 'yearly must be a first and a last day like ["12-20"'),
        ({"yearly": ["12-20", "01-06"], "birthday_days": 2}, "yearly and birthday_days cannot"),
        ({"birthday_of": "Emma"}, "birthday_of is used by age and birthday_days only"),
        ({"age": [0, 2], "people2": True}, "birthday_of must name whose birth date counts"),
        ({"age": [0, 2], "birthday_of": "Zoe"}, "birthday_of must be one of the rule's people"),
        ({"birthday_days": -1}, "birthday_days must be between 0 and 183 (got -1)"),
        (
            {"album_name": "Kids {year}", "album_id": EMMA.id},
            "album_id cannot be used with {year} in album_name (one album per year)",
        ),
        (
            {"album_name": "Kids {year}", "shared_link": True},
            "shared_link cannot be used with {year} in album_name yet (year albums are not shared)",
        ),
    ],
)
def test_the_reader_refuses_windows_that_cannot_work(
    extra: dict[str, object], message: str
) -> None:
    people = [{"id": EMMA.id, "name": "Emma"}]
    if extra.pop("people2", False):
        people.append({"id": BEN.id, "name": "Ben"})
    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        rule_from_dict({"name": "r", "album_name": "A", "people": people, **extra})


def test_the_form_takes_ages_and_days_as_typed_and_gives_them_back() -> None:
    rule = rule_from_form({"name": "Emma 0-2", "age": "0-2", "birthday_of": "emma",
                           "album_name": "Kids {year}"}, people=[EMMA, BEN])  # fmt: skip
    assert rule.age == [0, 2] and rule.birthday_of == "emma"
    assert rule_to_form(rule)["age"] == "0-2"
    assert rule_from_form({"age": "0, 2"}, base=rule).age == [0, 2]
    days = rule_from_form({"age": "", "birthday_days": "3"}, base=rule)
    assert days.birthday_days == 3 and days.age == []
    with pytest.raises(ConfigError, match=r"^birthday_of must name whose birth date counts"):
        rule_from_form({"birthday_of": ""}, base=days)  # Emma or Ben?
    with pytest.raises(ConfigError, match=r"^birthday_days must be a whole number like 3"):
        rule_from_form({"birthday_days": "three"}, base=rule)


def test_year_album_names() -> None:
    rule = Rule("Kids", [EMMA], album_name="Kids {year} (auto)")
    pattern = name_pattern(rule)
    assert pattern.match("Kids 2019 (auto)") and not pattern.match("Kids 2019")
    assert not pattern.match("Kids 19 (auto)")
