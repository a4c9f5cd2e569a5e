"""What a running local stack tells the CLI: where its AWS answers, its queues, its event log.
Written by `ior up` under `$IOR_HOME/<stage>/` (default `.ior/`), removed when it stops."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ior_contracts.topology import Naming

from ior_tools.runtime.aws import LOCAL_ACCOUNT, Endpoint


class NoStackError(RuntimeError):
    """No local stack is running for this stage."""


def home(stage: str) -> Path:
    return Path(os.environ.get("IOR_HOME", ".ior")).resolve() / stage


@dataclass
class StackState:
    stage: str
    endpoint: str
    pid: int
    started_at: str
    # The local administrator (moto enforces IAM once the stack is up); local keys, not secrets.
    admin_key: str = ""
    admin_secret: str = ""
    event_log_queue_url: str = ""
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def naming(self) -> Naming:
        return Naming(self.stage, LOCAL_ACCOUNT)

    @property
    def aws(self) -> Endpoint:
        return Endpoint(self.endpoint, access_key_id=self.admin_key, secret_access_key=self.admin_secret)

    @property
    def event_log_path(self) -> Path:
        return home(self.stage) / "events.sqlite"

    def write(self) -> Path:
        path = home(self.stage) / "stack.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = asdict(self)
        path.write_text(json.dumps(data, indent=2, sort_keys=True))
        return path

    @classmethod
    def read(cls, stage: str) -> StackState:
        path = home(stage) / "stack.json"
        if not path.exists():
            raise NoStackError(f"no local stack is running for stage {stage!r} (start one with `ior up`)")
        data = json.loads(path.read_text())
        return cls(**data)

    @staticmethod
    def remove(stage: str) -> None:
        (home(stage) / "stack.json").unlink(missing_ok=True)
