"""The VPC the ingestion Lambda runs in to reach SAP through a fixed NAT address: two zones,
public and private subnets, gateway endpoints so S3 and DynamoDB traffic stays off the NAT."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming

CIDR = "10.40.0.0/16"


@dataclass(frozen=True)
class NetworkArgs:
    naming: Naming
    availability_zones: tuple[str, str]
    region: str


class Network(pulumi.ComponentResource):
    vpc: aws.ec2.Vpc
    private_subnets: list[aws.ec2.Subnet]
    lambda_security_group: aws.ec2.SecurityGroup

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = {"Name": f"ior-{args.naming.stage}"}
        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=CIDR,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags=tags,
            opts=child,
        )
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=self.vpc.id, tags=tags, opts=child)
        public_routes = aws.ec2.RouteTable(
            f"{name}-public",
            vpc_id=self.vpc.id,
            routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": igw.id}],
            tags=tags,
            opts=child,
        )
        public: list[aws.ec2.Subnet] = []
        self.private_subnets = []
        for i, zone in enumerate(args.availability_zones):
            subnet = aws.ec2.Subnet(
                f"{name}-public-{i}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.40.{i}.0/24",
                availability_zone=zone,
                tags=tags,
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-public-{i}", subnet_id=subnet.id, route_table_id=public_routes.id, opts=child
            )
            public.append(subnet)
        # One NAT: one source address for SAP to allow-list; extracts retry if its zone is down.
        eip = aws.ec2.Eip(f"{name}-nat", domain="vpc", tags=tags, opts=child)
        nat = aws.ec2.NatGateway(
            f"{name}-nat", allocation_id=eip.id, subnet_id=public[0].id, tags=tags, opts=child
        )
        private_routes = aws.ec2.RouteTable(
            f"{name}-private",
            vpc_id=self.vpc.id,
            routes=[{"cidr_block": "0.0.0.0/0", "nat_gateway_id": nat.id}],
            tags=tags,
            opts=child,
        )
        for i, zone in enumerate(args.availability_zones):
            subnet = aws.ec2.Subnet(
                f"{name}-private-{i}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.40.{10 + i}.0/24",
                availability_zone=zone,
                tags=tags,
                opts=child,
            )
            aws.ec2.RouteTableAssociation(
                f"{name}-private-{i}", subnet_id=subnet.id, route_table_id=private_routes.id, opts=child
            )
            self.private_subnets.append(subnet)
        for gateway in ("s3", "dynamodb"):
            aws.ec2.VpcEndpoint(
                f"{name}-{gateway}",
                vpc_id=self.vpc.id,
                service_name=f"com.amazonaws.{args.region}.{gateway}",
                vpc_endpoint_type="Gateway",
                route_table_ids=[private_routes.id],
                tags=tags,
                opts=child,
            )
        # Outbound only: the Lambda calls out (SAP, AWS APIs); nothing calls in.
        self.lambda_security_group = aws.ec2.SecurityGroup(
            f"{name}-lambda",
            vpc_id=self.vpc.id,
            description="ior Lambdas: outbound only",
            egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
            tags=tags,
            opts=child,
        )
        self.register_outputs({"vpc": self.vpc.id})
