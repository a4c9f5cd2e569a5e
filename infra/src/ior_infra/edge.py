"""The dashboard's front door: one CloudFront distribution serving the frontend bucket through
Origin Access Control and `/api/*` from the HTTP API, behind a WAF web ACL (CloudFront ACLs live
in us-east-1)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming

from ior_infra.access import distribution_reads, tls_only

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


@dataclass(frozen=True)
class EdgeArgs:
    naming: Naming
    frontend_bucket: aws.s3.Bucket
    api_domain: pulumi.Input[str]
    # Large manual uploads go from the browser straight to this bucket by presigned POST.
    upload_bucket: aws.s3.Bucket | None = None


def _visibility(name: str) -> aws.wafv2.WebAclRuleVisibilityConfigArgs:
    return aws.wafv2.WebAclRuleVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _rules(stage: str) -> list[aws.wafv2.WebAclRuleArgs]:
    rules = [
        aws.wafv2.WebAclRuleArgs(
            name=group,
            priority=i,
            # `none`: each group's own actions apply, as AWS maintains them.
            override_action=aws.wafv2.WebAclRuleOverrideActionArgs(
                none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()  # type: ignore[no-untyped-call]
            ),
            statement=aws.wafv2.WebAclRuleStatementArgs(
                managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                    name=group, vendor_name="AWS"
                )
            ),
            visibility_config=_visibility(f"ior-{stage}-{group}"),
        )
        for i, group in enumerate(MANAGED_RULE_GROUPS)
    ]
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
    web_acl: aws.wafv2.WebAcl

    def __init__(self, name: str, args: EdgeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Edge", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        stage = args.naming.stage
        us_east_1 = aws.Provider(f"{name}-us-east-1", region="us-east-1", opts=child)
        self.web_acl = aws.wafv2.WebAcl(
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
        oac = aws.cloudfront.OriginAccessControl(
            f"{name}-oac",
            name=f"ior-{stage}-frontend",
            origin_access_control_origin_type="s3",
            signing_behavior="always",
            signing_protocol="sigv4",
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
            web_acl_id=self.web_acl.arn,
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
                )
            ],
            default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
                target_origin_id=ORIGIN,
                viewer_protocol_policy="redirect-to-https",
                allowed_methods=["GET", "HEAD"],
                cached_methods=["GET", "HEAD"],
                cache_policy_id=CACHING_OPTIMIZED,
                compress=True,
            ),
            # The dashboard routes in the browser: unknown paths get the app, which shows its own 404.
            custom_error_responses=[
                aws.cloudfront.DistributionCustomErrorResponseArgs(
                    error_code=code, response_code=200, response_page_path="/index.html"
                )
                for code in (403, 404)
            ],
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
        self.register_outputs({"domain": self.distribution.domain_name, "webAcl": self.web_acl.arn})
