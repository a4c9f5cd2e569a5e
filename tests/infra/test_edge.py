"""The distribution serves the frontend through OAC only and `/api/*` from the HTTP API, behind a
WAF ACL made in us-east-1."""

from __future__ import annotations

import json

import pytest

from tests.infra.mocks import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"


def test_waf_is_attached_and_made_in_us_east_1(dev: Recorder) -> None:
    acl = dev.named("aws:wafv2/webAcl:WebAcl", "edge-waf")
    distribution = dev.named(DISTRIBUTION, "edge-distribution")
    assert distribution.inputs["webAclId"] == acl.state["arn"], distribution.name
    assert acl.inputs["scope"] == "CLOUDFRONT", acl.name
    provider = dev.named("pulumi:providers:aws", "edge-us-east-1")
    assert provider.inputs["region"] == "us-east-1"
    # A provider reference is "<urn>::<id>".
    assert (acl.provider or "").endswith(f"pulumi:providers:aws::{provider.name}::{provider.name}-id"), (
        acl.name
    )
    rules = {r["name"]: r for r in acl.inputs["rules"]}
    assert "AWSManagedRulesCommonRuleSet" in rules, acl.name
    assert rules["rate-per-ip"]["statement"]["rateBasedStatement"]["aggregateKeyType"] == "IP", acl.name


def test_frontend_is_read_through_oac_by_this_distribution_only(dev: Recorder) -> None:
    oac = dev.named("aws:cloudfront/originAccessControl:OriginAccessControl", "edge-oac")
    assert (oac.inputs["signingBehavior"], oac.inputs["signingProtocol"]) == ("always", "sigv4"), oac.name
    distribution = dev.named(DISTRIBUTION, "edge-distribution")
    origins = {o["originId"]: o for o in distribution.inputs["origins"]}
    assert origins["frontend"]["originAccessControlId"] == f"{oac.name}-id", distribution.name
    assert distribution.inputs["defaultCacheBehavior"]["viewerProtocolPolicy"] == "redirect-to-https"
    policy = json.loads(
        dev.named("aws:s3/bucketPolicy:BucketPolicy", "edge-frontend-policy").inputs["policy"]
    )
    [allow] = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Condition"] == {"StringEquals": {"AWS:SourceArn": distribution.state["arn"]}}


def test_api_paths_go_uncached_to_the_http_api_and_its_function(dev: Recorder) -> None:
    distribution = dev.named(DISTRIBUTION, "edge-distribution")
    api = dev.named("aws:apigatewayv2/api:Api", "http-api")
    origins = {o["originId"]: o for o in distribution.inputs["origins"]}
    assert origins["api"]["domainName"] == api.state["apiEndpoint"].removeprefix("https://")
    assert origins["api"]["customOriginConfig"]["originProtocolPolicy"] == "https-only"
    [behavior] = distribution.inputs["orderedCacheBehaviors"]
    assert (behavior["pathPattern"], behavior["targetOriginId"]) == ("/api/*", "api")
    assert "POST" in behavior["allowedMethods"]

    function = dev.named("aws:lambda/function:Function", "services-api-http")
    assert function.inputs["handler"] == "ior_api.entrypoints.http.handler"
    assert function.inputs["role"] == dev.named("aws:iam/role:Role", "services-api-role").state["arn"]
    # Requests reach the function's published version through its alias, served by SnapStart.
    assert function.inputs["publish"] is True
    assert function.inputs["snapStart"] == {"applyOn": "PublishedVersions"}
    alias = dev.named("aws:lambda/alias:Alias", "services-api-http-live")
    assert (alias.inputs["functionName"], alias.inputs["name"]) == (function.state["name"], "live")
    integration = dev.named("aws:apigatewayv2/integration:Integration", "http-integration")
    assert integration.inputs["integrationUri"] == alias.state["arn"]
    assert integration.inputs["payloadFormatVersion"] == "2.0"
    route = dev.named("aws:apigatewayv2/route:Route", "http-route")
    assert route.inputs["routeKey"] == "ANY /api/{proxy+}"
    assert route.inputs["target"] == "integrations/http-integration-id"
    permission = dev.named("aws:lambda/permission:Permission", "http-invoke")
    assert permission.inputs["sourceArn"] == f"{api.state['executionArn']}/*/*"
    assert permission.inputs["qualifier"] == "live"


def test_only_the_dashboard_may_post_uploads_to_the_data_bucket(dev: Recorder) -> None:
    distribution = dev.named(DISTRIBUTION, "edge-distribution")
    cors = dev.named("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "edge-upload-cors").inputs
    assert cors["bucket"] == "storage-data-id"
    [rule] = cors["corsRules"]
    assert rule["allowedMethods"] == ["POST"]
    assert rule["allowedOrigins"] == [f"https://{distribution.state['domainName']}"]
