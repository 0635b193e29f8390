#!/usr/bin/env python3
"""gen_cfn.py - writes N CloudFormation YAML templates into a directory, for
`make bench`.

Deterministic: the same N and --seed give the same files.  Each template is
what a team writes by hand: a Description, Parameters (with AllowedValues and
defaults), Conditions (!Equals, !Not, !And), a few Resources of the types
cshare maps, wired together with the short-form intrinsics !Ref, !Sub,
!GetAtt, !If, !Select, !Join and !Split, some AWS::NoValue, DependsOn,
DeletionPolicy, and Outputs with Exports.  Settings are good or bad at random
(encryption off, public access, 0.0.0.0/0 ingress, no backups, ...).
Property names follow the AWS CloudFormation resource reference.

Usage: gen_cfn.py N OUTDIR [--seed S]
"""
import os
import random
import sys


class Tag:
    """A short-form intrinsic: !Name value."""

    def __init__(self, name, value):
        self.name = name
        self.value = value


def Ref(x):
    return Tag("Ref", x)


def Sub(x):
    return Tag("Sub", x)


def GetAtt(x):
    return Tag("GetAtt", x)


def If(c, a, b):
    return Tag("If", [c, a, b])


NOVALUE = Ref("AWS::NoValue")


def scalar(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    plain_ok = (s and s[0] not in "!&*{}[]|>'\"%@`#,?:-" and ": " not in s and " #" not in s
                and s.strip() == s and s.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "~")
                and not _numberish(s) and "\n" not in s)
    if plain_ok:
        return s
    return "'" + s.replace("'", "''") + "'"


def _numberish(s):
    try:
        float(s)
        return True
    except ValueError:
        return s.startswith("0x") or s.startswith("0o")


def flow(v):
    if isinstance(v, Tag):
        return "!%s %s" % (v.name, flow(v.value))
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (scalar(k), flow(x)) for k, x in v.items()) + "}"
    return scalar(v)


def emit(v, ind, out):
    """Block style for mappings and sequences, flow for tags' collections."""
    pad = "  " * ind
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, dict) and x:
                out.append("%s%s:" % (pad, scalar(k)))
                emit(x, ind + 1, out)
            elif isinstance(x, list) and x and not all(isinstance(e, str) for e in x):
                out.append("%s%s:" % (pad, scalar(k)))
                emit(x, ind + 1, out)
            else:
                out.append("%s%s: %s" % (pad, scalar(k), flow(x)))
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, dict) and x:
                sub = []
                emit(x, ind + 1, sub)
                first = sub[0].lstrip()
                out.append("%s- %s" % (pad, first))
                out.extend(sub[1:])
            else:
                out.append("%s- %s" % (pad, flow(x)))


def tags(rng, app):
    t = [{"Key": "Application", "Value": app}, {"Key": "Environment", "Value": Ref("Environment")}]
    if rng.random() < 0.4:
        t.append({"Key": "CostCenter", "Value": "cc-%04d" % rng.randrange(10000)})
    return t


# ---- resources -------------------------------------------------------------

def kms_key(rng, bad, app):
    return {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "Properties": {
        "Description": Sub("${AWS::StackName} %s data key" % app),
        "EnableKeyRotation": not (bad and rng.random() < 0.6),
        "PendingWindowInDays": 30,
        "KeyPolicy": {"Version": "2012-10-17", "Statement": [{
            "Sid": "EnableRoot", "Effect": "Allow",
            "Principal": {"AWS": Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
            "Action": "kms:*", "Resource": "*"}]},
        "Tags": tags(rng, app)}}


def s3_bucket(rng, bad, app, key):
    enc = {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault":
           {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": GetAtt(key + ".Arn")} if key else
           {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": bool(key)}]}
    props = {
        "BucketName": Sub("${AWS::StackName}-%s-${Environment}" % app),
        "BucketEncryption": If("IsProd", enc, NOVALUE) if bad else enc,
        "VersioningConfiguration": {"Status": If("IsProd", "Enabled", "Suspended") if bad else "Enabled"},
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": not bad, "BlockPublicPolicy": not bad,
            "IgnorePublicAcls": True, "RestrictPublicBuckets": not (bad and rng.random() < 0.5)},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "Tags": tags(rng, app),
    }
    if rng.random() < 0.6:
        props["LoggingConfiguration"] = {"DestinationBucketName": Ref("LogBucketName"),
                                         "LogFilePrefix": Sub("s3/${AWS::StackName}/")}
    if rng.random() < 0.4:
        props["LifecycleConfiguration"] = {"Rules": [{"Id": "expire-old", "Status": "Enabled",
                                                      "ExpirationInDays": rng.choice([30, 90, 365])}]}
    return {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": props}


def bucket_policy(rng, bad, app, bucket):
    return {"Type": "AWS::S3::BucketPolicy", "Properties": {
        "Bucket": Ref(bucket),
        "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [GetAtt(bucket + ".Arn"), Sub("${%s.Arn}/*" % bucket)],
            "Condition": {"Bool": {"aws:SecureTransport": False}}}]}}}


def security_group(rng, bad, app):
    ingress = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": Ref("AllowedCidr"),
                "Description": "HTTPS"}]
    if bad:
        port = rng.choice([22, 3389, 5432])
        ingress.append({"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": "0.0.0.0/0",
                        "Description": "admin"})
    return {"Type": "AWS::EC2::SecurityGroup", "Properties": {
        "GroupDescription": Sub("${AWS::StackName} %s" % app), "VpcId": Ref("VpcId"),
        "SecurityGroupIngress": ingress,
        "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
        "Tags": tags(rng, app)}}


def sg_ingress(rng, bad, app, sg):
    return {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
        "GroupId": GetAtt(sg + ".GroupId"), "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
        "CidrIp": "0.0.0.0/0" if bad else "10.0.0.0/8", "Description": "app port"}}


def db_instance(rng, bad, app, key, sg):
    return {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot", "Properties": {
        "DBInstanceIdentifier": Sub("${AWS::StackName}-%s-db" % app),
        "Engine": "postgres", "EngineVersion": "15.4", "DBInstanceClass": Ref("DbInstanceClass"),
        "AllocatedStorage": "100", "StorageType": "gp3",
        "StorageEncrypted": If("IsProd", True, False) if bad else True,
        "KmsKeyId": Ref(key) if key else NOVALUE,
        "MasterUsername": "app_admin", "ManageMasterUserPassword": True,
        "BackupRetentionPeriod": 0 if bad and rng.random() < 0.5 else 14,
        "MultiAZ": If("IsProd", True, False),
        "PubliclyAccessible": bad and rng.random() < 0.4,
        "DeletionProtection": not bad, "EnableIAMDatabaseAuthentication": not bad,
        "VPCSecurityGroups": [GetAtt(sg + ".GroupId")] if sg else NOVALUE,
        "Tags": tags(rng, app)}}


def db_cluster(rng, bad, app, key):
    return {"Type": "AWS::RDS::DBCluster", "DeletionPolicy": "Snapshot", "Properties": {
        "DBClusterIdentifier": Sub("${AWS::StackName}-%s" % app), "Engine": "aurora-postgresql",
        "EngineVersion": "15.4", "MasterUsername": "app_admin", "ManageMasterUserPassword": True,
        "StorageEncrypted": not bad, "KmsKeyId": GetAtt(key + ".Arn") if key else NOVALUE,
        "BackupRetentionPeriod": 1 if bad else 14, "DeletionProtection": not bad,
        "CopyTagsToSnapshot": True, "EnableCloudwatchLogsExports": [] if bad else ["postgresql"],
        "Tags": tags(rng, app)}}


def volume(rng, bad, app, key):
    return {"Type": "AWS::EC2::Volume", "Properties": {
        "AvailabilityZone": Tag("Select", [0, Tag("GetAZs", "")]), "Size": rng.choice([20, 100, 500]),
        "VolumeType": "gp3", "Encrypted": not bad, "KmsKeyId": Ref(key) if key and not bad else NOVALUE,
        "Tags": tags(rng, app)}}


def dynamodb(rng, bad, app, key):
    sse = {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": Ref(key)} if key else {"SSEEnabled": not bad}
    return {"Type": "AWS::DynamoDB::Table", "Properties": {
        "TableName": Sub("${AWS::StackName}-%s" % app), "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": not bad},
        "SSESpecification": sse, "DeletionProtectionEnabled": not bad, "Tags": tags(rng, app)}}


def sqs(rng, bad, app, key):
    p = {"QueueName": Sub("${AWS::StackName}-%s" % app), "MessageRetentionPeriod": 345600,
         "VisibilityTimeout": 30, "Tags": tags(rng, app)}
    if key:
        p["KmsMasterKeyId"] = Ref(key)
    else:
        p["SqsManagedSseEnabled"] = not bad
    return {"Type": "AWS::SQS::Queue", "Properties": p}


def sns(rng, bad, app, key):
    p = {"TopicName": Sub("${AWS::StackName}-%s" % app), "Tags": tags(rng, app)}
    if key and not bad:
        p["KmsMasterKeyId"] = Ref(key)
    return {"Type": "AWS::SNS::Topic", "Properties": p}


def role(rng, bad, app):
    return {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": [Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")],
        "Tags": tags(rng, app)}}


def lambda_fn(rng, bad, app, role_id, key):
    env = {"LOG_LEVEL": "info", "STAGE": Ref("Environment")}
    if bad:
        env["API_TOKEN"] = "tok_" + "".join(rng.choice("abcdef0123456789") for _ in range(16))
    return {"Type": "AWS::Lambda::Function", "Properties": {
        "FunctionName": Sub("${AWS::StackName}-%s" % app), "Runtime": rng.choice(["python3.12", "nodejs20.x", "python3.8" if bad else "java21"]),
        "Handler": "index.handler", "Role": GetAtt(role_id + ".Arn"), "MemorySize": rng.choice([128, 512, 1024]),
        "Timeout": 30, "Code": {"S3Bucket": Ref("ArtifactBucket"), "S3Key": Sub("%s/${Version}.zip" % app)},
        "Environment": {"Variables": env}, "KmsKeyArn": GetAtt(key + ".Arn") if key else NOVALUE,
        "TracingConfig": {"Mode": "PassThrough" if bad else "Active"},
        "ReservedConcurrentExecutions": If("IsProd", 50, NOVALUE), "Tags": tags(rng, app)}}


def trail(rng, bad, app, bucket, key):
    return {"Type": "AWS::CloudTrail::Trail", "DependsOn": bucket + "Policy", "Properties": {
        "TrailName": Sub("${AWS::StackName}-trail"), "S3BucketName": Ref(bucket), "IsLogging": True,
        "IsMultiRegionTrail": not bad, "EnableLogFileValidation": not bad,
        "IncludeGlobalServiceEvents": True, "KMSKeyId": Ref(key) if key and not bad else NOVALUE}}


def load_balancer(rng, bad, app, sg):
    return {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {
        "Scheme": "internet-facing", "Type": "application",
        "Subnets": Tag("Split", [",", Ref("SubnetIds")]), "SecurityGroups": [Ref(sg)] if sg else NOVALUE,
        "LoadBalancerAttributes": [
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "false" if bad else "true"},
            {"Key": "deletion_protection.enabled", "Value": If("IsProd", "true", "false")},
            {"Key": "access_logs.s3.enabled", "Value": "false" if bad else "true"},
            {"Key": "access_logs.s3.bucket", "Value": Ref("LogBucketName")}],
        "Tags": tags(rng, app)}}


def listener(rng, bad, app, lb, https):
    p = {"LoadBalancerArn": Ref(lb), "Port": 443 if https else 80, "Protocol": "HTTPS" if https else "HTTP"}
    if https:
        p["SslPolicy"] = "ELBSecurityPolicy-2016-08" if bad else "ELBSecurityPolicy-TLS13-1-2-2021-06"
        p["Certificates"] = [{"CertificateArn": Ref("CertificateArn")}]
        p["DefaultActions"] = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]
    else:
        p["DefaultActions"] = [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
                                                                        "StatusCode": "HTTP_301"}}]
    return {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": p}


# ---- templates -------------------------------------------------------------

STACKS = ["storage", "database", "queue", "web", "function", "audit", "volume"]


def template(rng, i):
    app = rng.choice(["billing", "claims", "portal", "ledger", "search", "media", "auth", "reports"])
    bad = rng.random() < 0.35
    kind = rng.choice(STACKS)
    res = {}
    params = {
        "Environment": {"Type": "String", "AllowedValues": ["dev", "staging", "prod"], "Default": "dev",
                        "Description": "Deployment stage"},
        "LogBucketName": {"Type": "String", "Default": "acme-central-logs"},
    }
    use_key = rng.random() < 0.6
    key = None
    if use_key and kind != "web":
        key = "DataKey"
        res[key] = kms_key(rng, bad, app)
    if kind == "storage":
        for n in range(rng.randint(1, 3)):
            b = "Bucket%d" % n
            res[b] = s3_bucket(rng, bad, app + str(n), key)
            if rng.random() < 0.6:
                res[b + "Policy"] = bucket_policy(rng, bad, app, b)
    elif kind == "database":
        params["VpcId"] = {"Type": "AWS::EC2::VPC::Id"}
        params["AllowedCidr"] = {"Type": "String", "Default": "10.0.0.0/8"}
        params["DbInstanceClass"] = {"Type": "String", "Default": "db.t3.medium"}
        res["DbSecurityGroup"] = security_group(rng, bad, app)
        if rng.random() < 0.5:
            res["DbIngress"] = sg_ingress(rng, bad, app, "DbSecurityGroup")
        if rng.random() < 0.6:
            res["Database"] = db_instance(rng, bad, app, key, "DbSecurityGroup")
        else:
            res["Cluster"] = db_cluster(rng, bad, app, key)
    elif kind == "queue":
        res["Queue"] = sqs(rng, bad, app, key)
        res["DeadLetterQueue"] = sqs(rng, bad, app + "-dlq", key)
        res["Topic"] = sns(rng, bad, app, key)
        res["Table"] = dynamodb(rng, bad, app, key)
    elif kind == "web":
        params["VpcId"] = {"Type": "AWS::EC2::VPC::Id"}
        params["AllowedCidr"] = {"Type": "String", "Default": "0.0.0.0/0"}
        params["SubnetIds"] = {"Type": "String", "Default": "subnet-0a,subnet-0b"}
        params["CertificateArn"] = {"Type": "String"}
        res["LbSecurityGroup"] = security_group(rng, bad, app)
        res["LoadBalancer"] = load_balancer(rng, bad, app, "LbSecurityGroup")
        res["HttpsListener"] = listener(rng, bad, app, "LoadBalancer", True)
        if rng.random() < 0.7:
            res["HttpListener"] = listener(rng, bad, app, "LoadBalancer", False)
    elif kind == "function":
        params["ArtifactBucket"] = {"Type": "String", "Default": "acme-artifacts"}
        params["Version"] = {"Type": "String", "Default": "1.0.%d" % i}
        res["FunctionRole"] = role(rng, bad, app)
        res["Function"] = lambda_fn(rng, bad, app, "FunctionRole", key)
        if rng.random() < 0.5:
            res["Table"] = dynamodb(rng, bad, app, key)
    elif kind == "audit":
        res["TrailBucket"] = s3_bucket(rng, bad, app, None)
        res["TrailBucketPolicy"] = bucket_policy(rng, bad, app, "TrailBucket")
        res["Trail"] = trail(rng, bad, app, "TrailBucket", key)
    else:
        for n in range(rng.randint(1, 4)):
            res["Volume%d" % n] = volume(rng, bad, app, key)
    conds = {"IsProd": Tag("Equals", [Ref("Environment"), "prod"]),
             "IsNotDev": Tag("Not", [Tag("Equals", [Ref("Environment"), "dev"])])}
    if rng.random() < 0.3:
        conds["IsProdAndLogged"] = Tag("And", [Tag("Condition", "IsProd"), Tag("Condition", "IsNotDev")])
    outputs = {}
    for lid, r in list(res.items())[:3]:
        outputs[lid + "Id"] = {"Description": "%s of the stack" % r["Type"], "Value": Ref(lid),
                               "Export": {"Name": Sub("${AWS::StackName}-%s" % lid)}}
    doc = {"AWSTemplateFormatVersion": "2010-09-09",
           "Description": "%s %s stack %d (generated for cshare benchmarks)" % (app, kind, i),
           "Parameters": params, "Conditions": conds, "Resources": res, "Outputs": outputs}
    out = []
    emit(doc, 0, out)
    return "\n".join(out) + "\n", len(res)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    n = int(argv[1])
    outdir = argv[2]
    seed = 1
    if len(argv) >= 5 and argv[3] == "--seed":
        seed = int(argv[4])
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    total = 0
    for i in range(n):
        text, nres = template(rng, i)
        total += nres
        with open(os.path.join(outdir, "stack-%04d.yaml" % i), "w") as f:
            f.write(text)
    with open(os.path.join(outdir, ".resources"), "w") as f:
        f.write("%d\n" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
