"""The API's HTTP front: an API Gateway HTTP API (payload format 2.0) proxying `/api/*` to the
API's request function. CloudFront routes `/api/*` here; POST bodies need no signing, unlike a
function URL behind OAC."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming

ROUTE = "ANY /api/{proxy+}"
# Requests per second across the API, and the burst above it.
RATE_LIMIT, BURST_LIMIT = 50, 100


@dataclass(frozen=True)
class HttpApiArgs:
    naming: Naming
    function: aws.lambda_.Function
    alias: aws.lambda_.Alias  # the published version the requests go to (SnapStart)


class HttpApi(pulumi.ComponentResource):
    api: aws.apigatewayv2.Api
    domain: pulumi.Output[str]

    def __init__(self, name: str, args: HttpApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:HttpApi", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.api = aws.apigatewayv2.Api(
            f"{name}-api", name=f"ior-{args.naming.stage}-api", protocol_type="HTTP", opts=child
        )
        integration = aws.apigatewayv2.Integration(
            f"{name}-integration",
            api_id=self.api.id,
            integration_type="AWS_PROXY",
            integration_uri=args.alias.arn,
            payload_format_version="2.0",
            opts=child,
        )
        aws.apigatewayv2.Route(
            f"{name}-route",
            api_id=self.api.id,
            route_key=ROUTE,
            target=integration.id.apply(lambda i: f"integrations/{i}"),
            opts=child,
        )
        aws.apigatewayv2.Stage(
            f"{name}-stage",
            api_id=self.api.id,
            name="$default",
            auto_deploy=True,
            default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
                throttling_rate_limit=RATE_LIMIT, throttling_burst_limit=BURST_LIMIT
            ),
            opts=child,
        )
        aws.lambda_.Permission(
            f"{name}-invoke",
            action="lambda:InvokeFunction",
            function=args.function.name,
            qualifier=args.alias.name,
            principal="apigateway.amazonaws.com",
            source_arn=self.api.execution_arn.apply(lambda arn: f"{arn}/*/*"),
            opts=child,
        )
        self.domain = self.api.api_endpoint.apply(lambda url: url.removeprefix("https://"))
        self.register_outputs({"endpoint": self.api.api_endpoint})
