"""Declarations are checked when the topology is assembled: a bad one fails `ior up`, the tests and
the Pulumi program alike, with a message naming it."""

from __future__ import annotations

import pytest
from ior_contracts.topology import (
    Entrypoint,
    Needs,
    Offer,
    PublishedRead,
    Schedule,
    ServiceDeclaration,
    Subscription,
    Topology,
    TopologyError,
    load_topology,
)

RUN = "customs.run.requested.v1"


def _topology(*services: ServiceDeclaration) -> Topology:
    return Topology(services)


def test_a_valid_declaration_is_accepted() -> None:
    sub = Subscription("customs-runs", (RUN,), "ior_customs.entrypoints.runs:handler")
    sch = Schedule("nightly-extract", "cron(0 5 ? * * *)", "ingestion.extract.requested.v1",
                   {"source": "ZSDR002", "trigger": "schedule"})  # fmt: skip
    topology = _topology(ServiceDeclaration("customs", (sub,)), ServiceDeclaration("ingestion", (), (sch,)))
    assert [s.name for _, s in topology.subscriptions] == ["customs-runs"]
    assert sub.event_pattern() == {"source": ["ior.api"], "detail-type": [RUN]}


ALARMS = {"aws.cloudwatch": ("CloudWatch Alarm State Change",)}


def test_a_subscription_to_aws_events_routes_by_their_source() -> None:
    sub = Subscription("api-alarms", (), "ior_api.entrypoints.alarms:handler", aws_events=ALARMS)
    _topology(ServiceDeclaration("api", (sub,)))
    assert sub.event_pattern() == {
        "source": ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
    }


@pytest.mark.parametrize(
    ("services", "message"),
    [
        (
            [ServiceDeclaration("alpha", (Subscription("s-one", (RUN,), "m:f", aws_events=ALARMS),))],
            "contracts or AWS events, not both",
        ),
        (
            [
                ServiceDeclaration(
                    "alpha", (Subscription("s-one", (), "m:f", aws_events={"ior.api": ("x",)}),)
                )
            ],
            "AWS events are `aws.\\*` sources",
        ),
        (
            [
                ServiceDeclaration("alpha", (Subscription("dup", (RUN,), "m:f"),)),
                ServiceDeclaration("beta", (Subscription("dup", (RUN,), "m:f"),)),
            ],
            "'dup' is declared twice",
        ),
        ([ServiceDeclaration("alpha"), ServiceDeclaration("alpha")], "service 'alpha' is declared twice"),
        (
            [ServiceDeclaration("alpha", (Subscription("s-one", (RUN,), "no_colon"),))],
            "must be 'module.path:function'",
        ),
        (
            [ServiceDeclaration("alpha", (Subscription("s-one", ("customs.run.exploded.v1",), "m:f"),))],
            "no contract",
        ),
        ([ServiceDeclaration("alpha", (Subscription("s-one", (), "m:f"),))], "declares no contract"),
        ([ServiceDeclaration("alpha", (Subscription("s-one", (RUN,), "m:f", batch_size=0),))], "batch size"),
        ([ServiceDeclaration("alpha", (), (Schedule("tick", "rate(1 day)", RUN, {}),))], "not an AWS cron"),
        (
            [
                ServiceDeclaration(
                    "ingestion",
                    (),
                    (
                        Schedule(
                            "tick",
                            "cron(0 5 ? * * *)",
                            RUN,
                            {
                                "business_date": "2026-03-10",
                                "mode": "manual",
                                "reason": "r",
                                "requested_by": "x",
                            },
                        ),
                    ),
                )
            ],
            "may not emit customs.run.requested.v1",
        ),
        (
            [
                ServiceDeclaration(
                    "ingestion",
                    (),
                    (
                        Schedule(
                            "tick",
                            "cron(0 5 ? * * *)",
                            "ingestion.extract.requested.v1",
                            {"source": "NOPE", "trigger": "schedule"},
                        ),
                    ),
                )
            ],
            "source",
        ),
    ],
    ids=[
        "contracts and AWS events",
        "not an AWS source",
        "duplicate subscription",
        "duplicate service",
        "bad handler path",
        "unknown contract",
        "no contract",
        "batch size",
        "not cron",
        "foreign source",
        "invalid scheduled payload",
    ],
)
def test_an_inconsistent_declaration_is_refused(services: list[ServiceDeclaration], message: str) -> None:
    with pytest.raises(TopologyError, match=message):
        _topology(*services)


HTTP = Entrypoint("http", "ior_api.entrypoints.http:handler", trigger="http", timeout_s=29, snapshot=True)


def test_a_service_says_what_its_functions_need_and_the_stage_finds_its_operator_and_entry_points() -> None:
    api = ServiceDeclaration(
        "api",
        needs=Needs(reads=(PublishedRead("data", "customs/published/"),), secrets=("jwt",), operates=True),
        entrypoints=(HTTP,),
    )
    topology = _topology(api, ServiceDeclaration("etl", in_vpc=True, data_layer=True))
    assert topology.operator is api
    assert topology.entrypoint("http") == (api, HTTP)
    with pytest.raises(TopologyError, match="no service declares an entry point for 'alerts'"):
        topology.entrypoint("alerts")


@pytest.mark.parametrize(
    ("services", "message"),
    [
        ([ServiceDeclaration("alpha", needs=Needs(secrets=("vault",)))], "no stage secret 'vault'"),
        (
            [ServiceDeclaration("alpha", needs=Needs(reads=(PublishedRead("data", "alpha/published/"),)))],
            "another service",
        ),
        (
            [ServiceDeclaration("alpha", needs=Needs(reads=(PublishedRead("data", "beta/published"),)))],
            "ending in /",
        ),
        (
            [
                ServiceDeclaration("alpha", needs=Needs(operates=True), entrypoints=(HTTP,)),
                ServiceDeclaration(
                    "beta",
                    needs=Needs(alerts=True),
                    entrypoints=(Entrypoint("chat", "m:f", trigger="alerts", timeout_s=9),),
                ),
            ],
            "only one",
        ),
        (
            [
                ServiceDeclaration(
                    "alpha",
                    needs=Needs(secrets=("jwt",)),
                    entrypoints=(
                        Entrypoint("web", "m:f", trigger="http", timeout_s=9, needs=Needs(secrets=("sap",))),
                    ),
                )
            ],
            "web needs more than its service declares",
        ),
        (
            [
                ServiceDeclaration("alpha", entrypoints=(HTTP,)),
                ServiceDeclaration("beta", entrypoints=(HTTP,)),
            ],
            "more than one entry point is invoked by 'http'",
        ),
        (
            [
                ServiceDeclaration(
                    "alpha", entrypoints=(Entrypoint("web", "m:f", trigger="http", timeout_s=901),)
                )
            ],
            "timeout 901s out of 1..900",
        ),
        (
            [
                ServiceDeclaration(
                    "alpha", entrypoints=(Entrypoint("web", "not a path", trigger="http", timeout_s=9),)
                )
            ],
            "must be 'module.path:function'",
        ),
    ],
)
def test_what_a_service_needs_is_checked(services: list[ServiceDeclaration], message: str) -> None:
    with pytest.raises(TopologyError, match=message):
        _topology(*services)


@pytest.mark.parametrize("sub", [s for _, s in load_topology().subscriptions], ids=lambda s: s.name)
def test_every_declared_queue_follows_awss_guidance_for_event_sources(sub: Subscription) -> None:
    assert sub.visibility_timeout_s >= 6 * sub.timeout_s, "visibility under six times the function timeout"
    assert sub.max_receive_count >= 5, "fewer than five receives before the DLQ"


def test_an_offered_family_is_the_offering_services_contracts_of_that_prefix() -> None:
    compare = ServiceDeclaration(
        "compare", offers=(Offer("compare.comparison", (PublishedRead("data", "compare/published/"),)),)
    )
    [(service, offer)] = _topology(compare).offers.values()
    # `compare.comparison.requested.v1` is the API's: a family offers only what its service emits.
    assert offer.detail_types(service.source) == ("compare.comparison.completed.v1",)


@pytest.mark.parametrize(
    ("services", "message"),
    [
        ([ServiceDeclaration("etl", offers=(Offer("etl"),))], "must be '<domain>.<entity>'"),
        ([ServiceDeclaration("etl", offers=(Offer("customs.lines"),))], "emits no contract of the family"),
        ([ServiceDeclaration("etl", offers=(Offer("etl.nothing"),))], "emits no contract of the family"),
        (
            [ServiceDeclaration("etl", offers=(Offer("etl.dataset", (PublishedRead("data", "customs/"),)),))],
            "its own prefix",
        ),
        (
            [ServiceDeclaration("etl", offers=(Offer("etl.dataset"), Offer("etl.dataset")))],
            "offered twice",
        ),
    ],
)
def test_what_a_service_offers_downstream_accounts_is_checked(
    services: list[ServiceDeclaration], message: str
) -> None:
    with pytest.raises(TopologyError, match=message):
        _topology(*services)
