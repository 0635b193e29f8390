#!/usr/bin/env python3
"""gen_cloudtrail.py - writes realistic CloudTrail records for `make bench`
(the detection part), and synthetic Sigma rule sets.

Deterministic: the same arguments and --seed give the same bytes.

  gen_cloudtrail.py events MB OUTFILE [--seed S]
      About MB megabytes of CloudTrail records, one per line (the layout
      `cshare detect` and `jq` both read).  Records follow the CloudTrail
      record contents reference: eventVersion 1.08/1.09, userIdentity of
      every type (IAMUser, AssumedRole with sessionContext, Root,
      AWSService, FederatedUser), ~40 API calls over 15 services with their
      own nested requestParameters / responseElements (security-group
      ipPermissions items, bucket policies, KMS key specs, RunInstances
      instance sets, ...), errors, console sign-ins with additionalEventData,
      TLS details.  About 0.2% are the suspicious calls detection rules look
      for (StopLogging, DeleteDetector, CreateAccessKey for root, 0.0.0.0/0
      ingress, public bucket ACLs, ScheduleKeyDeletion, console logins
      without MFA, ...).

  gen_cloudtrail.py rules N OUTDIR [--seed S]
      N synthetic Sigma detection rules (logsource aws/cloudtrail) over the
      same fields: exact eventName/eventSource tests, lists, contains,
      startswith and endswith, nested fields, "1 of selection*" and
      "selection and not filter" conditions.  Only ~1 in 50 rules can match
      a generated event, like a real rule set.

Usage: gen_cloudtrail.py events MB OUTFILE [--seed S]
       gen_cloudtrail.py rules N OUTDIR [--seed S]
"""
import json
import os
import random
import sys

REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1",
           "ap-southeast-2", "ap-northeast-1", "sa-east-1"]
ACCOUNTS = ["111122223333", "444455556666", "777788889999", "123456789012"]
AGENTS = [
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/s3.cp",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.0 md/arch#x86_64 lang/python#3.12.2",
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.3",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws)",
    "console.amazonaws.com", "AWS Internal", "cloudformation.amazonaws.com",
]
USERS = ["alice", "bob", "carol", "dave", "erin", "frank", "ci-deployer", "backup-bot",
         "data-pipeline", "grafana-reader"]
ROLES = ["OrganizationAccountAccessRole", "AWSReservedSSO_AdministratorAccess_4f2a",
         "AWSReservedSSO_ReadOnly_9c1d", "github-actions-deploy", "eks-node-role",
         "lambda-exec-orders", "EC2-SSM-Role"]
BUCKETS = ["prod-orders-data", "prod-logs-archive", "analytics-raw-eu", "cdn-assets-public",
           "terraform-state-main", "ml-training-sets", "backup-vault-east"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t = 1704067200  # 2024-01-01T00:00:00Z
        self.n = 0

    def hexid(self, k):
        return "%0*x" % (k, self.r.getrandbits(4 * k))

    def uuid(self):
        h = self.hexid(32)
        return "%s-%s-4%s-a%s-%s" % (h[:8], h[8:12], h[13:16], h[17:20], h[20:32])

    def akid(self, temp):
        return ("ASIA" if temp else "AKIA") + "".join(
            self.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))

    def ip(self):
        r = self.r
        if r.random() < 0.3:
            return "10.%d.%d.%d" % (r.randrange(256), r.randrange(256), r.randrange(1, 255))
        return "%d.%d.%d.%d" % (r.choice([3, 18, 34, 52, 54, 81, 185, 203]), r.randrange(256),
                                r.randrange(256), r.randrange(1, 255))

    def when(self):
        self.t += self.r.choice([0, 0, 0, 1, 1, 2, 3])
        s = self.t
        d, s = divmod(s, 86400)
        # civil from days
        z = d + 719468
        era = z // 146097
        doe = z - era * 146097
        yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
        y = yoe + era * 400
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        dd = doy - (153 * mp + 2) // 5 + 1
        m = mp + 3 if mp < 10 else mp - 9
        y += m <= 2
        return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, m, dd, s // 3600, s // 60 % 60, s % 60)

    def identity(self, acct, root=False):
        r = self.r
        k = r.random()
        if root:
            return {"type": "Root", "principalId": acct, "arn": "arn:aws:iam::%s:root" % acct,
                    "accountId": acct, "accessKeyId": self.akid(False)}
        if k < 0.45:
            role = r.choice(ROLES)
            sess = r.choice(USERS) if r.random() < 0.6 else "i-0" + self.hexid(16)
            pid = "AROA" + self.hexid(17).upper()
            return {"type": "AssumedRole", "principalId": "%s:%s" % (pid, sess),
                    "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (acct, role, sess),
                    "accountId": acct, "accessKeyId": self.akid(True),
                    "sessionContext": {
                        "sessionIssuer": {"type": "Role", "principalId": pid,
                                          "arn": "arn:aws:iam::%s:role/%s" % (acct, role),
                                          "accountId": acct, "userName": role},
                        "webIdFederationData": {},
                        "attributes": {"creationDate": self.when(),
                                       "mfaAuthenticated": r.choice(["false", "true"])}}}
        if k < 0.8:
            u = r.choice(USERS)
            return {"type": "IAMUser", "principalId": "AIDA" + self.hexid(17).upper(),
                    "arn": "arn:aws:iam::%s:user/%s" % (acct, u), "accountId": acct,
                    "accessKeyId": self.akid(False), "userName": u}
        if k < 0.97:
            svc = r.choice(["ec2.amazonaws.com", "lambda.amazonaws.com", "config.amazonaws.com",
                            "cloudformation.amazonaws.com", "elasticloadbalancing.amazonaws.com"])
            return {"type": "AWSService", "invokedBy": svc}
        return {"type": "FederatedUser", "principalId": "%s:%s" % (acct, r.choice(USERS)),
                "arn": "arn:aws:sts::%s:federated-user/%s" % (acct, r.choice(USERS)),
                "accountId": acct, "accessKeyId": self.akid(True),
                "sessionContext": {"attributes": {"creationDate": self.when(),
                                                  "mfaAuthenticated": "false"}}}

    # ---- per-call request parameters ------------------------------------
    def call(self, acct, region):
        r = self.r
        bucket = r.choice(BUCKETS)
        sg = "sg-0" + self.hexid(16)
        calls = [
            (30, "s3", "GetObject", True, lambda: ({"bucketName": bucket, "Host": "%s.s3.%s.amazonaws.com" % (bucket, region), "key": "orders/2024/%05d.parquet" % r.randrange(99999)}, None)),
            (12, "s3", "PutObject", False, lambda: ({"bucketName": bucket, "Host": "%s.s3.amazonaws.com" % bucket, "key": "in/%s.json" % self.hexid(12), "x-amz-server-side-encryption": "aws:kms"}, {"x-amz-server-side-encryption": "aws:kms", "x-amz-version-id": self.hexid(32)})),
            (8, "s3", "ListObjects", True, lambda: ({"bucketName": bucket, "prefix": "logs/", "list-type": "2", "max-keys": "1000"}, None)),
            (14, "ec2", "DescribeInstances", True, lambda: ({"instancesSet": {}, "filterSet": {"items": [{"name": "tag:Team", "valueSet": {"items": [{"value": r.choice(["orders", "search", "ml"])}]}}]}}, None)),
            (4, "ec2", "RunInstances", False, lambda: ({"instancesSet": {"items": [{"imageId": "ami-0" + self.hexid(16), "minCount": 1, "maxCount": r.randrange(1, 4)}]}, "instanceType": r.choice(["t3.micro", "m6i.large", "c7g.xlarge"]), "blockDeviceMapping": {"items": [{"deviceName": "/dev/xvda", "ebs": {"volumeSize": 30, "encrypted": True, "deleteOnTermination": True}}]}, "metadataOptions": {"httpTokens": "required"}}, {"reservationId": "r-0" + self.hexid(16), "instancesSet": {"items": [{"instanceId": "i-0" + self.hexid(16), "currentState": {"code": 0, "name": "pending"}}]}})),
            (2, "ec2", "AuthorizeSecurityGroupIngress", False, lambda: ({"groupId": sg, "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": r.choice([22, 443, 5432, 3389]), "toPort": 443, "groups": {}, "ipRanges": {"items": [{"cidrIp": r.choice(["10.0.0.0/8", "192.168.1.0/24", "172.16.0.0/12"])}]}, "ipv6Ranges": {}, "prefixListIds": {}}]}}, {"_return": True})),
            (6, "ec2", "DescribeSecurityGroups", True, lambda: ({"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": sg}]}}, None)),
            (5, "iam", "ListRoles", True, lambda: ({"maxItems": 100}, None)),
            (3, "iam", "GetRole", True, lambda: ({"roleName": r.choice(ROLES)}, None)),
            (1, "iam", "CreateUser", False, lambda: ({"userName": "svc-" + self.hexid(6)}, {"user": {"path": "/", "userName": "svc", "userId": "AIDA" + self.hexid(17).upper(), "arn": "arn:aws:iam::%s:user/svc" % acct}})),
            (1, "iam", "PutRolePolicy", False, lambda: ({"roleName": r.choice(ROLES), "policyName": "inline", "policyDocument": json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::%s/*" % bucket}]})}, None)),
            (16, "sts", "AssumeRole", True, lambda: ({"roleArn": "arn:aws:iam::%s:role/%s" % (acct, r.choice(ROLES)), "roleSessionName": r.choice(USERS), "durationSeconds": 3600}, {"credentials": {"accessKeyId": self.akid(True), "sessionToken": "IQoJb3JpZ2luX2VjE" + self.hexid(40), "expiration": "Jan 1, 2024, 1:00:00 AM"}, "assumedRoleUser": {"assumedRoleId": "AROA" + self.hexid(17).upper(), "arn": "arn:aws:sts::%s:assumed-role/x/y" % acct}})),
            (6, "sts", "GetCallerIdentity", True, lambda: (None, None)),
            (10, "kms", "Decrypt", True, lambda: ({"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"aws:s3:arn": "arn:aws:s3:::%s" % bucket}}, None)),
            (5, "kms", "GenerateDataKey", True, lambda: ({"keyId": "arn:aws:kms:%s:%s:key/%s" % (region, acct, self.uuid()), "keySpec": "AES_256"}, None)),
            (4, "cloudtrail", "LookupEvents", True, lambda: ({"maxResults": 50, "lookupAttributes": [{"attributeKey": "EventName", "attributeValue": "ConsoleLogin"}]}, None)),
            (3, "logs", "CreateLogStream", False, lambda: ({"logGroupName": "/aws/lambda/orders", "logStreamName": "2024/01/01/[$LATEST]" + self.hexid(32)}, None)),
            (5, "lambda", "Invoke", False, lambda: ({"functionName": "arn:aws:lambda:%s:%s:function:orders-%s" % (region, acct, r.choice(["api", "worker", "cron"])), "invocationType": "RequestResponse"}, None)),
            (3, "secretsmanager", "GetSecretValue", True, lambda: ({"secretId": "arn:aws:secretsmanager:%s:%s:secret:prod/db-%s" % (region, acct, self.hexid(6))}, None)),
            (3, "rds", "DescribeDBInstances", True, lambda: ({"maxRecords": 100}, None)),
            (3, "dynamodb", "DescribeTable", True, lambda: ({"tableName": "orders-" + r.choice(["prod", "stage"])}, None)),
            (2, "ssm", "GetParameters", True, lambda: ({"names": ["/prod/api/key", "/prod/db/url"], "withDecryption": True}, None)),
            (2, "config", "DescribeConfigurationRecorders", True, lambda: (None, None)),
            (1, "guardduty", "ListFindings", True, lambda: ({"detectorId": self.hexid(32), "maxResults": 50}, None)),
        ]
        total = sum(c[0] for c in calls)
        k = r.randrange(total)
        for c in calls:
            k -= c[0]
            if k < 0:
                req, resp = c[4]()
                return c[1], c[2], c[3], req, resp

    def suspicious(self, acct, region):
        r = self.r
        k = r.randrange(10)
        if k == 0:
            return "cloudtrail", "StopLogging", False, {"name": "arn:aws:cloudtrail:%s:%s:trail/org-trail" % (region, acct)}, None, False
        if k == 1:
            return "guardduty", "DeleteDetector", False, {"detectorId": self.hexid(32)}, None, False
        if k == 2:
            return "iam", "CreateAccessKey", False, None, {"accessKey": {"accessKeyId": self.akid(False), "status": "Active", "userName": acct}}, True
        if k == 3:
            return "ec2", "AuthorizeSecurityGroupIngress", False, {"groupId": "sg-0" + self.hexid(16), "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}, {"_return": True}, False
        if k == 4:
            return "s3", "PutBucketAcl", False, {"bucketName": r.choice(BUCKETS), "x-amz-acl": ["public-read"], "acl": ""}, None, False
        if k == 5:
            return "kms", "ScheduleKeyDeletion", False, {"keyId": self.uuid(), "pendingWindowInDays": 7}, {"keyState": "PendingDeletion"}, False
        if k == 6:
            return "config", "StopConfigurationRecorder", False, {"configurationRecorderName": "default"}, None, False
        if k == 7:
            return "iam", "AttachUserPolicy", False, {"userName": r.choice(USERS), "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, None, False
        if k == 8:
            return "ec2", "ModifySnapshotAttribute", False, {"snapshotId": "snap-0" + self.hexid(16), "createVolumePermission": {"add": {"items": [{"group": "all"}]}}, "attributeType": "CREATE_VOLUME_PERMISSION"}, None, False
        return "signin", "ConsoleLogin", False, None, {"ConsoleLogin": "Success"}, True

    def record(self):
        r = self.r
        acct = r.choice(ACCOUNTS)
        region = r.choice(REGIONS)
        root = False
        if r.random() < 0.002:
            svc, name, ro, req, resp, root = self.suspicious(acct, region)
            root = root and r.random() < 0.7
        else:
            svc, name, ro, req, resp = self.call(acct, region)
        ev = {"eventVersion": r.choice(["1.08", "1.09"]),
              "userIdentity": self.identity(acct, root),
              "eventTime": self.when(),
              "eventSource": "%s.amazonaws.com" % svc,
              "eventName": name,
              "awsRegion": region,
              "sourceIPAddress": self.ip(),
              "userAgent": r.choice(AGENTS)}
        if r.random() < 0.03:
            ev["errorCode"] = r.choice(["AccessDenied", "ThrottlingException", "NoSuchKey",
                                        "Client.UnauthorizedOperation"])
            ev["errorMessage"] = "User is not authorized to perform this operation"
            resp = None
        ev["requestParameters"] = req
        ev["responseElements"] = resp
        if name == "ConsoleLogin":
            ev["additionalEventData"] = {"LoginTo": "https://console.aws.amazon.com/console/home",
                                         "MobileVersion": "No",
                                         "MFAUsed": r.choice(["No", "Yes"])}
            ev["eventType"] = "AwsConsoleSignIn"
        else:
            ev["eventType"] = "AwsApiCall"
            ev["requestID"] = self.uuid()
        ev["eventID"] = self.uuid()
        ev["readOnly"] = ro
        if svc == "s3" and name in ("GetObject", "PutObject"):
            ev["resources"] = [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::%s/obj" % req["bucketName"]},
                               {"accountId": acct, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::%s" % req["bucketName"]}]
            ev["eventCategory"] = "Data"
            ev["managementEvent"] = False
        else:
            ev["managementEvent"] = True
            ev["eventCategory"] = "Management"
        ev["recipientAccountId"] = acct
        if r.random() < 0.8:
            ev["tlsDetails"] = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                                "clientProvidedHostHeader": "%s.%s.amazonaws.com" % (svc, region)}
        return ev


def events(mb, path, seed):
    g = Gen(seed)
    limit = int(mb * 1e6)
    n = 0
    size = 0
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        buf = []
        while size < limit:
            line = json.dumps(g.record(), separators=(",", ":")) + "\n"
            buf.append(line)
            size += len(line)
            n += 1
            if len(buf) >= 4096:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    os.replace(tmp, path)
    with open(path + ".count", "w") as f:
        f.write("%d %d\n" % (n, size))


FIELDS = [
    ("eventName", ["GetObject", "PutObject", "AssumeRole", "Decrypt", "ListRoles", "Invoke",
                   "DescribeInstances", "RunInstances", "GetSecretValue", "CreateUser"]),
    ("eventSource", ["s3.amazonaws.com", "ec2.amazonaws.com", "iam.amazonaws.com",
                     "kms.amazonaws.com", "sts.amazonaws.com", "lambda.amazonaws.com"]),
    ("userIdentity.type", ["IAMUser", "AssumedRole", "Root", "AWSService"]),
    ("awsRegion", REGIONS),
    ("errorCode", ["AccessDenied", "ThrottlingException"]),
    ("requestParameters.bucketName", BUCKETS),
    ("userIdentity.sessionContext.sessionIssuer.userName", ROLES),
]


def rules(n, outdir, seed):
    r = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    for i in range(n):
        uid = "%08x-%04x-4%03x-8%03x-%012x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(12), r.getrandbits(12), i)
        # most rules test names no generated event has (like real rule sets,
        # which each look for one rare call); 1 in 50 can match
        rare = r.random() >= 0.02
        def val(field, vals):
            v = r.choice(vals)
            return v + "Synthetic%d" % i if rare and field in ("eventName", "requestParameters.bucketName") else v
        sel = ["    selection:",
               "        eventSource: '%s'" % r.choice(FIELDS[1][1]),
               "        eventName:"]
        for _ in range(r.randrange(1, 4)):
            sel.append("            - '%s'" % val("eventName", FIELDS[0][1]))
        k = r.randrange(4)
        extra = []
        cond = "selection"
        if k == 1:
            extra = ["    filter:", "        userIdentity.type: 'AWSService'"]
            cond = "selection and not filter"
        elif k == 2:
            extra = ["    selection_ua:", "        userAgent|contains: '%s'" % r.choice(["aws-cli", "Boto3", "terraform", "python-requests"])]
            cond = "selection and 1 of selection_*"
        elif k == 3:
            extra = ["    selection_bucket:", "        requestParameters.bucketName|startswith: '%s'" % val("requestParameters.bucketName", BUCKETS)[:8]]
            cond = "selection and selection_bucket"
        text = "\n".join([
            "title: Synthetic rule %d" % i,
            "id: %s" % uid,
            "status: test",
            "description: Synthetic rule for the rule-count benchmark.",
            "author: cshare bench",
            "date: 2024-01-01",
            "tags:",
            "    - attack.t1078",
            "logsource:",
            "    product: aws",
            "    service: cloudtrail",
            "detection:"] + sel + extra + [
            "    condition: %s" % cond,
            "level: %s" % r.choice(["low", "medium", "high"]),
            ""])
        with open(os.path.join(outdir, "r%05d.yml" % i), "w") as f:
            f.write(text)


def main(argv):
    seed = 1
    if "--seed" in argv:
        i = argv.index("--seed")
        seed = int(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) != 4 or argv[1] not in ("events", "rules"):
        sys.stderr.write(__doc__)
        return 2
    if argv[1] == "events":
        events(float(argv[2]), argv[3], seed)
    else:
        rules(int(argv[2]), argv[3], seed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
