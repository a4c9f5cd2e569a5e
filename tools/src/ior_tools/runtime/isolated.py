"""A subscription's function in a process of its own, as Lambda runs it: one warm execution
environment per subscription, started at its first message, each invocation measured from outside
the handler (wall time, the process's CPU time, its peak resident set during the invocation).

The peak is the kernel's high-water mark (`VmHWM`), reset before each invocation through
`/proc/self/clear_refs`, so a figure is that invocation's peak, imports and the runtime included, as
Lambda's "Max Memory Used" counts them. Thread CPU time or tracemalloc in the stack's own process
would miss what numpy and pandas allocate outside Python's allocator and what other workers do
meanwhile, and tracemalloc would slow the run it measures.

    parent ──request (JSON line)──▶ child: environment, handler(event, context), figures
           ◀──answer (JSON line)───"""

from __future__ import annotations

import cProfile
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import IO, Any

_CLEAR_PEAK = "5"  # clear_refs: reset the peak resident set size (Linux 4.0+)
PROFILE_DIR = "IOR_PROFILE_DIR"
"""When set, each invocation runs under cProfile (CPU time) and leaves `<function>-<n>.prof` there."""
BYTECODE = os.path.join(tempfile.gettempdir(), "ior-function-bytecode")
"""Where a subscription's process keeps the bytecode it compiles, whatever the environment says."""


@dataclass(frozen=True)
class Invocation:
    """One invocation's figures: the messages it had and what it cost."""

    subscription: str
    messages: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    cold_start_s: float  # 0 when the environment was warm
    failed: bool
    engine_cpu_s: float = 0.0
    """The part of `cpu_s` spent in the service's engine (`ior_contracts.engine_time`)."""
    aws_calls: int = 0
    aws_wait_s: float = 0.0
    """The part of `wall_s` with a request to the (local) AWS in flight (`aws_calls.AwsCallClock`)."""


def peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write(_CLEAR_PEAK)
    except OSError:
        pass  # not Linux: the figure is the process's peak so far


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class IsolatedHandler:
    """Stands in for a handler: each call runs in the subscription's own process."""

    def __init__(
        self, subscription: str, dotted: str, environment: Mapping[str, str], guarded_buckets: tuple[str, ...]
    ) -> None:
        self.subscription = subscription
        self.dotted = dotted
        self.environment = dict(environment)
        self.guarded_buckets = guarded_buckets
        self.invocations: list[Invocation] = []
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def _start(self) -> float:
        started = time.perf_counter()
        command = [sys.executable, "-m", "ior_tools.runtime.isolated", self.dotted, *self.guarded_buckets]
        env = {**os.environ, **self.environment}
        # A function's artifact carries the bytecode of what its cold start imports (`ior package`):
        # kept here under a cache of the process's own, it is read, not compiled from source at every
        # start as PYTHONDONTWRITEBYTECODE would have it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.setdefault("PYTHONPYCACHEPREFIX", BYTECODE)
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1
        )
        self._answer()  # ready: the handler's module imported
        return time.perf_counter() - started

    def _answer(self) -> dict[str, Any]:
        assert self._process is not None
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the process of {self.subscription} ended (exit {self._process.poll()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        with self._lock:
            cold = self._start() if self._process is None or self._process.poll() is not None else 0.0
            assert self._process is not None
            assert self._process.stdin is not None
            request = {
                "event": event,
                "function_name": context.function_name,
                "remaining_s": context.get_remaining_time_in_millis() / 1000,
                "memory_limit_in_mb": context.memory_limit_in_mb,
                "aws_request_id": context.aws_request_id,
                "environment": self.environment,
            }
            self._process.stdin.write(json.dumps(request) + "\n")
            answer = self._answer()
        figures = answer["figures"]
        self.invocations.append(
            Invocation(
                self.subscription,
                len(event["Records"]),
                cold_start_s=cold,
                failed=bool(answer["error"]),
                **figures,
            )
        )
        if answer["error"]:
            raise RuntimeError(answer["error"])
        response: dict[str, Any] = answer["response"] or {}
        return response

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                assert self._process.stdin is not None
                self._process.stdin.close()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
            self._process = None


def _serve(dotted: str, guarded: tuple[str, ...], requests: IO[str], answers: IO[str]) -> None:
    from ior_contracts.engine_time import engine_cpu_s
    from ior_contracts.settings import function_environment

    from ior_tools.runtime.aws_calls import AwsCallClock
    from ior_tools.runtime.lambda_python import without_test_tools
    from ior_tools.runtime.object_lock import ObjectLockChecksums
    from ior_tools.runtime.worker import LambdaContext, load_handler

    without_test_tools()
    handler = load_handler(dotted)
    ObjectLockChecksums(guarded).install()
    aws = AwsCallClock()
    aws.install()
    profiles = os.environ.get(PROFILE_DIR)
    count = 0
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    for line in requests:
        request = json.loads(line)
        context = LambdaContext(
            function_name=request["function_name"],
            deadline=time.monotonic() + request["remaining_s"],
            memory_limit_in_mb=request["memory_limit_in_mb"],
            aws_request_id=request["aws_request_id"],
        )
        reset_peak()
        cpu, engine, waited, started = _cpu_s(), engine_cpu_s(), aws.read(), time.perf_counter()
        response, error = None, ""
        # Timed by the process's CPU, as the invocation is measured: a wall clock would count waits.
        profile = cProfile.Profile(time.process_time) if profiles else None
        try:
            with function_environment(request["environment"]):
                if profile is not None:
                    profile.enable()
                response = handler(request["event"], context)
        except Exception as exc:  # noqa: BLE001 - the parent fails the batch, as Lambda would
            error = f"{type(exc).__name__}: {exc}"
        finally:
            if profile is not None:
                profile.disable()
        after = aws.read()
        figures = {
            "wall_s": time.perf_counter() - started,
            "cpu_s": _cpu_s() - cpu,
            "engine_cpu_s": engine_cpu_s() - engine,
            "aws_calls": after.calls - waited.calls,
            "aws_wait_s": after.wait_s - waited.wait_s,
            "peak_rss_mb": peak_rss_mb(),
        }
        if profile is not None and profiles:
            count += 1
            profile.dump_stats(os.path.join(profiles, f"{request['function_name']}-{count}.prof"))
        answers.write(
            json.dumps({"response": response, "error": error, "figures": figures}, default=str) + "\n"
        )
        answers.flush()


def totals(invocations: list[Invocation]) -> dict[str, Any]:
    """A subscription's invocations summed: count, messages, time, CPU, the largest invocation's time
    and CPU (and its engine's CPU, its requests to AWS and its wait on them), and the highest peak."""
    largest = max(invocations, key=lambda i: i.cpu_s, default=None)
    return {
        "invocations": len(invocations),
        "messages": sum(i.messages for i in invocations),
        "wall_s": sum(i.wall_s for i in invocations),
        "cpu_s": sum(i.cpu_s for i in invocations),
        "max_wall_s": max((i.wall_s for i in invocations), default=0.0),
        "max_cpu_s": max((i.cpu_s for i in invocations), default=0.0),
        "max_cpu_engine_s": largest.engine_cpu_s if largest is not None else 0.0,
        "max_cpu_aws_calls": largest.aws_calls if largest is not None else 0,
        "max_cpu_aws_wait_s": largest.aws_wait_s if largest is not None else 0.0,
        "max_cpu_wall_s": largest.wall_s if largest is not None else 0.0,
        "peak_rss_mb": max((i.peak_rss_mb for i in invocations), default=0.0),
        "cold_start_s": max((i.cold_start_s for i in invocations), default=0.0),
    }


def as_dict(invocation: Invocation) -> dict[str, Any]:
    return asdict(invocation)


if __name__ == "__main__":
    # The handler may print (logs, metrics): the answers travel on a copy of stdout, and the
    # handler's own stdout goes to stderr.
    answers_out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _serve(sys.argv[1], tuple(sys.argv[2:]), sys.stdin, answers_out)
