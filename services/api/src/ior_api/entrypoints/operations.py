"""What `ior users …` and `ior up` do to a stack's API: add a user, import the legacy `users.json`,
list the users, make the first admin. Built from a boto3 client factory and the table's name, so `ior`
can point it at any stack; the table is first reached when an operation needs it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, get_args

from ior_contracts.vocabulary import DatasetName, Mode, SourceName

from ior_api import bootstrap
from ior_api.domain.auth.legacy import LegacyUsersError
from ior_api.domain.auth.passwords import WeakPasswordError
from ior_api.domain.auth.users import UserRecord
from ior_api.domain.reference import FeeTableCoverage as FeeTableCoverage
from ior_api.ports import UserExistsError
from ior_api.service_layer import pipeline, users
from ior_api.service_layer.users import Imported, UnknownUserError

__all__ = [
    "Imported",
    "LegacyUsersError",
    "PipelineRuns",
    "UnknownUserError",
    "UserExistsError",
    "UserOperations",
    "UserRecord",
    "WeakPasswordError",
]


class UserOperations:
    def __init__(self, client: Callable[[str], Any], table: str) -> None:
        self._users = bootstrap.user_store(client, table)

    def add(self, username: str, password: str, role: str, *, active: bool = True) -> UserRecord:
        """`WeakPasswordError` for a password the policy refuses, `UserExistsError` for a taken name."""
        return users.create(self._users, username, password, role, active=active)

    def import_legacy(self, text: str) -> Imported:
        """`LegacyUsersError` when the text is not a legacy `users.json`; nothing is added then."""
        return users.import_legacy(self._users, text)

    def all(self) -> list[UserRecord]:
        return self._users.all()

    def set_active(self, username: str, active: bool) -> None:
        """`UnknownUserError` when there is no such user."""
        users.set_active(self._users, username, active)

    def end_sessions(self, username: str) -> None:
        """`UnknownUserError` when there is no such user."""
        users.end_sessions(self._users, username)

    def first_admin(self) -> str:
        """An admin named `admin` with a fresh password; the password."""
        return users.first_admin(self._users)


class PipelineRuns:
    """Each source's and dataset's recent runs, newest first, as the API's read models keep them
    (what `ior status` judges freshness by, on any stack)."""

    def __init__(self, client: Callable[[str], Any], table: str) -> None:
        self._readmodels = bootstrap.readmodels(client, table)

    def sources(self) -> dict[str, list[dict[str, Any]]]:
        return {name: pipeline.source_history(self._readmodels, name) for name in get_args(SourceName)}

    def datasets(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        return {
            (name, mode): pipeline.dataset_history(self._readmodels, name, mode)
            for name in get_args(DatasetName)
            for mode in get_args(Mode)
        }

    def reference(self, now: datetime) -> pipeline.ReferenceState:
        """The fee table's coverage from `now`, and the official HTS revision's state."""
        return pipeline.reference_state(self._readmodels, now)
