from __future__ import annotations

from collections.abc import Iterator

import pytest
from ior_tools.runtime.stack import LocalStack

from tests.support.stack import running_stack, stack_fixture

# The downstream account, subscribed to the datasets and the discrepancies (not to the lines).
CONSUMER = "210987654321"
INBOX = "ior-inbox"
GRANTED = ["compare.discrepancy", "etl.dataset"]
# Another, subscribed to the datasets on its default bus, which it never opens to our account.
CLOSED = "310987654321"


@stack_fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    consumers = [
        {"account": CONSUMER, "families": GRANTED, "bus": INBOX},
        {"account": CLOSED, "families": ["etl.dataset"]},
    ]
    with running_stack(tmp_path_factory.mktemp("ior-home"), config={"consumers": consumers}) as running:
        yield running
