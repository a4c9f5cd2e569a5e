"""The fee notices admins recorded: one item each in the ingestion table (partition `fee_notice`,
sorted by when it was recorded), and an immutable copy under the ingestion audit prefix
(`ingestion/fee-notices/<event id>.json`) that says who recorded which figures and when."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from ior_ingestion.adapters.objects import S3Objects
from ior_ingestion.adapters.table import ConditionFailedError, Table
from ior_ingestion.domain.fee_notices import FeeNotice, notice_from_record

_PARTITION = {"S": "fee_notice"}


class RecordedFeeNotices:
    def __init__(
        self, dynamodb: Any, table: str, s3: Any, audit_bucket: str, prefix: str = "ingestion/"
    ) -> None:
        self._table = Table(dynamodb, table)
        self._objects = S3Objects(s3)
        self._audit = audit_bucket
        self._prefix = prefix

    def record(self, notice: FeeNotice) -> None:
        """The audit copy first, then the item: a notice in the table always has its audit copy."""
        body = json.dumps(notice.record(), sort_keys=True, indent=2).encode()
        self._objects.put(self._audit, f"{self._prefix}fee-notices/{notice.event_id}.json", body)
        # Recorded already when the condition fails: a re-delivered notice is the same record.
        with contextlib.suppress(ConditionFailedError):
            self._table.put_if(
                {
                    "pk": _PARTITION,
                    "sk": {"S": f"{notice.recorded_at}#{notice.event_id}"},
                    "notice": {"S": json.dumps(notice.record(), sort_keys=True)},
                },
                "attribute_not_exists(pk)",
                names={},
                values={},
            )

    def recorded(self) -> list[FeeNotice]:
        return [notice_from_record(json.loads(item["notice"]["S"])) for item in self._table.query(_PARTITION)]
