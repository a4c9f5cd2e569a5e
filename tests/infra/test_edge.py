"""The distribution serves the frontend through OAC only and `/api/*` from the HTTP API, with the
API's answers passed through unchanged, security headers on both, and (on prod, or when asked) a
WAF ACL made in us-east-1 that lets the manual upload through."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from ior_infra.edge_policy import SPA_REWRITE, is_page

from tests.infra.mocks import Recorder, run_stack

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"


def test_waf_is_attached_and_made_in_us_east_1(prod: Recorder) -> None:
    acl = prod.named("aws:wafv2/webAcl:WebAcl", "edge-waf")
    distribution = prod.named(DISTRIBUTION, "edge-distribution")
    assert distribution.inputs["webAclId"] == acl.state["arn"], distribution.name
    assert acl.inputs["scope"] == "CLOUDFRONT", acl.name
    provider = prod.named("pulumi:providers:aws", "edge-us-east-1")
    assert provider.inputs["region"] == "us-east-1"
    # A provider reference is "<urn>::<id>".
    assert (acl.provider or "").endswith(f"pulumi:providers:aws::{provider.name}::{provider.name}-id"), (
        acl.name
    )
    rules = {r["name"]: r for r in acl.inputs["rules"]}
    assert "AWSManagedRulesCommonRuleSet" in rules, acl.name
    assert rules["rate-per-ip"]["statement"]["rateBasedStatement"]["aggregateKeyType"] == "IP", acl.name


def test_the_waf_lets_the_manual_upload_through_and_blocks_large_bodies_elsewhere(prod: Recorder) -> None:
    rules = {r["name"]: r for r in prod.named("aws:wafv2/webAcl:WebAcl", "edge-waf").inputs["rules"]}
    common = rules["AWSManagedRulesCommonRuleSet"]["statement"]["managedRuleGroupStatement"]
    assert common["ruleActionOverrides"] == [{"name": "SizeRestrictions_BODY", "actionToUse": {"count": {}}}]
    over, exempt = rules["body-size"]["statement"]["andStatement"]["statements"]
    assert over["sizeConstraintStatement"]["size"] == 8 * 1024
    assert over["sizeConstraintStatement"]["fieldToMatch"]["body"]["oversizeHandling"] == "MATCH"
    upload = exempt["notStatement"]["statement"]["byteMatchStatement"]
    assert (upload["positionalConstraint"], upload["searchString"]) == ("STARTS_WITH", "/api/uploads")
    assert "block" in rules["body-size"]["action"]


def test_a_non_prod_stack_has_no_waf_unless_asked(dev: Recorder) -> None:
    assert not dev.of("aws:wafv2/webAcl:WebAcl")
    assert dev.named(DISTRIBUTION, "edge-distribution").inputs.get("webAclId") is None
    assert len(run_stack("dev", waf=True).of("aws:wafv2/webAcl:WebAcl")) == 1


def test_only_the_dashboards_pages_are_rewritten_and_api_errors_pass_through(dev: Recorder) -> None:
    distribution = dev.named(DISTRIBUTION, "edge-distribution").inputs
    # No distribution-wide error pages: they would answer every API 403/404 with the app and a 200.
    assert not distribution.get("customErrorResponses")
    function = dev.named("aws:cloudfront/function:Function", "edge-spa-rewrite")
    [association] = distribution["defaultCacheBehavior"]["functionAssociations"]
    assert association == {"eventType": "viewer-request", "functionArn": function.state["arn"]}
    [api] = distribution["orderedCacheBehaviors"]
    assert not api.get("functionAssociations")
    assert function.inputs["runtime"] == "cloudfront-js-2.0"


@pytest.mark.parametrize(
    ("uri", "served"),
    [
        ("/", "/index.html"),
        ("/comparisons/2026-03-31", "/index.html"),
        ("/lines", "/index.html"),
        ("/assets/index-3f2a.js", "/assets/index-3f2a.js"),
        ("/favicon.svg", "/favicon.svg"),
        ("/api/comparisons/unknown", "/api/comparisons/unknown"),
    ],
)
def test_the_rewrite_function_and_the_local_server_agree_on_what_is_a_page(uri: str, served: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js runs the CloudFront Function's code")
    script = SPA_REWRITE.read_text() + f"\nconsole.log(handler({{request: {{uri: {json.dumps(uri)}}}}}).uri);"
    ran = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == served
    assert is_page(uri) == (served == "/index.html" and uri != "/index.html")


def test_every_answer_gets_the_security_headers(dev: Recorder) -> None:
    distribution = dev.named(DISTRIBUTION, "edge-distribution").inputs
    dashboard = dev.named(
        "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "edge-dashboard-headers"
    )
    api = dev.named("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "edge-api-headers")
    assert distribution["defaultCacheBehavior"]["responseHeadersPolicyId"] == f"{dashboard.name}-id"
    assert distribution["orderedCacheBehaviors"][0]["responseHeadersPolicyId"] == f"{api.name}-id"
    security = dashboard.inputs["securityHeadersConfig"]
    csp = security["contentSecurityPolicy"]["contentSecurityPolicy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    data = dev.named("aws:s3/bucket:Bucket", "storage-data").inputs["bucket"]
    assert f"https://{data}.s3.amazonaws.com" in csp  # the presigned upload's destination
    for policy in (dashboard, api):
        headers = policy.inputs["securityHeadersConfig"]
        assert headers["strictTransportSecurity"]["accessControlMaxAgeSec"] >= 31536000
        assert headers["contentTypeOptions"] == {"override": True}
        assert headers["frameOptions"]["frameOption"] == "DENY"
        assert headers["referrerPolicy"]["referrerPolicy"]


def test_cloudfront_sends_the_api_its_origin_secret(dev: Recorder) -> None:
    origins = {o["originId"]: o for o in dev.named(DISTRIBUTION, "edge-distribution").inputs["origins"]}
    [header] = origins["api"]["customHeaders"]
    assert header["name"] == "X-Ior-Origin"
    assert "customHeaders" not in origins["frontend"]


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
    assert function.inputs["role"] == dev.named("aws:iam/role:Role", "services-api-http-role").state["arn"]
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
