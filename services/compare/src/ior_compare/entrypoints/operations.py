"""What `ior cutover` and `ior parity-report` ask of the compare service, against the compare table
of any stack: the gate's status, how the gate answered a request, and the parity sign-off."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from ior_contracts.calendar import BusinessCalendar

from ior_compare.adapters.gate_store import GateStore
from ior_compare.adapters.ledger import Ledger
from ior_compare.adapters.table import Table
from ior_compare.config import CompareConfig
from ior_compare.domain.records import Refusal
from ior_compare.domain.signoff import Resolution, SignoffReport, build_signoff
from ior_compare.domain.status import GateStatus, gate_status, signoff_days


class CompareOperations:
    """`client` makes a boto3 client by service name for the stack; `table` is its compare table."""

    def __init__(self, client: Callable[[str], Any], table: str, config: CompareConfig | None = None) -> None:
        compare_table = Table(client("dynamodb"), table)
        self._ledger = Ledger(compare_table)
        self._gate = GateStore(compare_table)
        self._config = config or CompareConfig()

    def gate_status(self, today: date | None = None) -> GateStatus:
        """The gate's state, the parity streak as of `today` (default: today in UTC), the last change
        and the last refusal."""
        return gate_status(
            self._ledger.days(),
            self._gate.changes(),
            self._gate.last_refusal(),
            required_streak=self._config.required_streak,
            calendar=BusinessCalendar(),
            today=today or datetime.now(UTC).date(),
        )

    def refusal(self, request_id: str) -> Refusal | None:
        """The gate's refusal of the request, or None while it is unanswered or was applied."""
        answered = self._gate.request(request_id)
        return answered.refusal if answered is not None else None

    def signoff(self, start: date, end: date, resolutions: Iterable[Resolution] = ()) -> SignoffReport:
        """The parity sign-off of the arrival dates `start`–`end` (inclusive), with the resolutions
        recorded for their discrepancies."""
        return build_signoff(
            signoff_days(self._ledger.days(start, end)),
            start=start,
            end=end,
            resolutions=resolutions,
            required_streak=self._config.required_streak,
        )
