"""The one password policy of new accounts and changed passwords (the API and `ior users` alike):
long enough, not blank, not a pattern, not one of the most common passwords however dressed up."""

from __future__ import annotations

import pytest
from ior_api.domain.auth.passwords import MIN_LENGTH, WeakPasswordError, _common, check_policy


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short", "at least 12 characters"),
        (" " * 16, "only whitespace"),
        ("\t \u00a0" * 6, "only whitespace"),
        ("aaaaaaaaaaaa", "different characters"),
        ("abababababab", "different characters"),
        ("password1234", "most common"),
        ("Password1234!", "most common"),
        ("QWERTY123456", "most common"),
        ("2024iloveyou!", "most common"),
        ("  qwertyuiop  ", "most common"),
        ("passwordpassword", "most common"),
        ("1qaz2wsx3edc", "most common"),
    ],
)
def test_a_weak_password_is_refused_with_its_rule_and_without_itself(password: str, rule: str) -> None:
    with pytest.raises(WeakPasswordError) as refused:
        check_policy(password)
    assert rule in str(refused.value)
    assert password.strip() not in str(refused.value) or not password.strip()


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "a brand new passphrase", "Tr0ub4dor&3-extended", "ice cream truck 42"],
)
def test_a_long_uncommon_password_passes(password: str) -> None:
    check_policy(password)


def test_the_list_ships_with_the_package_and_holds_hundreds_of_casefolded_entries() -> None:
    common = _common()
    assert 500 < len(common) < 2000
    assert {"password", "qwerty", "iloveyou", "123456789"} <= common
    assert all(entry == entry.casefold() and len(entry) >= 4 for entry in common)
    assert MIN_LENGTH == 12
