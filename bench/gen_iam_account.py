#!/usr/bin/env python3
"""gen_iam_account.py OUT.json [--roles N] [--users N] [--policies N] [--seed S]

Writes `aws iam get-account-authorization-details` output (the AWS CLI's JSON: policy
documents as objects) for a generated account, for `make bench` (issue 5: who-can and
analyze over 1,000 roles, 500 users and 1,500 managed policies).

The account looks like the ones teams run: customer managed policies scoped to their
service's buckets, tables, queues and keys with a few conditions (aws:SourceIp,
aws:PrincipalTag, aws:RequestedRegion, MFA), some wildcard and NotAction policies,
AWS managed policies (AdministratorAccess, ReadOnlyAccess, PowerUserAccess, IAMFullAccess);
groups; users in one to three groups with inline policies; roles for Lambda, EC2, ECS and
cross-account CI with trust policies, permissions boundaries on a third of them, and a
few known escalation paths (iam:PassRole with compute, CreatePolicyVersion, AttachRolePolicy,
assume-role chains).  Deterministic for a given seed.
"""

import argparse
import json
import random

ACCOUNT = "111122223333"
A = "arn:aws:iam::" + ACCOUNT
SERVICES = ["orders", "billing", "search", "media", "auth", "reports", "ingest", "notify",
            "catalog", "pricing", "ledger", "fleet"]


def doc(*stmts):
    return {"Version": "2012-10-17", "Statement": list(stmts)}


def scoped_policy(rng, svc, i):
    stmts = []
    b = "arn:aws:s3:::%s-%d" % (svc, i % 17)
    stmts.append({"Sid": "Objects", "Effect": "Allow",
                  "Action": rng.choice([["s3:GetObject", "s3:PutObject"], "s3:Get*",
                                        ["s3:GetObject", "s3:ListBucket", "s3:DeleteObject"]]),
                  "Resource": [b, b + "/*"]})
    if rng.random() < 0.6:
        stmts.append({"Sid": "Table", "Effect": "Allow",
                      "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                                 "dynamodb:UpdateItem"],
                      "Resource": "arn:aws:dynamodb:us-east-1:%s:table/%s-%d" % (ACCOUNT, svc, i % 9)})
    if rng.random() < 0.4:
        stmts.append({"Sid": "Queue", "Effect": "Allow", "Action": "sqs:*",
                      "Resource": "arn:aws:sqs:us-east-1:%s:%s-*" % (ACCOUNT, svc)})
    if rng.random() < 0.3:
        stmts.append({"Sid": "Key", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                      "Resource": "arn:aws:kms:us-east-1:%s:key/%08x-0000-4000-8000-%012x" % (ACCOUNT, i, i),
                      "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}})
    if rng.random() < 0.35:
        stmts.append({"Sid": "Office", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*",
                      "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]},
                                    "Bool": {"aws:SecureTransport": "true"}}})
    if rng.random() < 0.25:
        stmts.append({"Sid": "TeamTag", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"],
                      "Resource": "arn:aws:ec2:*:%s:instance/*" % ACCOUNT,
                      "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}})
    if rng.random() < 0.2:
        stmts.append({"Sid": "Regions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "support:*"],
                      "Resource": "*",
                      "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}})
    if rng.random() < 0.15:
        stmts.append({"Sid": "Logs", "Effect": "Allow", "Action": "logs:*", "Resource": "*"})
    return doc(*stmts)


def risky_policy(rng, i):
    kind = i % 6
    if kind == 0:
        return doc({"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
                    "Resource": "*"})
    if kind == 1:
        return doc({"Effect": "Allow", "Action": ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
                    "Resource": A + ":policy/*"})
    if kind == 2:
        return doc({"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": A + ":role/*"})
    if kind == 3:
        return doc({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"})
    if kind == 4:
        return doc({"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"})
    return doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})


def aws_managed():
    out = []
    specs = [
        ("AdministratorAccess", doc({"Effect": "Allow", "Action": "*", "Resource": "*"})),
        ("ReadOnlyAccess", doc({"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "ec2:Describe*",
                                                               "iam:Get*", "iam:List*", "dynamodb:Describe*",
                                                               "dynamodb:Get*", "logs:Get*", "kms:Describe*"],
                                "Resource": "*"})),
        ("PowerUserAccess", doc({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"],
                                 "Resource": "*"},
                                {"Effect": "Allow", "Action": ["iam:CreateServiceLinkedRole", "iam:ListRoles",
                                                               "organizations:DescribeOrganization"],
                                 "Resource": "*"})),
        ("IAMFullAccess", doc({"Effect": "Allow", "Action": ["iam:*", "organizations:DescribeAccount"],
                               "Resource": "*"})),
    ]
    for name, d in specs:
        out.append({"PolicyName": name, "PolicyId": "ANPA" + name.upper()[:16],
                    "Arn": "arn:aws:iam::aws:policy/" + name, "Path": "/", "DefaultVersionId": "v1",
                    "AttachmentCount": 0, "IsAttachable": True,
                    "PolicyVersionList": [{"Document": d, "VersionId": "v1", "IsDefaultVersion": True}]})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--roles", type=int, default=1000)
    ap.add_argument("--users", type=int, default=500)
    ap.add_argument("--policies", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    policies = aws_managed()
    names = [p["Arn"] for p in policies]
    for i in range(a.policies - len(policies)):
        svc = SERVICES[i % len(SERVICES)]
        risky = rng.random() < 0.03
        name = ("%s-risky-%d" % (svc, i)) if risky else ("%s-access-%d" % (svc, i))
        d = risky_policy(rng, i) if risky else scoped_policy(rng, svc, i)
        versions = [{"Document": d, "VersionId": "v2", "IsDefaultVersion": True}]
        if rng.random() < 0.2:  # an older, broader version that is not the default
            versions.append({"Document": doc({"Effect": "Allow", "Action": "*", "Resource": "*"}),
                             "VersionId": "v1", "IsDefaultVersion": False})
        arn = "%s:policy/%s" % (A, name)
        policies.append({"PolicyName": name, "PolicyId": "ANPA%016X" % i, "Arn": arn, "Path": "/",
                         "DefaultVersionId": "v2", "AttachmentCount": 1, "IsAttachable": True,
                         "PolicyVersionList": versions})
        names.append(arn)
    boundary = "%s:policy/boundary-standard" % A
    policies.append({"PolicyName": "boundary-standard", "PolicyId": "ANPABOUNDARY", "Arn": boundary, "Path": "/",
                     "DefaultVersionId": "v1", "AttachmentCount": 1, "IsAttachable": True,
                     "PolicyVersionList": [{"Document": doc(
                         {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
                         {"Effect": "Deny", "Action": ["iam:CreateUser", "iam:CreateAccessKey"], "Resource": "*"}),
                         "VersionId": "v1", "IsDefaultVersion": True}]})

    def some(k):
        return [{"PolicyName": n.rsplit("/", 1)[1], "PolicyArn": n} for n in rng.sample(names, k)]

    groups = []
    for g in range(40):
        groups.append({"Path": "/", "GroupName": "team-%d" % g, "GroupId": "AGPA%016X" % g,
                       "Arn": "%s:group/team-%d" % (A, g), "GroupPolicyList": [],
                       "AttachedManagedPolicies": some(rng.randint(1, 4))})
    users = []
    for u in range(a.users):
        user = {"Path": "/", "UserName": "user-%d" % u, "UserId": "AIDA%016X" % u,
                "Arn": "%s:user/user-%d" % (A, u),
                "GroupList": ["team-%d" % g for g in rng.sample(range(40), rng.randint(1, 3))],
                "AttachedManagedPolicies": some(rng.randint(0, 2)), "UserPolicyList": [],
                "Tags": [{"Key": "team", "Value": SERVICES[u % len(SERVICES)]}]}
        if rng.random() < 0.3:
            user["UserPolicyList"].append({"PolicyName": "inline-%d" % u,
                                           "PolicyDocument": scoped_policy(rng, SERVICES[u % 12], u)})
        if rng.random() < 0.1:
            user["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                           "PermissionsBoundaryArn": boundary}
        users.append(user)
    roles = []
    for r in range(a.roles):
        kind = r % 5
        if kind == 0:
            trust = doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                         "Action": "sts:AssumeRole"})
        elif kind == 1:
            trust = doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                         "Action": "sts:AssumeRole"})
        elif kind == 2:
            trust = doc({"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                         "Action": "sts:AssumeRole"})
        elif kind == 3:
            trust = doc({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                         "Action": "sts:AssumeRole",
                         "Condition": {"StringEquals": {"sts:ExternalId": "ci-%d" % r}}})
        else:
            trust = doc({"Effect": "Allow", "Principal": {"AWS": "%s:root" % A}, "Action": "sts:AssumeRole",
                         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}})
        role = {"Path": "/", "RoleName": "role-%d" % r, "RoleId": "AROA%016X" % r,
                "Arn": "%s:role/role-%d" % (A, r), "AssumeRolePolicyDocument": trust,
                "InstanceProfileList": [], "RolePolicyList": [], "AttachedManagedPolicies": some(rng.randint(1, 3)),
                "Tags": []}
        if rng.random() < 0.2:
            role["RolePolicyList"].append({"PolicyName": "inline-%d" % r,
                                           "PolicyDocument": scoped_policy(rng, SERVICES[r % 12], r)})
        if rng.random() < 0.33:
            role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                           "PermissionsBoundaryArn": boundary}
        roles.append(role)
    out = {"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles,
           "Policies": policies, "IsTruncated": False}
    with open(a.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
