"""Each resource type the program declares, created in the local cloud (moto) from its resolved
inputs through boto3, answering with the ids and ARNs AWS would give it. Types moto cannot hold
(CloudFront, WAF, API Gateway, alarms, dashboards, event source mappings, Lambda permissions and
layers, the schema registry) are recorded with ARNs of AWS's form; `HELD` names the ones created."""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable
from typing import Any

from ior_tools.rehearsal.iam import moto_bucket_view, moto_view

State = dict[str, Any]
Creator = Callable[["LocalCloud", str, dict[str, Any]], tuple[str, State]]


@functools.cache
def _code_pointer() -> bytes:
    """A function's code in the local cloud: the workers run the repository's own code in process, so
    moto holds only the configuration (handler, role, timeout, memory, environment) and versions, and
    the zip it is given says where the code is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "The local stack runs this function's code from the repository.\n")
    return buffer.getvalue()


class UnknownResourceError(NotImplementedError):
    """The program declares a resource type the rehearsal has no answer for."""


class LocalCloud:
    """Creates resources in the local cloud as the program's deployer (an administrator)."""

    def __init__(self, client: Callable[[str], Any], account: str, region: str) -> None:
        self._client = client
        self._clients: dict[str, Any] = {}
        self.account = account
        self.region = region

    def client(self, name: str) -> Any:
        if name not in self._clients:
            self._clients[name] = self._client(name)
        return self._clients[name]

    def arn(self, service: str, resource: str, *, region: bool = True) -> str:
        return f"arn:aws:{service}:{self.region if region else ''}:{self.account}:{resource}"

    def read(self, typ: str, resource_id: str) -> State:
        """An existing resource the program refers to (`Resource.get`), as the cloud describes it."""
        if typ not in READ:
            raise NotImplementedError(f"the rehearsal cannot read an existing {typ}")
        return READ[typ](self, resource_id)

    def create(self, typ: str, name: str, inputs: dict[str, Any]) -> tuple[str, State, bool]:
        """The resource's id, its outputs, and whether the local cloud holds it."""
        if typ in HELD:
            resource_id, state = HELD[typ](self, name, inputs)
            return resource_id, {**inputs, **state}, True
        if typ in RECORDED:
            resource_id, state = RECORDED[typ](self, name, inputs)
            return resource_id, {**inputs, **state}, False
        if typ.startswith("aws:"):
            raise UnknownResourceError(
                f"the rehearsal neither holds nor records {typ} ({name}): add it to HELD, or to "
                "RECORDED with why moto cannot hold it"
            )
        # Component resources and providers have no cloud side.
        return f"{name}-id", dict(inputs), False


def _name(inputs: dict[str, Any], logical: str) -> str:
    return str(inputs.get("name") or logical)


# --- KMS -------------------------------------------------------------------------------------------


def _key(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    kms = cloud.client("kms")
    kwargs: dict[str, Any] = {"Description": inputs.get("description", name)}
    if inputs.get("policy"):
        kwargs["Policy"] = inputs["policy"]
    key = kms.create_key(**kwargs)["KeyMetadata"]
    if inputs.get("enableKeyRotation"):
        kms.enable_key_rotation(KeyId=key["KeyId"])
    return key["KeyId"], {"arn": key["Arn"], "keyId": key["KeyId"]}


def _key_alias(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    alias = _name(inputs, name)
    cloud.client("kms").create_alias(AliasName=alias, TargetKeyId=inputs["targetKeyId"])
    return alias, {"arn": cloud.arn("kms", alias)}


# --- S3 --------------------------------------------------------------------------------------------


def _bucket(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    bucket = str(inputs.get("bucket") or name)
    kwargs: dict[str, Any] = {"Bucket": bucket}
    if inputs.get("objectLockEnabled"):
        kwargs["ObjectLockEnabledForBucket"] = True
    cloud.client("s3").create_bucket(**kwargs)
    return bucket, {
        "bucket": bucket,
        "arn": f"arn:aws:s3:::{bucket}",
        "bucketRegionalDomainName": f"{bucket}.s3.{cloud.region}.amazonaws.com",
        "bucketDomainName": f"{bucket}.s3.amazonaws.com",
    }


def _public_access_block(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    cloud.client("s3").put_public_access_block(
        Bucket=inputs["bucket"],
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": bool(inputs.get("blockPublicAcls")),
            "BlockPublicPolicy": bool(inputs.get("blockPublicPolicy")),
            "IgnorePublicAcls": bool(inputs.get("ignorePublicAcls")),
            "RestrictPublicBuckets": bool(inputs.get("restrictPublicBuckets")),
        },
    )
    return str(inputs["bucket"]), {}


def _versioning(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    status = inputs["versioningConfiguration"]["status"]
    cloud.client("s3").put_bucket_versioning(
        Bucket=inputs["bucket"], VersioningConfiguration={"Status": status}
    )
    return str(inputs["bucket"]), {}


def _encryption(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    rules = []
    for rule in inputs["rules"]:
        default = rule["applyServerSideEncryptionByDefault"]
        applied = {"SSEAlgorithm": default["sseAlgorithm"]}
        if default.get("kmsMasterKeyId"):
            applied["KMSMasterKeyID"] = default["kmsMasterKeyId"]
        rules.append(
            {
                "ApplyServerSideEncryptionByDefault": applied,
                "BucketKeyEnabled": bool(rule.get("bucketKeyEnabled")),
            }
        )
    cloud.client("s3").put_bucket_encryption(
        Bucket=inputs["bucket"], ServerSideEncryptionConfiguration={"Rules": rules}
    )
    return str(inputs["bucket"]), {}


def _bucket_policy(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    # moto is given the view of the policy it can evaluate (`iam.moto_bucket_view`).
    cloud.client("s3").put_bucket_policy(Bucket=inputs["bucket"], Policy=moto_bucket_view(inputs["policy"]))
    return str(inputs["bucket"]), {}


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {
        "ID": rule["id"],
        "Status": rule["status"],
        "Filter": {"Prefix": (rule.get("filter") or {}).get("prefix", "")},
    }
    if rule.get("expiration"):
        converted["Expiration"] = {"Days": rule["expiration"]["days"]}
    if rule.get("noncurrentVersionExpiration"):
        converted["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": rule["noncurrentVersionExpiration"]["noncurrentDays"]
        }
    if rule.get("abortIncompleteMultipartUpload"):
        converted["AbortIncompleteMultipartUpload"] = {
            "DaysAfterInitiation": rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"]
        }
    return converted


def _lifecycle(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    cloud.client("s3").put_bucket_lifecycle_configuration(
        Bucket=inputs["bucket"],
        LifecycleConfiguration={"Rules": [_lifecycle_rule(r) for r in inputs["rules"]]},
    )
    return str(inputs["bucket"]), {}


def _object_lock(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    retention = inputs["rule"]["defaultRetention"]
    period = {"Years": retention["years"]} if retention.get("years") else {"Days": retention["days"]}
    cloud.client("s3").put_object_lock_configuration(
        Bucket=inputs["bucket"],
        ObjectLockConfiguration={
            "ObjectLockEnabled": inputs.get("objectLockEnabled", "Enabled"),
            "Rule": {"DefaultRetention": {"Mode": retention["mode"], **period}},
        },
    )
    return str(inputs["bucket"]), {}


def _cors(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    rules = [
        {
            "AllowedMethods": rule["allowedMethods"],
            "AllowedOrigins": rule["allowedOrigins"],
            "AllowedHeaders": rule.get("allowedHeaders", []),
            "MaxAgeSeconds": rule.get("maxAgeSeconds", 0),
        }
        for rule in inputs["corsRules"]
    ]
    cloud.client("s3").put_bucket_cors(Bucket=inputs["bucket"], CORSConfiguration={"CORSRules": rules})
    return str(inputs["bucket"]), {}


# --- DynamoDB --------------------------------------------------------------------------------------


def _table(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    dynamodb, table = cloud.client("dynamodb"), _name(inputs, name)
    kwargs: dict[str, Any] = {
        "TableName": table,
        "BillingMode": inputs.get("billingMode", "PAY_PER_REQUEST"),
        "KeySchema": [
            {"AttributeName": inputs["hashKey"], "KeyType": "HASH"},
            *([{"AttributeName": inputs["rangeKey"], "KeyType": "RANGE"}] if inputs.get("rangeKey") else []),
        ],
        "AttributeDefinitions": [
            {"AttributeName": a["name"], "AttributeType": a["type"]} for a in inputs["attributes"]
        ],
    }
    indexes = inputs.get("globalSecondaryIndexes") or []
    if indexes:
        kwargs["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index["name"],
                "KeySchema": [
                    {"AttributeName": k["attributeName"], "KeyType": k["keyType"]}
                    for k in index["keySchemas"]
                ],
                "Projection": {"ProjectionType": index["projectionType"]},
            }
            for index in indexes
        ]
    sse = inputs.get("serverSideEncryption") or {}
    if sse.get("enabled"):
        kwargs["SSESpecification"] = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": sse["kmsKeyArn"]}
    if inputs.get("deletionProtectionEnabled"):
        kwargs["DeletionProtectionEnabled"] = True
    arn = dynamodb.create_table(**kwargs)["TableDescription"]["TableArn"]
    ttl = inputs.get("ttl") or {}
    if ttl.get("enabled"):
        dynamodb.update_time_to_live(
            TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["attributeName"]}
        )
    if (inputs.get("pointInTimeRecovery") or {}).get("enabled"):
        dynamodb.update_continuous_backups(
            TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    return table, {"arn": arn, "name": table}


def _read_table(cloud: LocalCloud, table: str) -> State:
    described = cloud.client("dynamodb").describe_table(TableName=table)["Table"]
    return {"arn": described["TableArn"], "name": table}


# --- SQS -------------------------------------------------------------------------------------------

_QUEUE_ATTRIBUTES = {
    "visibilityTimeoutSeconds": "VisibilityTimeout",
    "messageRetentionSeconds": "MessageRetentionPeriod",
    "redrivePolicy": "RedrivePolicy",
    "sqsManagedSseEnabled": "SqsManagedSseEnabled",
}


def _queue(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    sqs, queue = cloud.client("sqs"), _name(inputs, name)
    attributes = {
        aws: str(inputs[key]).lower() if isinstance(inputs[key], bool) else str(inputs[key])
        for key, aws in _QUEUE_ATTRIBUTES.items()
        if inputs.get(key) not in (None, "")
    }
    url = sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, {"arn": arn, "url": url, "name": queue}


def _queue_policy(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    cloud.client("sqs").set_queue_attributes(
        QueueUrl=inputs["queueUrl"], Attributes={"Policy": inputs["policy"]}
    )
    return str(inputs["queueUrl"]), {}


# --- EventBridge and Scheduler ---------------------------------------------------------------------


def _bus(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    bus = _name(inputs, name)
    arn = cloud.client("events").create_event_bus(Name=bus)["EventBusArn"]
    return bus, {"arn": arn, "name": bus}


def _archive(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    archive = _name(inputs, name)
    arn = cloud.client("events").create_archive(
        ArchiveName=archive,
        EventSourceArn=inputs["eventSourceArn"],
        RetentionDays=int(inputs.get("retentionDays", 0)),
    )["ArchiveArn"]
    return archive, {"arn": arn, "name": archive}


def _rule(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    rule, bus = _name(inputs, name), inputs.get("eventBusName", "default")
    kwargs: dict[str, Any] = {"Name": rule, "EventBusName": bus, "EventPattern": inputs["eventPattern"]}
    if inputs.get("description"):
        kwargs["Description"] = inputs["description"]
    arn = cloud.client("events").put_rule(State="ENABLED", **kwargs)["RuleArn"]
    return f"{bus}/{rule}", {"arn": arn, "name": rule}


def _target(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    target: dict[str, Any] = {"Id": inputs["targetId"], "Arn": inputs["arn"]}
    if inputs.get("roleArn"):
        target["RoleArn"] = inputs["roleArn"]
    cloud.client("events").put_targets(
        Rule=inputs["rule"], EventBusName=inputs.get("eventBusName", "default"), Targets=[target]
    )
    return f"{inputs['rule']}-{inputs['targetId']}", {}


def _schedule_group(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    group = _name(inputs, name)
    arn = cloud.client("scheduler").create_schedule_group(Name=group)["ScheduleGroupArn"]
    return group, {"arn": arn, "name": group}


def _schedule(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    schedule, target = _name(inputs, name), inputs["target"]
    parameters = target.get("eventbridgeParameters") or {}
    arn = cloud.client("scheduler").create_schedule(
        Name=schedule,
        GroupName=inputs.get("groupName", "default"),
        ScheduleExpression=inputs["scheduleExpression"],
        ScheduleExpressionTimezone=inputs.get("scheduleExpressionTimezone", "UTC"),
        FlexibleTimeWindow={"Mode": inputs["flexibleTimeWindow"]["mode"]},
        Target={
            "Arn": target["arn"],
            "RoleArn": target["roleArn"],
            "Input": target.get("input", ""),
            "EventBridgeParameters": {"DetailType": parameters["detailType"], "Source": parameters["source"]},
            "RetryPolicy": {
                "MaximumRetryAttempts": target.get("retryPolicy", {}).get("maximumRetryAttempts", 0)
            },
        },
    )["ScheduleArn"]
    return schedule, {"arn": arn, "name": schedule}


# --- SNS, Secrets Manager, Logs ---------------------------------------------------------------------


def _topic(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    attributes = {"KmsMasterKeyId": inputs["kmsMasterKeyId"]} if inputs.get("kmsMasterKeyId") else {}
    arn = cloud.client("sns").create_topic(Name=_name(inputs, name), Attributes=attributes)["TopicArn"]
    return arn, {"arn": arn, "name": _name(inputs, name)}


def _topic_subscription(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    attributes = {"FilterPolicy": inputs["filterPolicy"]} if inputs.get("filterPolicy") else {}
    arn = cloud.client("sns").subscribe(
        TopicArn=inputs["topic"],
        Protocol=inputs["protocol"],
        Endpoint=inputs["endpoint"],
        Attributes=attributes,
    )["SubscriptionArn"]
    return arn, {"arn": arn}


def _secret(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    kwargs: dict[str, Any] = {"Name": _name(inputs, name), "Description": inputs.get("description", "")}
    if inputs.get("kmsKeyId"):
        kwargs["KmsKeyId"] = inputs["kmsKeyId"]
    arn = cloud.client("secretsmanager").create_secret(**kwargs)["ARN"]
    return arn, {"arn": arn, "name": kwargs["Name"]}


def _secret_version(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    put = cloud.client("secretsmanager").put_secret_value(
        SecretId=inputs["secretId"], SecretString=inputs["secretString"]
    )
    return f"{inputs['secretId']}|{put['VersionId']}", {"versionId": put["VersionId"], "arn": put["ARN"]}


def _log_group(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    logs, group = cloud.client("logs"), _name(inputs, name)
    kwargs: dict[str, Any] = {"logGroupName": group}
    if inputs.get("kmsKeyId"):
        kwargs["kmsKeyId"] = inputs["kmsKeyId"]
    logs.create_log_group(**kwargs)
    if inputs.get("retentionInDays"):
        logs.put_retention_policy(logGroupName=group, retentionInDays=int(inputs["retentionInDays"]))
    return group, {"arn": cloud.arn("logs", f"log-group:{group}"), "name": group}


# --- IAM -------------------------------------------------------------------------------------------


def _role(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    role = _name(inputs, name)
    arn = cloud.client("iam").create_role(RoleName=role, AssumeRolePolicyDocument=inputs["assumeRolePolicy"])[
        "Role"
    ]["Arn"]
    return role, {"arn": arn, "name": role}


def _role_policy(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    # moto is given the view of the policy it can evaluate (`iam.moto_view`); the report keeps the
    # program's own document in the resource's inputs.
    cloud.client("iam").put_role_policy(
        RoleName=inputs["role"], PolicyName=name, PolicyDocument=moto_view(inputs["policy"])
    )
    return f"{inputs['role']}:{name}", {"name": name}


def _role_attachment(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    cloud.client("iam").attach_role_policy(RoleName=inputs["role"], PolicyArn=inputs["policyArn"])
    return f"{inputs['role']}-{name}", {}


# --- Lambda (configuration and versions held; the code runs in the local workers) -----------------


def _function(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    client, function = cloud.client("lambda"), _name(inputs, name)
    environment = (inputs.get("environment") or {}).get("variables") or {}
    created = client.create_function(
        FunctionName=function,
        Runtime=inputs["runtime"],
        Role=inputs["role"],
        Handler=inputs["handler"],
        Code={"ZipFile": _code_pointer()},
        Timeout=int(inputs.get("timeout", 3)),
        MemorySize=int(inputs.get("memorySize", 128)),
        Environment={"Variables": {k: str(v) for k, v in environment.items()}},
        Publish=bool(inputs.get("publish")),
    )
    version = created["Version"] if inputs.get("publish") else "$LATEST"
    arn = created["FunctionArn"].split(":$LATEST")[0]
    if arn.rsplit(":", 1)[-1].isdigit():
        arn = arn.rsplit(":", 1)[0]
    return function, {
        "arn": arn,
        "name": function,
        "version": version,
        "qualifiedArn": f"{arn}:{version}",
        "invokeArn": f"arn:aws:apigateway:{cloud.region}:lambda:path/2015-03-31/functions/{arn}/invocations",
    }


def _function_alias(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
    alias = cloud.client("lambda").create_alias(
        FunctionName=inputs["functionName"], Name=inputs["name"], FunctionVersion=inputs["functionVersion"]
    )
    arn = alias["AliasArn"]
    return arn, {
        "arn": arn,
        "invokeArn": f"arn:aws:apigateway:{cloud.region}:lambda:path/2015-03-31/functions/{arn}/invocations",
    }


READ: dict[str, Callable[[LocalCloud, str], State]] = {"aws:dynamodb/table:Table": _read_table}

HELD: dict[str, Creator] = {
    "aws:kms/key:Key": _key,
    "aws:kms/alias:Alias": _key_alias,
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _public_access_block,
    "aws:s3/bucketVersioning:BucketVersioning": _versioning,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _encryption,
    "aws:s3/bucketPolicy:BucketPolicy": _bucket_policy,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _lifecycle,
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": _object_lock,
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": _cors,
    "aws:dynamodb/table:Table": _table,
    "aws:sqs/queue:Queue": _queue,
    "aws:sqs/queuePolicy:QueuePolicy": _queue_policy,
    "aws:cloudwatch/eventBus:EventBus": _bus,
    "aws:cloudwatch/eventArchive:EventArchive": _archive,
    "aws:cloudwatch/eventRule:EventRule": _rule,
    "aws:cloudwatch/eventTarget:EventTarget": _target,
    "aws:scheduler/scheduleGroup:ScheduleGroup": _schedule_group,
    "aws:scheduler/schedule:Schedule": _schedule,
    "aws:sns/topic:Topic": _topic,
    "aws:sns/topicSubscription:TopicSubscription": _topic_subscription,
    "aws:secretsmanager/secret:Secret": _secret,
    "aws:secretsmanager/secretVersion:SecretVersion": _secret_version,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:iam/role:Role": _role,
    "aws:iam/rolePolicy:RolePolicy": _role_policy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _role_attachment,
    "aws:lambda/function:Function": _function,
    "aws:lambda/alias:Alias": _function_alias,
}


# --- Recorded only: ARNs of AWS's form for what other resources name ---------------------------------


# Why the local cloud does not hold a recorded type (the report says it beside each resource).
WHY_RECORDED = {
    "aws:s3/bucketLogging:BucketLogging": "moto fails PutBucketLogging when the target bucket's policy "
    "has a statement whose Principal is '*' (the TLS-only deny every bucket carries)",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "moto would invoke the function in Docker; the "
    "local workers consume the queues as these mappings say (batch size, partial batch responses)",
    "aws:lambda/permission:Permission": "no caller in the local cloud invokes a function through it",
    "aws:lambda/layerVersion:LayerVersion": "the local workers import the repository's own packages",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "no CloudWatch metrics are collected locally (EMF goes "
    "to .ior/<stage>/metrics.jsonl)",
    "aws:cloudwatch/dashboard:Dashboard": "no CloudWatch console locally",
    "aws:apigatewayv2/api:Api": "the local API server (uvicorn) serves the http function's app",
    "aws:apigatewayv2/integration:Integration": "as its API",
    "aws:apigatewayv2/route:Route": "as its API",
    "aws:apigatewayv2/stage:Stage": "as its API",
    "aws:cloudfront/distribution:Distribution": "the local API server plays the edge: the dashboard's "
    "files, the SPA rule, the security headers and the origin header",
    "aws:cloudfront/originAccessControl:OriginAccessControl": "as the distribution",
    "aws:cloudfront/function:Function": "the local API server applies the same rule (`edge_policy.is_page`)",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": "the local API server sends the same "
    "headers (`edge_policy`)",
    "aws:wafv2/webAcl:WebAcl": "no WAF locally",
    "aws:ec2/vpc:Vpc": "no network locally: the extracts reach the mock SAP on loopback",
    "aws:schemas/registry:Registry": "moto has no EventBridge Schemas service; the schemas are the "
    "committed files (contracts/src/ior_contracts/schemas) and contracts/asyncapi.yaml",
    "aws:schemas/schema:Schema": "as its registry",
}


def _recorded(form: str, **extra: str) -> Creator:
    def record(cloud: LocalCloud, name: str, inputs: dict[str, Any]) -> tuple[str, State]:
        resource = _name(inputs, name)
        values = {"r": cloud.region, "a": cloud.account, "n": resource}
        state: State = {"arn": form.format(**values), "name": resource}
        state |= {k: v.format(**values) for k, v in extra.items()}
        return f"{resource}-id", state

    return record


RECORDED: dict[str, Creator] = {
    "aws:s3/bucketLogging:BucketLogging": _recorded("arn:aws:s3:::{n}"),
    "aws:lambda/eventSourceMapping:EventSourceMapping": _recorded(
        "arn:aws:lambda:{r}:{a}:event-source-mapping:{n}", uuid="{n}"
    ),
    "aws:lambda/permission:Permission": _recorded("arn:aws:lambda:{r}:{a}:permission:{n}"),
    "aws:lambda/layerVersion:LayerVersion": _recorded("arn:aws:lambda:{r}:{a}:layer:{n}:1"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": _recorded("arn:aws:cloudwatch:{r}:{a}:alarm:{n}"),
    "aws:cloudwatch/dashboard:Dashboard": _recorded("arn:aws:cloudwatch::{a}:dashboard/{n}"),
    "aws:apigatewayv2/api:Api": _recorded(
        "arn:aws:apigateway:{r}::/apis/{n}",
        apiEndpoint="https://{n}.execute-api.{r}.amazonaws.com",
        executionArn="arn:aws:execute-api:{r}:{a}:{n}",
    ),
    "aws:apigatewayv2/integration:Integration": _recorded("arn:aws:apigateway:{r}::/integrations/{n}"),
    "aws:apigatewayv2/route:Route": _recorded("arn:aws:apigateway:{r}::/routes/{n}"),
    "aws:apigatewayv2/stage:Stage": _recorded("arn:aws:apigateway:{r}::/stages/{n}"),
    "aws:cloudfront/distribution:Distribution": _recorded(
        "arn:aws:cloudfront::{a}:distribution/{n}", domainName="{n}.cloudfront.net"
    ),
    "aws:cloudfront/originAccessControl:OriginAccessControl": _recorded("arn:aws:cloudfront::{a}:oac/{n}"),
    "aws:cloudfront/function:Function": _recorded("arn:aws:cloudfront::{a}:function/{n}"),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": _recorded(
        "arn:aws:cloudfront::{a}:response-headers-policy/{n}"
    ),
    "aws:wafv2/webAcl:WebAcl": _recorded("arn:aws:wafv2:us-east-1:{a}:global/webacl/{n}/local"),
    "aws:ec2/vpc:Vpc": _recorded("arn:aws:ec2:{r}:{a}:vpc/{n}"),
    "aws:schemas/registry:Registry": _recorded("arn:aws:schemas:{r}:{a}:registry/{n}"),
    "aws:schemas/schema:Schema": _recorded("arn:aws:schemas:{r}:{a}:schema/{n}"),
}
