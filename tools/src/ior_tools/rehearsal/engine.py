"""Running the Pulumi program (`ior_infra.program.main`, the same code `pulumi up` runs) under
Pulumi's mock engine, with mocks that deploy into the local cloud. The engine's monitor also keeps
what the mocks' arguments leave out: each resource's dependencies and the stack's exports."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

import pulumi
from ior_contracts.topology import Topology
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import get_root_resource

from ior_tools.rehearsal.cloud import LocalCloud
from ior_tools.rehearsal.records import Declarations, Declared

PROJECT = "ior-pipeline"


class RehearsalError(RuntimeError):
    """Resources the local cloud refused: the deploy did not happen as declared."""

    def __init__(self, failures: list[str]) -> None:
        super().__init__(f"{len(failures)} resource(s) not deployed:\n  " + "\n  ".join(failures))
        self.failures = failures


class _Monitor(MockMonitor):
    def __init__(self, mocks: _Deploy) -> None:
        super().__init__(mocks)
        self.dependencies: dict[tuple[str, str], tuple[str, ...]] = {}

    def RegisterResource(self, request: Any) -> Any:  # the gRPC method's name
        names = tuple(sorted(urn.rsplit("::", 1)[1] for urn in request.dependencies))
        self.dependencies[(request.type, request.name)] = names
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


class _Deploy(pulumi.runtime.Mocks):
    """The engine registers resources from a pool of threads; the cloud is called one resource at a
    time. moto builds each service's routes on first use by parsing source with `ast`, and CPython
    3.11's AST conversion keeps one recursion counter for all threads: two first uses at once fail
    with "AST constructor recursion depth mismatch" (python/cpython#106905)."""

    def __init__(self, cloud: LocalCloud) -> None:
        self.cloud = cloud
        self.monitor: _Monitor | None = None
        self.declared = Declarations()
        self.failures: list[str] = []
        self._lock = threading.Lock()

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        if args.resource_id:  # `Resource.get`: a resource that exists, which the program only reads
            with self._lock:
                return args.resource_id, self.cloud.read(args.typ, args.resource_id)
        inputs = _plain(dict(args.inputs))
        depends = self.monitor.dependencies.get((args.typ, args.name), ()) if self.monitor else ()
        with self._lock:
            try:
                resource_id, state, held = self.cloud.create(args.typ, args.name, inputs)
            except Exception as error:
                # The engine raises only what something awaited: kept here, the deploy fails with
                # every refused resource named.
                self.failures.append(f"{args.typ} {args.name}: {type(error).__name__}: {error}")
                raise
            self.declared.resources.append(Declared(args.typ, args.name, inputs, state, held, depends))
        return resource_id, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            account = self.cloud.account
            return {"accountId": account, "arn": f"arn:aws:iam::{account}:root", "userId": account}, []
        raise NotImplementedError(f"the rehearsal has no answer to {args.token}")


def _plain(value: Any) -> Any:
    """Inputs as the cloud's APIs take them: Pulumi's secret markers removed (the local cloud holds
    the value) and whole numbers whole."""
    if isinstance(value, Mapping):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return _plain(value["value"])
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    # Numbers cross Pulumi's wire as floats; AWS's APIs want the whole ones whole.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def run_program(
    stage: str,
    config: Mapping[str, Any],
    cloud: LocalCloud,
    secret_keys: set[str],
    topology: Topology | None = None,
) -> Declarations:
    """Deploy the program for `stage` into `cloud`, configured with `config` (keys as in
    `Pulumi.<stage>.yaml`; `secret_keys` are kept secret as `pulumi config set --secret` would)."""
    from ior_infra.program import main

    full = {
        (k if ":" in k else f"{PROJECT}:{k}"): v if isinstance(v, str) else json.dumps(v)
        for k, v in config.items()
    }
    pulumi.runtime.set_all_config(full, [f"{PROJECT}:{k}" for k in secret_keys])
    mocks = _Deploy(cloud)
    mocks.monitor = _Monitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stage, preview=False, monitor=mocks.monitor)
    # The mock engine keeps one root stack per process: its exports are this program's only.
    root: Any = get_root_resource()
    root.outputs.clear()
    exports: dict[str, Any] = {}

    def program() -> pulumi.Output[None]:
        main(topology)
        return pulumi.Output.all(**root.outputs).apply(lambda values: exports.update(_plain(values)))

    try:
        pulumi.runtime.test(program)()  # type: ignore[no-untyped-call]
    except Exception as error:
        if mocks.failures:
            raise RehearsalError(mocks.failures) from error
        raise
    if mocks.failures:  # refused, but nothing awaited the resource: the engine only logged it
        raise RehearsalError(mocks.failures)
    mocks.declared.outputs = exports
    return mocks.declared
