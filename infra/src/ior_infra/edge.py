"""The dashboard's front door: one CloudFront distribution serving the frontend bucket through
Origin Access Control and `/api/*` from the HTTP API, optionally behind a WAF web ACL (CloudFront
ACLs live in us-east-1).

- The dashboard's pages are rewritten to `index.html` by a CloudFront Function on its behaviour
  only; there are no distribution-wide custom error responses, which would turn every API 403 or
  404 into a 200 with the app.
- `/api/*` carries a secret origin header the API requires, so its own endpoint is no way around
  the distribution, the WAF and its rate limit.
- Every answer gets the security headers of `edge_policy` (the local server sends the same)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import ORIGIN_HEADER, Naming

from ior_infra.access import distribution_reads, tls_only
from ior_infra.edge_policy import API_HEADERS, SPA_REWRITE, dashboard_headers

# AWS managed cache policies "CachingOptimized" and "CachingDisabled", and the origin request
# policy "AllViewerExceptHostHeader" (API Gateway needs its own Host).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
# Requests per client IP per 5 minutes before WAF blocks it.
RATE_LIMIT = 2000
ORIGIN, API_ORIGIN = "frontend", "api"
# The common rule set blocks bodies over 8 KB (`SizeRestrictions_BODY`). The manual upload (the
# fallback when SAP is down) sends up to 6 MB to `/api/uploads`: that rule only counts, and our own
# rule blocks large bodies everywhere else.
BODY_LIMIT = 8 * 1024
UPLOADS = "/api/uploads"


@dataclass(frozen=True)
class EdgeArgs:
    naming: Naming
    frontend_bucket: aws.s3.Bucket
    api_domain: pulumi.Input[str]
    # The value of the origin header the API requires (the stage's `origin` secret).
    origin_secret: pulumi.Input[str]
    # Large manual uploads go from the browser straight to this bucket by presigned POST.
    upload_bucket: aws.s3.Bucket | None = None
    waf: bool = True
    region: str = "us-east-1"


def _visibility(name: str) -> aws.wafv2.WebAclRuleVisibilityConfigArgs:
    return aws.wafv2.WebAclRuleVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _managed(group: str, priority: int, stage: str) -> aws.wafv2.WebAclRuleArgs:
    # The upload route's large bodies are judged by `body-size` below, not by the common rule set.
    overrides = (
        [
            aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs(
                name="SizeRestrictions_BODY",
                action_to_use=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs(
                    count=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs()
                ),
            )
        ]
        if group == "AWSManagedRulesCommonRuleSet"
        else None
    )
    return aws.wafv2.WebAclRuleArgs(
        name=group,
        priority=priority,
        # `none`: each group's own actions apply, as AWS maintains them (but the override above).
        override_action=aws.wafv2.WebAclRuleOverrideActionArgs(
            none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()  # type: ignore[no-untyped-call]
        ),
        statement=aws.wafv2.WebAclRuleStatementArgs(
            managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                name=group, vendor_name="AWS", rule_action_overrides=overrides
            )
        ),
        visibility_config=_visibility(f"ior-{stage}-{group}"),
    )


def _body_size(priority: int, stage: str) -> aws.wafv2.WebAclRuleArgs:
    """Bodies over 8 KB are blocked except on the upload route (the API bounds that one at 6 MB)."""
    waf = aws.wafv2
    as_is = [waf.WebAclRuleStatementSizeConstraintStatementTextTransformationArgs(priority=0, type="NONE")]
    over_limit = waf.WebAclRuleStatementArgs(
        size_constraint_statement=waf.WebAclRuleStatementSizeConstraintStatementArgs(
            comparison_operator="GT",
            size=BODY_LIMIT,
            field_to_match=waf.WebAclRuleStatementSizeConstraintStatementFieldToMatchArgs(
                body=waf.WebAclRuleStatementSizeConstraintStatementFieldToMatchBodyArgs(
                    oversize_handling="MATCH"
                )
            ),
            text_transformations=as_is,
        )
    )
    upload = waf.WebAclRuleStatementArgs(
        byte_match_statement=waf.WebAclRuleStatementByteMatchStatementArgs(
            positional_constraint="STARTS_WITH",
            search_string=UPLOADS,
            field_to_match=waf.WebAclRuleStatementByteMatchStatementFieldToMatchArgs(
                uri_path=waf.WebAclRuleStatementByteMatchStatementFieldToMatchUriPathArgs()  # type: ignore[no-untyped-call]
            ),
            text_transformations=[
                waf.WebAclRuleStatementByteMatchStatementTextTransformationArgs(priority=0, type="NONE")
            ],
        )
    )
    return waf.WebAclRuleArgs(
        name="body-size",
        priority=priority,
        action=waf.WebAclRuleActionArgs(block=waf.WebAclRuleActionBlockArgs()),
        statement=waf.WebAclRuleStatementArgs(
            and_statement=waf.WebAclRuleStatementAndStatementArgs(
                statements=[
                    over_limit,
                    waf.WebAclRuleStatementArgs(
                        not_statement=waf.WebAclRuleStatementNotStatementArgs(statement=upload)
                    ),
                ]
            )
        ),
        visibility_config=_visibility(f"ior-{stage}-body-size"),
    )


def _rules(stage: str) -> list[aws.wafv2.WebAclRuleArgs]:
    rules = [_managed(group, i, stage) for i, group in enumerate(MANAGED_RULE_GROUPS)]
    rules.append(_body_size(len(rules), stage))
    rules.append(
        aws.wafv2.WebAclRuleArgs(
            name="rate-per-ip",
            priority=len(rules),
            action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
            statement=aws.wafv2.WebAclRuleStatementArgs(
                rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                    limit=RATE_LIMIT, aggregate_key_type="IP"
                )
            ),
            visibility_config=_visibility(f"ior-{stage}-rate-per-ip"),
        )
    )
    return rules


class Edge(pulumi.ComponentResource):
    distribution: aws.cloudfront.Distribution
    web_acl: aws.wafv2.WebAcl | None
    spa_rewrite: aws.cloudfront.Function

    def __init__(self, name: str, args: EdgeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Edge", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        stage = args.naming.stage
        self.web_acl = self._waf(name, stage) if args.waf else None
        oac = aws.cloudfront.OriginAccessControl(
            f"{name}-oac",
            name=f"ior-{stage}-frontend",
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
            opts=child,
        )
        self.spa_rewrite = aws.cloudfront.Function(
            f"{name}-spa-rewrite",
            name=f"ior-{stage}-spa-rewrite",
            runtime="cloudfront-js-2.0",
            comment="dashboard pages to index.html; never on /api/*",
            code=SPA_REWRITE.read_text(),
            publish=True,
            opts=child,
        )
        upload_origin = (
            args.upload_bucket.bucket.apply(
                lambda b: f"https://{b}.s3.amazonaws.com https://{b}.s3.{args.region}.amazonaws.com"
            )
            if args.upload_bucket is not None
            else pulumi.Output.from_input("")
        )
        dashboard_policy = aws.cloudfront.ResponseHeadersPolicy(
            f"{name}-dashboard-headers",
            name=f"ior-{stage}-dashboard",
            security_headers_config=upload_origin.apply(lambda o: _security(dashboard_headers(o))),
            opts=child,
        )
        api_policy = aws.cloudfront.ResponseHeadersPolicy(
            f"{name}-api-headers",
            name=f"ior-{stage}-api",
            security_headers_config=_security(API_HEADERS),
            opts=child,
        )
        bucket = args.frontend_bucket
        self.distribution = aws.cloudfront.Distribution(
            f"{name}-distribution",
            enabled=True,
            comment=f"ior {stage}",
            default_root_object="index.html",
            http_version="http2and3",
            price_class="PriceClass_100",
            web_acl_id=self.web_acl.arn if self.web_acl is not None else None,
            origins=[
                aws.cloudfront.DistributionOriginArgs(
                    origin_id=ORIGIN,
                    domain_name=bucket.bucket_regional_domain_name,
                    origin_access_control_id=oac.id,
                ),
                aws.cloudfront.DistributionOriginArgs(
                    origin_id=API_ORIGIN,
                    domain_name=args.api_domain,
                    custom_origin_config=aws.cloudfront.DistributionOriginCustomOriginConfigArgs(
                        http_port=80,
                        https_port=443,
                        origin_protocol_policy="https-only",
                        origin_ssl_protocols=["TLSv1.2"],
                    ),
                    custom_headers=[
                        aws.cloudfront.DistributionOriginCustomHeaderArgs(
                            name=ORIGIN_HEADER, value=args.origin_secret
                        )
                    ],
                ),
            ],
            ordered_cache_behaviors=[
                aws.cloudfront.DistributionOrderedCacheBehaviorArgs(
                    path_pattern="/api/*",
                    target_origin_id=API_ORIGIN,
                    viewer_protocol_policy="https-only",
                    allowed_methods=["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                    cached_methods=["GET", "HEAD"],
                    cache_policy_id=CACHING_DISABLED,
                    origin_request_policy_id=ALL_VIEWER_EXCEPT_HOST,
                    response_headers_policy_id=api_policy.id,
                )
            ],
            default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
                target_origin_id=ORIGIN,
                viewer_protocol_policy="redirect-to-https",
                allowed_methods=["GET", "HEAD"],
                cached_methods=["GET", "HEAD"],
                cache_policy_id=CACHING_OPTIMIZED,
                compress=True,
                response_headers_policy_id=dashboard_policy.id,
                function_associations=[
                    aws.cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArgs(
                        event_type="viewer-request", function_arn=self.spa_rewrite.arn
                    )
                ],
            ),
            restrictions=aws.cloudfront.DistributionRestrictionsArgs(
                geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(
                    restriction_type="none"
                )
            ),
            viewer_certificate=aws.cloudfront.DistributionViewerCertificateArgs(
                cloudfront_default_certificate=True
            ),
            opts=child,
        )
        aws.s3.BucketPolicy(
            f"{name}-frontend-policy",
            bucket=bucket.id,
            policy=pulumi.Output.all(bucket.arn, self.distribution.arn).apply(
                lambda a: json.dumps(tls_only(a[0], distribution_reads(a[0], a[1])))
            ),
            opts=child,
        )
        if args.upload_bucket is not None:
            aws.s3.BucketCorsConfiguration(
                f"{name}-upload-cors",
                bucket=args.upload_bucket.id,
                cors_rules=[
                    aws.s3.BucketCorsConfigurationCorsRuleArgs(
                        allowed_methods=["POST"],
                        allowed_origins=[self.distribution.domain_name.apply(lambda d: f"https://{d}")],
                        allowed_headers=["*"],
                        max_age_seconds=3000,
                    )
                ],
                opts=child,
            )
        self.register_outputs({"domain": self.distribution.domain_name})

    def _waf(self, name: str, stage: str) -> aws.wafv2.WebAcl:
        us_east_1 = aws.Provider(
            f"{name}-us-east-1", region="us-east-1", opts=pulumi.ResourceOptions(parent=self)
        )
        return aws.wafv2.WebAcl(
            f"{name}-waf",
            name=f"ior-{stage}-edge",
            scope="CLOUDFRONT",
            default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
            rules=_rules(stage),
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True,
                metric_name=f"ior-{stage}-edge",
                sampled_requests_enabled=True,
            ),
            opts=pulumi.ResourceOptions(parent=self, provider=us_east_1),
        )


def _security(headers: dict[str, str]) -> aws.cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs:
    """A response-headers policy's security block from the headers `edge_policy` names."""
    cf = aws.cloudfront
    hsts = int(headers["Strict-Transport-Security"].split(";")[0].removeprefix("max-age="))
    csp = headers.get("Content-Security-Policy")
    return cf.ResponseHeadersPolicySecurityHeadersConfigArgs(
        content_type_options=cf.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs(
            override=True
        ),
        frame_options=cf.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs(
            frame_option=headers["X-Frame-Options"], override=True
        ),
        referrer_policy=cf.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs(
            referrer_policy=headers["Referrer-Policy"], override=True
        ),
        strict_transport_security=cf.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs(
            access_control_max_age_sec=hsts, include_subdomains=True, override=True
        ),
        content_security_policy=cf.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs(
            content_security_policy=csp, override=True
        )
        if csp
        else None,
    )
