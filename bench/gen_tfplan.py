#!/usr/bin/env python3
"""gen_tfplan.py - writes a synthetic but realistic `terraform show -json`
plan (format_version 1.2) with exactly N entries in resource_changes, for
`make bench`.

Deterministic: the same N and --seed give the same bytes.  The plan has the
shape Terraform writes (HashiCorp, "JSON Output Format"): resource_changes
with change.actions / before / after / after_unknown / before_sensitive /
after_sensitive, planned_values.root_module with child_modules (a module
called with for_each, and a nested module), and a configuration whose
resource blocks carry expressions with constant_value or references.
Attribute names are those of the hashicorp/aws (v5), azurerm (v3) and
google (v5) providers.

Resources come in groups that share for_each keys, as real configurations
do: an aws_s3_bucket with its v4+ split resources (versioning, server-side
encryption, public access block, logging) referencing it by
`aws_s3_bucket.<name>[each.key].id`; a security group with rule blocks; a
KMS key with the databases, queues and volumes that use it; a load balancer
with its listeners; and so on.  Each group picks good or bad settings, and an
action: create (so ids, ARNs and references to other created resources are
only known after apply), no-op, update, replace or delete.

Usage: gen_tfplan.py N OUT.json [--seed S]
"""
import json
import random
import sys

AWS = "registry.terraform.io/hashicorp/aws"
AZ = "registry.terraform.io/hashicorp/azurerm"
GCP = "registry.terraform.io/hashicorp/google"
RANDOM = "registry.terraform.io/hashicorp/random"

ACCOUNT = "111122223333"
REGIONS = ["eu-west-1", "us-east-1", "eu-central-1", "us-west-2"]


class Plan:
    """Collects resource changes, planned values and configuration blocks."""

    def __init__(self, rng, limit):
        self.rng = rng
        self.limit = limit
        self.changes = []
        # planned_values resources per module instance address ("" = root)
        self.pv = {}
        # configuration resources per module config path ("" = root)
        self.cfg = {}
        self.block_seq = 0

    def full(self):
        return len(self.changes) >= self.limit

    def room(self):
        return self.limit - len(self.changes)


def tags(rng, env, app):
    t = {"Environment": env, "Application": app, "ManagedBy": "terraform"}
    if rng.random() < 0.5:
        t["CostCenter"] = "cc-%04d" % rng.randrange(10000)
    if rng.random() < 0.3:
        t["DataClassification"] = rng.choice(["public", "internal", "confidential", "phi"])
    return t


def fake_id(rng, prefix, n=17):
    return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(n))


def strip_unknown(after, unk):
    """planned_values.values: `after` without the positions that are unknown."""
    if unk is True:
        return None
    if isinstance(after, dict) and isinstance(unk, dict):
        return {k: v for k, v in after.items() if unk.get(k) is not True}
    return after


class Block:
    """One configuration resource block, instantiated once per key."""

    def __init__(self, plan, mod, type_, name, provider, keys, mode="managed"):
        self.plan = plan
        self.mod = mod          # (config path, [module instance addresses])
        self.type = type_
        self.name = name
        self.provider = provider
        self.keys = keys        # list of for_each keys (str) / count indexes (int) / [None]
        self.mode = mode
        self.expressions = {}
        self.instances = 0

    def address(self, modaddr, key):
        a = "%s.%s" % (self.type, self.name)
        if self.mode == "data":
            a = "data." + a
        if key is not None:
            a += "[%s]" % (json.dumps(key) if isinstance(key, str) else key)
        return (modaddr + "." + a) if modaddr else a

    def config(self):
        cfgpath = self.mod[0]
        addr = "%s.%s" % (self.type, self.name)
        if self.mode == "data":
            addr = "data." + addr
        entry = {
            "address": addr,
            "mode": self.mode,
            "type": self.type,
            "name": self.name,
            "provider_config_key": self.provider.split("/")[-1],
            "expressions": self.expressions,
            "schema_version": 0,
        }
        if self.keys and isinstance(self.keys[0], str):
            entry["for_each_expression"] = {"references": ["local.instances", "var.instances"]}
        elif self.keys and isinstance(self.keys[0], int):
            entry["count_expression"] = {"references": ["var.instance_count"]}
        self.plan.cfg.setdefault(cfgpath, []).append(entry)

    def emit(self, modaddr, key, actions, before, after, unk):
        p = self.plan
        if p.full():
            return
        addr = self.address(modaddr, key)
        rc = {"address": addr}
        if modaddr:
            rc["module_address"] = modaddr
        rc.update({"mode": self.mode, "type": self.type, "name": self.name})
        if key is not None:
            rc["index"] = key
        rc["provider_name"] = self.provider
        sens_after = {"tags": {}, "tags_all": {}} if after and "tags" in after else {}
        rc["change"] = {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": unk if after is not None else {},
            "before_sensitive": ({} if before is not None else False),
            "after_sensitive": (sens_after if after is not None else False),
        }
        if actions == ["delete", "create"]:
            rc["action_reason"] = "replace_because_cannot_update"
        p.changes.append(rc)
        self.instances += 1
        if after is not None:
            v = {"address": addr, "mode": self.mode, "type": self.type, "name": self.name}
            if key is not None:
                v["index"] = key
            v["provider_name"] = self.provider
            v["schema_version"] = 0
            v["values"] = strip_unknown(after, unk)
            v["sensitive_values"] = sens_after
            p.pv.setdefault(modaddr, []).append(v)


# ---- resource models: (after, after_unknown) for one instance -------------
# `ctx` carries the group's choices: action kind, env, names, and whether
# referenced resources are being created (so references are unknown).

def s3_bucket(rng, ctx, name):
    after = {
        "bucket": name,
        "bucket_prefix": None,
        "force_destroy": ctx["bad"] and rng.random() < 0.5,
        "object_lock_enabled": rng.random() < 0.1,
        "tags": ctx["tags"],
        "tags_all": dict(ctx["tags"]),
        "timeouts": None,
    }
    unk = {"acceleration_status": True, "acl": True, "arn": True, "bucket_domain_name": True,
           "bucket_regional_domain_name": True, "cors_rule": True, "grant": True,
           "hosted_zone_id": True, "id": True, "lifecycle_rule": True, "logging": True,
           "object_lock_configuration": True, "policy": True, "region": True,
           "replication_configuration": True, "request_payer": True,
           "server_side_encryption_configuration": True, "tags": {}, "tags_all": {},
           "versioning": True, "website": True, "website_domain": True,
           "website_endpoint": True}
    if not ctx["create"]:
        region = ctx["region"]
        after.update({
            "acceleration_status": "", "acl": None,
            "arn": "arn:aws:s3:::" + name,
            "bucket_domain_name": name + ".s3.amazonaws.com",
            "bucket_regional_domain_name": "%s.s3.%s.amazonaws.com" % (name, region),
            "cors_rule": [], "grant": [{"id": fake_id(rng, "", 64), "permissions": ["FULL_CONTROL"],
                                        "type": "CanonicalUser", "uri": ""}],
            "hosted_zone_id": "Z1BKCTXD74EZPE", "id": name, "lifecycle_rule": [], "logging": [],
            "object_lock_configuration": [], "policy": "", "region": region,
            "replication_configuration": [], "request_payer": "BucketOwner",
            "server_side_encryption_configuration": [{"rule": [{
                "apply_server_side_encryption_by_default": [{"kms_master_key_id": "",
                                                             "sse_algorithm": "AES256"}],
                "bucket_key_enabled": False}]}],
            "versioning": [{"enabled": False, "mfa_delete": False}],
            "website": [], "website_domain": None, "website_endpoint": None,
        })
        unk = {}
    return after, unk


def s3_versioning(rng, ctx, bucket):
    status = "Suspended" if ctx["bad"] and rng.random() < 0.6 else "Enabled"
    after = {"bucket": bucket, "expected_bucket_owner": None, "mfa": None,
             "versioning_configuration": [{"status": status}]}
    unk = {"id": True, "versioning_configuration": [{"mfa_delete": True}]}
    if ctx["create"]:
        del after["bucket"]
        unk["bucket"] = True
    else:
        after["id"] = bucket
        after["versioning_configuration"][0]["mfa_delete"] = ""
        unk = {}
    return after, unk


def s3_sse(rng, ctx, bucket, kms_known):
    kms = ctx["bad"] and rng.random() < 0.5
    algo = "aws:kms" if not kms else "AES256"
    rule = {"apply_server_side_encryption_by_default": [{"kms_master_key_id": None if algo == "AES256" else "",
                                                         "sse_algorithm": algo}],
            "bucket_key_enabled": algo == "aws:kms"}
    after = {"bucket": bucket, "expected_bucket_owner": None, "rule": [rule]}
    unk = {"id": True, "rule": [{"apply_server_side_encryption_by_default": [{}]}]}
    if algo == "aws:kms":
        if kms_known:
            rule["apply_server_side_encryption_by_default"][0]["kms_master_key_id"] = kms_known
        else:
            del rule["apply_server_side_encryption_by_default"][0]["kms_master_key_id"]
            unk["rule"] = [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": True}]}]
    if ctx["create"]:
        del after["bucket"]
        unk["bucket"] = True
    else:
        after["id"] = bucket
        unk = {}
    return after, unk


def s3_pab(rng, ctx, bucket):
    flags = [not (ctx["bad"] and rng.random() < 0.4) for _ in range(4)]
    after = {"bucket": bucket, "block_public_acls": flags[0], "block_public_policy": flags[1],
             "ignore_public_acls": flags[2], "restrict_public_buckets": flags[3]}
    unk = {"id": True}
    if ctx["create"]:
        del after["bucket"]
        unk["bucket"] = True
    else:
        after["id"] = bucket
        unk = {}
    return after, unk


def s3_logging(rng, ctx, bucket, target):
    after = {"bucket": bucket, "expected_bucket_owner": None, "target_bucket": target,
             "target_grant": [], "target_object_key_format": [],
             "target_prefix": "s3/%s/" % bucket}
    unk = {"id": True}
    if ctx["create"]:
        del after["bucket"]
        after["target_prefix"] = "s3/"
        unk["bucket"] = True
    else:
        after["id"] = bucket
        unk = {}
    return after, unk


def rule_block(rng, ctx, cidr, port, proto="tcp"):
    return {"cidr_blocks": [cidr], "description": "port %d" % port, "from_port": port,
            "ipv6_cidr_blocks": [], "prefix_list_ids": [], "protocol": proto,
            "security_groups": [], "self": False, "to_port": port}


def security_group(rng, ctx, name):
    wide = "0.0.0.0/0"
    inner = "10.%d.0.0/16" % rng.randrange(256)
    ingress = [rule_block(rng, ctx, inner, 443)]
    if ctx["bad"]:
        ingress.append(rule_block(rng, ctx, wide, rng.choice([22, 3389, 5432, 3306])))
    egress = [{"cidr_blocks": [wide], "description": "", "from_port": 0, "ipv6_cidr_blocks": ["::/0"],
               "prefix_list_ids": [], "protocol": "-1", "security_groups": [], "self": False,
               "to_port": 0}]
    after = {"description": "Managed by Terraform", "egress": egress, "ingress": ingress,
             "name": name, "revoke_rules_on_delete": False, "tags": ctx["tags"],
             "tags_all": dict(ctx["tags"]), "timeouts": None}
    unk = {"arn": True, "egress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [False],
                                    "prefix_list_ids": [], "security_groups": []}],
           "id": True, "ingress": [{"cidr_blocks": [False], "ipv6_cidr_blocks": [],
                                    "prefix_list_ids": [], "security_groups": []}
                                   for _ in ingress],
           "name_prefix": True, "owner_id": True, "tags": {}, "tags_all": {}, "vpc_id": True}
    if not ctx["create"]:
        after.update({"arn": "arn:aws:ec2:%s:%s:security-group/%s" % (ctx["region"], ACCOUNT, ctx["sg_id"]),
                      "id": ctx["sg_id"], "name_prefix": "", "owner_id": ACCOUNT,
                      "vpc_id": ctx["vpc_id"]})
        unk = {}
    return after, unk


def sg_rule(rng, ctx, kind, port, cidr):
    after = {"cidr_blocks": [cidr], "description": "%s %d" % (kind, port), "from_port": port,
             "ipv6_cidr_blocks": None, "prefix_list_ids": None, "protocol": "tcp" if port else "-1",
             "self": False, "source_security_group_id": None if cidr else "sg-0f00", "timeouts": None,
             "to_port": port, "type": kind}
    unk = {"cidr_blocks": [False], "id": True, "security_group_id": True,
           "security_group_rule_id": True, "source_security_group_id": True}
    if not ctx["create"]:
        after.update({"id": fake_id(rng, "sgrule-", 10), "security_group_id": ctx["sg_id"],
                      "security_group_rule_id": fake_id(rng, "sgr-"),
                      "source_security_group_id": ""})
        unk = {}
    else:
        del after["source_security_group_id"]
    return after, unk


def kms_key(rng, ctx, desc):
    after = {"bypass_policy_lockout_safety_check": False, "custom_key_store_id": None,
             "customer_master_key_spec": "SYMMETRIC_DEFAULT", "deletion_window_in_days": 30,
             "description": desc, "enable_key_rotation": not (ctx["bad"] and rng.random() < 0.6),
             "is_enabled": True, "key_usage": "ENCRYPT_DECRYPT", "multi_region": False,
             "tags": ctx["tags"], "tags_all": dict(ctx["tags"]), "timeouts": None,
             "xks_key_id": None}
    unk = {"arn": True, "id": True, "key_id": True, "policy": True, "rotation_period_in_days": True,
           "tags": {}, "tags_all": {}}
    if not ctx["create"]:
        kid = ctx["kms_id"]
        after.update({"arn": ctx["kms_arn"], "id": kid, "key_id": kid,
                      "policy": json.dumps({"Version": "2012-10-17", "Id": "key-default-1",
                                            "Statement": [{"Sid": "Enable IAM User Permissions",
                                                           "Effect": "Allow",
                                                           "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
                                                           "Action": "kms:*", "Resource": "*"}]}),
                      "rotation_period_in_days": 365})
        unk = {}
    return after, unk


def kms_ref(ctx, after, unk, attr):
    """Sets attr to the group's KMS key ARN, or marks it unknown."""
    if ctx.get("kms") is None:
        after[attr] = None if attr != "kms_master_key_id" else None
        return
    if ctx["kms_create"]:
        after.pop(attr, None)
        unk[attr] = True
    else:
        after[attr] = ctx["kms_arn"]


def db_instance(rng, ctx, name):
    engine = rng.choice(["postgres", "mysql", "mariadb"])
    bad = ctx["bad"]
    after = {"allocated_storage": rng.choice([20, 50, 100, 500]), "allow_major_version_upgrade": None,
             "apply_immediately": False, "auto_minor_version_upgrade": True,
             "backup_retention_period": 0 if bad and rng.random() < 0.4 else rng.choice([7, 14, 35]),
             "blue_green_update": [], "copy_tags_to_snapshot": True, "db_name": "app",
             "delete_automated_backups": True, "deletion_protection": not bad,
             "domain": None, "enabled_cloudwatch_logs_exports": [] if bad else ["postgresql"],
             "engine": engine, "engine_version": {"postgres": "15.4", "mysql": "8.0.35", "mariadb": "10.11.6"}[engine],
             "iam_database_authentication_enabled": not bad, "identifier": name,
             "instance_class": rng.choice(["db.t3.medium", "db.r6g.large", "db.m6i.xlarge"]),
             "manage_master_user_password": True, "monitoring_interval": 0 if bad else 60,
             "multi_az": not bad, "performance_insights_enabled": not bad,
             "publicly_accessible": bad and rng.random() < 0.3, "skip_final_snapshot": bad,
             "storage_encrypted": not (bad and rng.random() < 0.5), "storage_type": "gp3",
             "tags": ctx["tags"], "tags_all": dict(ctx["tags"]), "timeouts": None,
             "username": "app_admin"}
    unk = {"address": True, "arn": True, "availability_zone": True, "backup_window": True,
           "ca_cert_identifier": True, "character_set_name": True, "db_subnet_group_name": True,
           "endpoint": True, "hosted_zone_id": True, "id": True, "identifier_prefix": True,
           "iops": True, "kms_key_id": True, "latest_restorable_time": True, "license_model": True,
           "listener_endpoint": True, "maintenance_window": True, "master_user_secret": True,
           "monitoring_role_arn": True, "nchar_character_set_name": True, "network_type": True,
           "option_group_name": True, "parameter_group_name": True,
           "performance_insights_kms_key_id": True, "performance_insights_retention_period": True,
           "port": True, "replicas": True, "resource_id": True, "status": True,
           "storage_throughput": True, "tags": {}, "tags_all": {}, "timezone": True,
           "vpc_security_group_ids": True}
    if after["storage_encrypted"]:
        kms_ref(ctx, after, unk, "kms_key_id")
        if ctx.get("kms") is not None and not ctx["kms_create"]:
            unk.pop("kms_key_id", None)
    if not ctx["create"]:
        after.update({"address": "%s.c%s.%s.rds.amazonaws.com" % (name, fake_id(rng, "", 12), ctx["region"]),
                      "arn": "arn:aws:rds:%s:%s:db:%s" % (ctx["region"], ACCOUNT, name),
                      "availability_zone": ctx["region"] + "a", "backup_window": "03:00-04:00",
                      "id": fake_id(rng, "db-", 26).upper(), "port": 5432, "status": "available",
                      "maintenance_window": "sun:05:00-sun:06:00", "vpc_security_group_ids": [ctx["sg_id"]]})
        if "kms_key_id" not in after:
            after["kms_key_id"] = "" if not after["storage_encrypted"] else "arn:aws:kms:%s:%s:alias/aws/rds" % (ctx["region"], ACCOUNT)
        unk = {}
    return after, unk


def rds_cluster(rng, ctx, name):
    bad = ctx["bad"]
    after = {"allow_major_version_upgrade": None, "apply_immediately": None,
             "backup_retention_period": 1 if bad else 14, "cluster_identifier": name,
             "copy_tags_to_snapshot": not bad, "database_name": "app", "deletion_protection": not bad,
             "enabled_cloudwatch_logs_exports": [] if bad else ["postgresql"],
             "engine": "aurora-postgresql", "engine_mode": "provisioned", "engine_version": "15.4",
             "iam_database_authentication_enabled": not bad, "manage_master_user_password": True,
             "master_username": "app_admin", "skip_final_snapshot": bad,
             "storage_encrypted": not (bad and rng.random() < 0.5), "tags": ctx["tags"],
             "tags_all": dict(ctx["tags"]), "timeouts": None}
    unk = {"arn": True, "availability_zones": True, "cluster_members": True,
           "cluster_resource_id": True, "endpoint": True, "hosted_zone_id": True, "id": True,
           "kms_key_id": True, "master_user_secret": True, "port": True, "reader_endpoint": True,
           "tags": {}, "tags_all": {}, "vpc_security_group_ids": True}
    if after["storage_encrypted"]:
        kms_ref(ctx, after, unk, "kms_key_id")
    if not ctx["create"]:
        after.update({"arn": "arn:aws:rds:%s:%s:cluster:%s" % (ctx["region"], ACCOUNT, name),
                      "id": name, "port": 5432, "availability_zones": [ctx["region"] + z for z in "abc"],
                      "endpoint": "%s.cluster-c1.%s.rds.amazonaws.com" % (name, ctx["region"])})
        after.setdefault("kms_key_id", "")
        unk = {}
    return after, unk


def ebs_volume(rng, ctx, name):
    enc = not (ctx["bad"] and rng.random() < 0.6)
    after = {"availability_zone": ctx["region"] + rng.choice("abc"), "encrypted": enc,
             "final_snapshot": False, "multi_attach_enabled": False, "outpost_arn": None,
             "size": rng.choice([8, 20, 100, 500]), "snapshot_id": None,
             "tags": dict(ctx["tags"], Name=name), "tags_all": dict(ctx["tags"], Name=name),
             "timeouts": None, "type": rng.choice(["gp3", "gp2", "io2"])}
    unk = {"arn": True, "id": True, "iops": True, "kms_key_id": True, "throughput": True,
           "tags": {}, "tags_all": {}}
    if enc:
        kms_ref(ctx, after, unk, "kms_key_id")
    if not ctx["create"]:
        vid = fake_id(rng, "vol-")
        after.update({"arn": "arn:aws:ec2:%s:%s:volume/%s" % (ctx["region"], ACCOUNT, vid), "id": vid,
                      "iops": 3000, "throughput": 125})
        after.setdefault("kms_key_id", "")
        unk = {}
    return after, unk


def dynamodb_table(rng, ctx, name):
    bad = ctx["bad"]
    sse = [{"enabled": True, "kms_key_arn": ""}] if not bad else []
    after = {"attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
             "billing_mode": "PAY_PER_REQUEST", "deletion_protection_enabled": not bad,
             "global_secondary_index": [], "hash_key": "pk", "import_table": [],
             "local_secondary_index": [], "name": name,
             "point_in_time_recovery": [{"enabled": not bad}], "range_key": "sk",
             "read_capacity": None, "replica": [], "restore_date_time": None,
             "restore_source_name": None, "restore_to_latest_time": None,
             "server_side_encryption": sse, "stream_enabled": False, "table_class": "STANDARD",
             "tags": ctx["tags"], "tags_all": dict(ctx["tags"]), "timeouts": None,
             "ttl": [{"attribute_name": "expires_at", "enabled": True}], "write_capacity": None}
    unk = {"arn": True, "attribute": [{}, {}], "global_secondary_index": [], "id": True,
           "import_table": [], "local_secondary_index": [], "point_in_time_recovery": [{}],
           "replica": [], "server_side_encryption": [{"kms_key_arn": True}] if sse else [],
           "stream_arn": True, "stream_label": True, "stream_view_type": True, "tags": {},
           "tags_all": {}, "ttl": [{}]}
    if sse:
        if ctx.get("kms") is not None and ctx["kms_create"]:
            del sse[0]["kms_key_arn"]
        elif ctx.get("kms") is not None:
            sse[0]["kms_key_arn"] = ctx["kms_arn"]
            unk["server_side_encryption"] = [{}]
    if not ctx["create"]:
        after.update({"arn": "arn:aws:dynamodb:%s:%s:table/%s" % (ctx["region"], ACCOUNT, name),
                      "id": name, "stream_arn": "", "stream_label": "", "stream_view_type": ""})
        if sse:
            sse[0].setdefault("kms_key_arn", ctx.get("kms_arn", ""))
        unk = {}
    return after, unk


def sqs_queue(rng, ctx, name):
    bad = ctx["bad"]
    after = {"content_based_deduplication": False, "delay_seconds": 0, "fifo_queue": False,
             "max_message_size": 262144, "message_retention_seconds": 345600, "name": name,
             "receive_wait_time_seconds": 20, "sqs_managed_sse_enabled": not bad and ctx.get("kms") is None,
             "tags": ctx["tags"], "tags_all": dict(ctx["tags"]), "timeouts": None,
             "visibility_timeout_seconds": 30}
    unk = {"arn": True, "deduplication_scope": True, "fifo_throughput_limit": True, "id": True,
           "kms_data_key_reuse_period_seconds": True, "name_prefix": True, "policy": True,
           "redrive_allow_policy": True, "redrive_policy": True, "tags": {}, "tags_all": {},
           "url": True}
    if not bad and ctx.get("kms") is not None:
        kms_ref(ctx, after, unk, "kms_master_key_id")
    if not ctx["create"]:
        after.update({"arn": "arn:aws:sqs:%s:%s:%s" % (ctx["region"], ACCOUNT, name),
                      "id": "https://sqs.%s.amazonaws.com/%s/%s" % (ctx["region"], ACCOUNT, name),
                      "url": "https://sqs.%s.amazonaws.com/%s/%s" % (ctx["region"], ACCOUNT, name),
                      "policy": "", "redrive_policy": "", "name_prefix": "",
                      "kms_data_key_reuse_period_seconds": 300})
        after.setdefault("kms_master_key_id", "")
        unk = {}
    return after, unk


def sns_topic(rng, ctx, name):
    after = {"application_failure_feedback_role_arn": None, "content_based_deduplication": False,
             "delivery_policy": None, "display_name": None, "fifo_topic": False, "name": name,
             "tags": ctx["tags"], "tags_all": dict(ctx["tags"])}
    unk = {"arn": True, "beginning_archive_time": True, "id": True, "name_prefix": True,
           "owner": True, "policy": True, "signature_version": True, "tags": {}, "tags_all": {},
           "tracing_config": True}
    if not ctx["bad"]:
        kms_ref(ctx, after, unk, "kms_master_key_id")
        if ctx.get("kms") is None:
            after["kms_master_key_id"] = "alias/aws/sns"
    if not ctx["create"]:
        after.update({"arn": "arn:aws:sns:%s:%s:%s" % (ctx["region"], ACCOUNT, name),
                      "id": "arn:aws:sns:%s:%s:%s" % (ctx["region"], ACCOUNT, name),
                      "owner": ACCOUNT, "policy": "", "signature_version": 0, "name_prefix": ""})
        after.setdefault("kms_master_key_id", None)
        unk = {}
    return after, unk


def lambda_function(rng, ctx, name):
    bad = ctx["bad"]
    env = {"LOG_LEVEL": "info", "TABLE": name + "-table"}
    if bad:
        env["DB_PASSWORD"] = "hunter2-" + name
    after = {"architectures": ["arm64"], "code_signing_config_arn": None, "dead_letter_config": [],
             "description": "handler for " + name, "environment": [{"variables": env}],
             "ephemeral_storage": [{"size": 512}], "file_system_config": [],
             "filename": "build/%s.zip" % name, "function_name": name, "handler": "main.handler",
             "image_config": [], "image_uri": None, "kms_key_arn": None, "layers": None,
             "memory_size": rng.choice([128, 256, 512, 1024]), "package_type": "Zip",
             "publish": False, "replace_security_groups_on_destroy": None,
             "replacement_security_group_ids": None, "reserved_concurrent_executions": -1,
             "runtime": rng.choice(["python3.12", "nodejs20.x", "python3.8" if bad else "java21"]),
             "s3_bucket": None, "s3_key": None, "s3_object_version": None, "skip_destroy": False,
             "snap_start": [], "source_code_hash": fake_id(rng, "", 44), "tags": ctx["tags"],
             "tags_all": dict(ctx["tags"]), "timeout": rng.choice([3, 30, 900]), "timeouts": None,
             "tracing_config": [{"mode": "PassThrough" if bad else "Active"}], "vpc_config": []}
    unk = {"arn": True, "dead_letter_config": [], "environment": [{"variables": {}}],
           "ephemeral_storage": [{}], "file_system_config": [], "id": True, "image_config": [],
           "invoke_arn": True, "last_modified": True, "logging_config": True, "qualified_arn": True,
           "qualified_invoke_arn": True, "role": True, "signing_job_arn": True,
           "signing_profile_version_arn": True, "snap_start": [], "source_code_size": True,
           "tags": {}, "tags_all": {}, "tracing_config": [{}], "version": True, "vpc_config": []}
    if not ctx["create"]:
        arn = "arn:aws:lambda:%s:%s:function:%s" % (ctx["region"], ACCOUNT, name)
        after.update({"arn": arn, "id": name, "invoke_arn": "arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations" % (ctx["region"], arn),
                      "last_modified": "2024-03-01T10:00:00.000+0000", "qualified_arn": arn + ":$LATEST",
                      "role": "arn:aws:iam::%s:role/%s-exec" % (ACCOUNT, name), "source_code_size": 40312,
                      "version": "$LATEST", "logging_config": [{"log_format": "Text", "log_group": "/aws/lambda/" + name,
                                                                 "application_log_level": "", "system_log_level": ""}]})
        unk = {}
    return after, unk


def cloudtrail(rng, ctx, name, bucket):
    bad = ctx["bad"]
    after = {"advanced_event_selector": [], "cloud_watch_logs_group_arn": None if bad else
             "arn:aws:logs:%s:%s:log-group:trail:*" % (ctx["region"], ACCOUNT),
             "enable_log_file_validation": not bad, "enable_logging": True, "event_selector": [],
             "include_global_service_events": True, "insight_selector": [],
             "is_multi_region_trail": not bad, "is_organization_trail": False, "name": name,
             "s3_bucket_name": bucket, "s3_key_prefix": None, "sns_topic_name": None,
             "tags": ctx["tags"], "tags_all": dict(ctx["tags"])}
    unk = {"arn": True, "home_region": True, "id": True, "kms_key_id": True, "s3_bucket_name": True,
           "tags": {}, "tags_all": {}, "cloud_watch_logs_role_arn": True, "sns_topic_arn": True}
    if bad:
        unk.pop("kms_key_id")
        after["kms_key_id"] = None
    if ctx["create"]:
        del after["s3_bucket_name"]
    else:
        after.update({"arn": "arn:aws:cloudtrail:%s:%s:trail/%s" % (ctx["region"], ACCOUNT, name),
                      "home_region": ctx["region"], "id": name, "cloud_watch_logs_role_arn": "",
                      "sns_topic_arn": ""})
        after.setdefault("kms_key_id", ctx.get("kms_arn") or "")
        unk = {}
    return after, unk


def lb(rng, ctx, name):
    bad = ctx["bad"]
    after = {"access_logs": [{"bucket": ctx["log_bucket"], "enabled": not bad, "prefix": "alb/" + name}],
             "client_keep_alive": 3600, "connection_logs": [], "customer_owned_ipv4_pool": None,
             "desync_mitigation_mode": "defensive", "drop_invalid_header_fields": not bad,
             "enable_cross_zone_load_balancing": None, "enable_deletion_protection": not bad,
             "enable_http2": True, "enable_tls_version_and_cipher_suite_headers": False,
             "enable_waf_fail_open": False, "enable_xff_client_port": False, "idle_timeout": 60,
             "internal": rng.random() < 0.4, "load_balancer_type": "application", "name": name,
             "preserve_host_header": False, "tags": ctx["tags"], "tags_all": dict(ctx["tags"]),
             "timeouts": None, "xff_header_processing_mode": "append"}
    unk = {"access_logs": [{}], "arn": True, "arn_suffix": True, "connection_logs": [],
           "dns_name": True, "id": True, "ip_address_type": True, "name_prefix": True,
           "security_groups": True, "subnet_mapping": True, "subnets": True, "tags": {},
           "tags_all": {}, "vpc_id": True, "zone_id": True}
    if not ctx["create"]:
        arn = "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s" % (ctx["region"], ACCOUNT, name, fake_id(rng, "", 16))
        after.update({"arn": arn, "arn_suffix": arn.split(":loadbalancer/")[1], "id": arn,
                      "dns_name": "%s-1234.%s.elb.amazonaws.com" % (name, ctx["region"]),
                      "ip_address_type": "ipv4", "security_groups": [ctx["sg_id"]],
                      "subnets": ["subnet-0a", "subnet-0b"], "vpc_id": ctx["vpc_id"], "zone_id": "Z32O12XQLNTSW2"})
        unk = {}
        ctx["lb_arn"] = arn
    return after, unk


def lb_listener(rng, ctx, port):
    https = port == 443
    after = {"alpn_policy": None, "certificate_arn": ("arn:aws:acm:%s:%s:certificate/%s" % (ctx["region"], ACCOUNT, fake_id(rng, "", 32))) if https else None,
             "default_action": [{"authenticate_cognito": [], "authenticate_oidc": [], "fixed_response": [],
                                 "forward": [], "order": None, "redirect": [{"host": "#{host}", "path": "/#{path}",
                                 "port": "443", "protocol": "HTTPS", "query": "#{query}", "status_code": "HTTP_301"}]
                                 if not https else [], "target_group_arn": None, "type": "redirect" if not https else "forward"}],
             "mutual_authentication": [], "port": port, "protocol": "HTTPS" if https else "HTTP",
             "ssl_policy": (rng.choice(["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2016-08"])
                            if https else ""), "tags": None, "timeouts": None}
    unk = {"arn": True, "default_action": [{"authenticate_cognito": [], "authenticate_oidc": [],
                                            "fixed_response": [], "forward": [], "order": True,
                                            "redirect": [{}] if not https else [], "target_group_arn": True}],
           "id": True, "load_balancer_arn": True, "mutual_authentication": [], "tags_all": True}
    if not ctx["create"]:
        after["load_balancer_arn"] = ctx.get("lb_arn", "")
        after["arn"] = after["id"] = after["load_balancer_arn"].replace(":loadbalancer/", ":listener/") + "/" + fake_id(rng, "", 16)
        after["default_action"][0]["order"] = 1
        after["tags_all"] = {}
        unk = {}
    return after, unk


def azure_storage(rng, ctx, name):
    bad = ctx["bad"]
    after = {"access_tier": "Hot", "account_kind": "StorageV2", "account_replication_type": rng.choice(["LRS", "GRS", "ZRS"]),
             "account_tier": "Standard", "allow_nested_items_to_be_public": bad,
             "allowed_copy_scope": None, "azure_files_authentication": [], "blob_properties": [{
                 "change_feed_enabled": False, "change_feed_retention_in_days": 0, "container_delete_retention_policy": [],
                 "cors_rule": [], "default_service_version": "", "delete_retention_policy": [] if bad else [{"days": 7}],
                 "last_access_time_enabled": False, "restore_policy": [], "versioning_enabled": not bad}],
             "cross_tenant_replication_enabled": True, "custom_domain": [], "customer_managed_key": [],
             "default_to_oauth_authentication": False, "edge_zone": None, "enable_https_traffic_only": not (bad and rng.random() < 0.5),
             "immutability_policy": [], "infrastructure_encryption_enabled": not bad, "is_hns_enabled": False,
             "large_file_share_enabled": None, "local_user_enabled": True, "location": ctx["azregion"],
             "min_tls_version": "TLS1_0" if bad and rng.random() < 0.5 else "TLS1_2", "name": name,
             "network_rules": [{"bypass": ["AzureServices"], "default_action": "Allow" if bad else "Deny",
                                "ip_rules": [] if bad else ["203.0.113.0/24"], "private_link_access": [],
                                "virtual_network_subnet_ids": []}],
             "nfsv3_enabled": False, "public_network_access_enabled": bad, "queue_encryption_key_type": "Service",
             "resource_group_name": "rg-" + ctx["env"], "sas_policy": [], "sftp_enabled": False,
             "shared_access_key_enabled": True, "static_website": [], "table_encryption_key_type": "Service",
             "tags": ctx["tags"], "timeouts": None}
    unk = {"azure_files_authentication": [], "blob_properties": [{"container_delete_retention_policy": [],
           "cors_rule": [], "delete_retention_policy": [{}] if not bad else [], "restore_policy": []}],
           "custom_domain": [], "customer_managed_key": [], "id": True, "identity": True,
           "immutability_policy": [], "network_rules": [{"bypass": [False], "ip_rules": [False] * len(after["network_rules"][0]["ip_rules"]),
                                                         "private_link_access": [], "virtual_network_subnet_ids": []}],
           "primary_access_key": True, "primary_blob_endpoint": True, "primary_connection_string": True,
           "primary_location": True, "queue_properties": True, "routing": True, "sas_policy": [],
           "secondary_access_key": True, "share_properties": True, "static_website": [], "tags": {}}
    if not ctx["create"]:
        after.update({"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-%s/providers/Microsoft.Storage/storageAccounts/%s" % (ctx["env"], name),
                      "primary_blob_endpoint": "https://%s.blob.core.windows.net/" % name,
                      "primary_location": ctx["azregion"], "identity": [], "routing": []})
        unk = {}
    return after, unk


def gcs_bucket(rng, ctx, name):
    bad = ctx["bad"]
    after = {"autoclass": [], "cors": [], "custom_placement_config": [], "default_event_based_hold": None,
             "encryption": [] if bad else [{"default_kms_key_name": "projects/p-%s/locations/europe-west1/keyRings/kr/cryptoKeys/%s" % (ctx["env"], name)}],
             "force_destroy": bad, "labels": {"env": ctx["env"]}, "lifecycle_rule": [], "location": "EU",
             "logging": [] if bad else [{"log_bucket": "logs-%s" % ctx["env"], "log_object_prefix": name}],
             "name": name, "public_access_prevention": "inherited" if bad else "enforced",
             "requester_pays": None, "retention_policy": [], "storage_class": "STANDARD", "timeouts": None,
             "uniform_bucket_level_access": not bad, "versioning": [{"enabled": not bad}], "website": []}
    unk = {"autoclass": [], "cors": [], "custom_placement_config": [], "effective_labels": True,
           "encryption": [{}] if not bad else [], "id": True, "labels": {}, "lifecycle_rule": [],
           "logging": [{}] if not bad else [], "project": True, "retention_policy": [], "rpo": True,
           "self_link": True, "terraform_labels": True, "url": True, "versioning": [{}], "website": []}
    if not ctx["create"]:
        after.update({"id": name, "project": "p-" + ctx["env"], "rpo": None,
                      "self_link": "https://www.googleapis.com/storage/v1/b/" + name,
                      "url": "gs://" + name, "effective_labels": {"env": ctx["env"]},
                      "terraform_labels": {"env": ctx["env"]}})
        unk = {}
    return after, unk


def iam_role(rng, ctx, name):
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                      "Principal": {"Service": "lambda.amazonaws.com"}}]})
    after = {"assume_role_policy": doc, "description": None, "force_detach_policies": False,
             "max_session_duration": 3600, "name": name, "path": "/", "permissions_boundary": None,
             "tags": ctx["tags"], "tags_all": dict(ctx["tags"])}
    unk = {"arn": True, "create_date": True, "id": True, "inline_policy": True,
           "managed_policy_arns": True, "name_prefix": True, "tags": {}, "tags_all": {}, "unique_id": True}
    if not ctx["create"]:
        after.update({"arn": "arn:aws:iam::%s:role/%s" % (ACCOUNT, name), "create_date": "2023-06-01T12:00:00Z",
                      "id": name, "inline_policy": [], "managed_policy_arns": [], "name_prefix": "",
                      "unique_id": fake_id(rng, "AROA", 17).upper()})
        unk = {}
    return after, unk


def log_group(rng, ctx, name):
    after = {"kms_key_id": None, "log_group_class": "STANDARD", "name": "/app/" + name, "name_prefix": None,
             "retention_in_days": 0 if ctx["bad"] else 365, "skip_destroy": False,
             "tags": ctx["tags"], "tags_all": dict(ctx["tags"])}
    unk = {"arn": True, "id": True, "tags": {}, "tags_all": {}}
    if not ctx["create"]:
        after.update({"arn": "arn:aws:logs:%s:%s:log-group:/app/%s" % (ctx["region"], ACCOUNT, name), "id": "/app/" + name})
        unk = {}
    return after, unk


def random_id(rng, ctx, name):
    after = {"byte_length": 4, "keepers": None, "prefix": None}
    unk = {"b64_std": True, "b64_url": True, "dec": True, "hex": True, "id": True}
    if not ctx["create"]:
        h = fake_id(rng, "", 8)
        after.update({"b64_std": "AbCd", "b64_url": "AbCd", "dec": str(int(h, 16)), "hex": h, "id": "AbCd"})
        unk = {}
    return after, unk


# ---- groups -------------------------------------------------------------------

def const_expr(after, names):
    e = {}
    for n in names:
        if n in after and not isinstance(after[n], (dict, list)) and after[n] is not None:
            e[n] = {"constant_value": after[n]}
    return e


def ref_expr(*refs):
    return {"references": list(refs)}


def choose_action(rng):
    x = rng.random()
    if x < 0.60:
        return "create"
    if x < 0.85:
        return "no-op"
    if x < 0.95:
        return "update"
    if x < 0.98:
        return "replace"
    return "delete"


def actions_for(kind):
    return {"create": ["create"], "no-op": ["no-op"], "update": ["update"],
            "replace": ["delete", "create"], "delete": ["delete"]}[kind]


def make_ctx(rng, plan, env, app, action):
    kms = rng.random() < 0.6
    ctx = {"bad": rng.random() < 0.35, "env": env, "app": app, "tags": tags(rng, env, app),
           "region": rng.choice(REGIONS), "azregion": rng.choice(["westeurope", "northeurope", "eastus"]),
           "action": action, "create": action in ("create", "replace"),
           "kms": True if kms else None, "kms_create": action in ("create", "replace") and rng.random() < 0.8,
           "sg_id": fake_id(rng, "sg-"), "vpc_id": fake_id(rng, "vpc-"),
           "kms_id": "%08x-%04x-4%03x-8%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                                       rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48)),
           "log_bucket": "logs-%s-%s" % (env, app)}
    ctx["kms_arn"] = "arn:aws:kms:%s:%s:key/%s" % (ctx["region"], ACCOUNT, ctx["kms_id"])
    return ctx


def instance(plan, blk, modaddr, key, ctx, model, *args):
    rng = plan.rng
    kind = ctx["action"]
    after, unk = model(rng, ctx, *args)
    if kind == "delete":
        plan_before = dict(after)
        blk.emit(modaddr, key, ["delete"], plan_before, None, {})
        return
    before = None
    if kind in ("no-op", "update", "replace"):
        before = dict(after)
        if kind == "update" and "tags" in after and isinstance(after["tags"], dict):
            before["tags"] = dict(after["tags"])
            before["tags"]["Owner"] = "old-team"
    blk.emit(modaddr, key, actions_for(kind), before, after, unk)


def keys_for(rng, n):
    if rng.random() < 0.5:
        return list(range(n))
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
             "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
             "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu"]
    out = []
    for i in range(n):
        w = words[i % len(words)]
        out.append(w if i < len(words) else "%s-%d" % (w, i // len(words)))
    return out


def group_s3(plan, mod, seq, env, app):
    rng = plan.rng
    n = rng.randint(1, 12)
    keys = keys_for(rng, n)
    base = "data_%d" % seq
    blocks = {"b": Block(plan, mod, "aws_s3_bucket", base, AWS, keys)}
    splits = [("v", "aws_s3_bucket_versioning", 0.85), ("e", "aws_s3_bucket_server_side_encryption_configuration", 0.8),
              ("p", "aws_s3_bucket_public_access_block", 0.75), ("l", "aws_s3_bucket_logging", 0.5)]
    for tag, t, prob in splits:
        if rng.random() < prob:
            blocks[tag] = Block(plan, mod, t, base, AWS, keys)
    bref = "aws_s3_bucket.%s" % base
    blocks["b"].expressions = {"bucket": ref_expr("var.prefix", "each.key" if isinstance(keys[0], str) else "count.index"),
                               "force_destroy": {"constant_value": False}, "tags": ref_expr("local.tags")}
    for tag in "vepl":
        if tag in blocks:
            blocks[tag].expressions = {"bucket": ref_expr(bref + ".id", bref)}
    if "v" in blocks:
        blocks["v"].expressions["versioning_configuration"] = [{"status": {"constant_value": "Enabled"}}]
    if "e" in blocks:
        blocks["e"].expressions["rule"] = [{"apply_server_side_encryption_by_default": [{
            "kms_master_key_id": ref_expr("aws_kms_key.s3.arn", "aws_kms_key.s3"),
            "sse_algorithm": {"constant_value": "aws:kms"}}]}]
    if "l" in blocks:
        blocks["l"].expressions["target_bucket"] = ref_expr("var.log_bucket")
    for b in blocks.values():
        b.config()
    for modaddr in mod[1]:
        for key in keys:
            if plan.full():
                return
            ctx = make_ctx(rng, plan, env, app, choose_action(rng))
            name = "%s-%s-%s-%s" % (env, app, base.replace("_", "-"), key)
            instance(plan, blocks["b"], modaddr, key, ctx, s3_bucket, name)
            kms_known = None if ctx["kms_create"] else ctx["kms_arn"]
            for tag in "vepl":
                if tag not in blocks:
                    continue
                if tag == "v":
                    instance(plan, blocks[tag], modaddr, key, ctx, s3_versioning, name)
                elif tag == "e":
                    instance(plan, blocks[tag], modaddr, key, ctx, s3_sse, name, kms_known)
                elif tag == "p":
                    instance(plan, blocks[tag], modaddr, key, ctx, s3_pab, name)
                else:
                    instance(plan, blocks[tag], modaddr, key, ctx, s3_logging, name, ctx["log_bucket"])


def group_sg(plan, mod, seq, env, app):
    rng = plan.rng
    keys = keys_for(rng, rng.randint(1, 8))
    base = "svc_%d" % seq
    sg = Block(plan, mod, "aws_security_group", base, AWS, keys)
    sg.expressions = {"description": {"constant_value": "Managed by Terraform"},
                      "name": ref_expr("var.prefix", "each.key"), "vpc_id": ref_expr("var.vpc_id")}
    sg.config()
    rules = []
    for rname, kind, port in [("https_in", "ingress", 443), ("admin_in", "ingress", 22), ("all_out", "egress", 0)]:
        if rng.random() < 0.7:
            r = Block(plan, mod, "aws_security_group_rule", "%s_%s" % (base, rname), AWS, keys)
            r.expressions = {"security_group_id": ref_expr("aws_security_group.%s.id" % base, "aws_security_group.%s" % base),
                             "type": {"constant_value": kind}, "from_port": {"constant_value": port},
                             "to_port": {"constant_value": port}}
            r.config()
            rules.append((r, kind, port))
    for modaddr in mod[1]:
        for key in keys:
            if plan.full():
                return
            ctx = make_ctx(rng, plan, env, app, choose_action(rng))
            instance(plan, sg, modaddr, key, ctx, security_group, "%s-%s-%s" % (env, base, key))
            for r, kind, port in rules:
                cidr = "0.0.0.0/0" if (ctx["bad"] or kind == "egress") else "10.0.0.0/8"
                instance(plan, r, modaddr, key, ctx, sg_rule, kind, port, cidr)


def group_kms_users(plan, mod, seq, env, app):
    """A KMS key per instance and the resources encrypted with it."""
    rng = plan.rng
    keys = keys_for(rng, rng.randint(1, 6))
    base = "app_%d" % seq
    users = rng.sample([("aws_db_instance", db_instance), ("aws_rds_cluster", rds_cluster),
                        ("aws_ebs_volume", ebs_volume), ("aws_dynamodb_table", dynamodb_table),
                        ("aws_sqs_queue", sqs_queue), ("aws_sns_topic", sns_topic)], rng.randint(2, 5))
    kms = Block(plan, mod, "aws_kms_key", base, AWS, keys)
    kms.expressions = {"description": ref_expr("each.key"), "enable_key_rotation": {"constant_value": True},
                       "policy": ref_expr("data.aws_iam_policy_document.kms.json", "data.aws_iam_policy_document.kms")}
    kms.config()
    blocks = []
    for t, model in users:
        b = Block(plan, mod, t, base, AWS, keys)
        attr = {"aws_dynamodb_table": "server_side_encryption", "aws_sqs_queue": "kms_master_key_id",
                "aws_sns_topic": "kms_master_key_id"}.get(t, "kms_key_id")
        b.expressions = {attr: ref_expr("aws_kms_key.%s.arn" % base, "aws_kms_key.%s" % base),
                         "tags": ref_expr("local.tags")}
        b.config()
        blocks.append((b, model))
    for modaddr in mod[1]:
        for key in keys:
            if plan.full():
                return
            ctx = make_ctx(rng, plan, env, app, choose_action(rng))
            ctx["kms"] = True
            instance(plan, kms, modaddr, key, ctx, kms_key, "key for %s" % key)
            for b, model in blocks:
                instance(plan, b, modaddr, key, ctx, model, "%s-%s-%s" % (env, base.replace("_", "-"), key))


def group_simple(plan, mod, seq, env, app, t, model, provider, extra=()):
    rng = plan.rng
    keys = keys_for(rng, rng.randint(1, 10))
    base = "%s_%d" % (t.split("_", 1)[1], seq)
    b = Block(plan, mod, t, base, provider, keys)
    b.expressions = {"name": ref_expr("var.prefix", "each.key"), "tags": ref_expr("local.tags")}
    b.config()
    for modaddr in mod[1]:
        for key in keys:
            if plan.full():
                return
            ctx = make_ctx(rng, plan, env, app, choose_action(rng))
            ctx["kms"] = None
            name = ("%s%s%s" % (env, seq, key)).replace("-", "")[:24].lower() if t == "azurerm_storage_account" \
                else "%s-%s-%s" % (env, base.replace("_", "-"), key)
            instance(plan, b, modaddr, key, ctx, model, name, *extra)


def group_trail(plan, mod, seq, env, app):
    rng = plan.rng
    keys = [None]
    base = "trail_%d" % seq
    bucket = Block(plan, mod, "aws_s3_bucket", base, AWS, keys)
    bucket.expressions = {"bucket": ref_expr("var.prefix")}
    trail = Block(plan, mod, "aws_cloudtrail", base, AWS, keys)
    trail.expressions = {"s3_bucket_name": ref_expr("aws_s3_bucket.%s.id" % base, "aws_s3_bucket.%s" % base),
                         "is_multi_region_trail": {"constant_value": True}}
    bucket.config()
    trail.config()
    for modaddr in mod[1]:
        if plan.full():
            return
        ctx = make_ctx(rng, plan, env, app, choose_action(rng))
        name = "%s-cloudtrail-%d" % (env, seq)
        instance(plan, bucket, modaddr, None, ctx, s3_bucket, name)
        instance(plan, trail, modaddr, None, ctx, cloudtrail, "%s-trail-%d" % (env, seq), name)


def group_lb(plan, mod, seq, env, app):
    rng = plan.rng
    keys = keys_for(rng, rng.randint(1, 5))
    base = "web_%d" % seq
    lbb = Block(plan, mod, "aws_lb", base, AWS, keys)
    lbb.expressions = {"name": ref_expr("each.key"), "internal": {"constant_value": False},
                       "subnets": ref_expr("var.public_subnets")}
    lbb.config()
    listeners = []
    for port in (80, 443):
        if port == 443 or rng.random() < 0.7:
            lb_l = Block(plan, mod, "aws_lb_listener", "%s_%d" % (base, port), AWS, keys)
            lb_l.expressions = {"load_balancer_arn": ref_expr("aws_lb.%s.arn" % base, "aws_lb.%s" % base),
                                "port": {"constant_value": port}}
            lb_l.config()
            listeners.append((lb_l, port))
    for modaddr in mod[1]:
        for key in keys:
            if plan.full():
                return
            ctx = make_ctx(rng, plan, env, app, choose_action(rng))
            instance(plan, lbb, modaddr, key, ctx, lb, ("%s-%s-%s" % (env, seq, key))[:32])
            for l, port in listeners:
                instance(plan, l, modaddr, key, ctx, lb_listener, port)


def build(n, seed):
    rng = random.Random(seed)
    plan = Plan(rng, n)
    # module layout: (config path, [instance addresses])
    mods = [("", [""]), ("storage", ["module.storage"]), ("network", ["module.network"]),
            ("data", ['module.data["eu"]', 'module.data["us"]']),
            ("app.queue", ['module.app.module.queue'])]
    weights = [0.30, 0.25, 0.15, 0.20, 0.10]
    seq = 0
    envs = ["prod", "staging", "dev"]
    apps = ["billing", "claims", "portal", "ledger", "search", "media", "auth", "reports"]
    gens = [(group_s3, 0.30), (group_sg, 0.15), (group_kms_users, 0.20), (group_lb, 0.06),
            (group_trail, 0.02), ("lambda", 0.08), ("azure", 0.06), ("gcs", 0.06),
            ("role", 0.04), ("logs", 0.02), ("random", 0.01)]
    # a few data sources, as every real plan has
    ds = Block(plan, ("", [""]), "aws_caller_identity", "current", AWS, [None], mode="data")
    ds.expressions = {}
    ds.config()
    ds.emit("", None, ["read"], None, {}, {"account_id": True, "arn": True, "id": True, "user_id": True})
    while not plan.full():
        seq += 1
        mod = rng.choices(mods, weights)[0]
        env = rng.choice(envs)
        app = rng.choice(apps)
        g = rng.choices([g for g, _ in gens], [w for _, w in gens])[0]
        if g == "lambda":
            group_simple(plan, mod, seq, env, app, "aws_lambda_function", lambda_function, AWS)
        elif g == "azure":
            group_simple(plan, mod, seq, env, app, "azurerm_storage_account", azure_storage, AZ)
        elif g == "gcs":
            group_simple(plan, mod, seq, env, app, "google_storage_bucket", gcs_bucket, GCP)
        elif g == "role":
            group_simple(plan, mod, seq, env, app, "aws_iam_role", iam_role, AWS)
        elif g == "logs":
            group_simple(plan, mod, seq, env, app, "aws_cloudwatch_log_group", log_group, AWS)
        elif g == "random":
            group_simple(plan, mod, seq, env, app, "random_id", random_id, RANDOM)
        else:
            g(plan, mod, seq, env, app)
    return plan


def module_tree(plan):
    """planned_values.root_module with nested child_modules."""
    root = {"resources": plan.pv.get("", [])}
    nodes = {"": root}

    def node(addr):
        if addr in nodes:
            return nodes[addr]
        # parent: strip the last "module.x[...]" segment
        idx = addr.rfind(".module.")
        parent = addr[:idx] if idx >= 0 else ""
        p = node(parent)
        n = {"resources": [], "address": addr}
        p.setdefault("child_modules", []).append(n)
        nodes[addr] = n
        return n

    for addr in sorted(a for a in plan.pv if a):
        node(addr)["resources"] = plan.pv[addr]
    # Terraform writes "address" first in child modules
    def order(n):
        out = {}
        if "address" in n:
            out["address"] = n["address"]
        out["resources"] = n["resources"]
        if "child_modules" in n:
            out["child_modules"] = [order(c) for c in n["child_modules"]]
        return out
    return order(root)


def configuration(plan):
    def mod(path):
        m = {"resources": plan.cfg.get(path, [])}
        kids = sorted({p[len(path) + 1 if path else 0:].split(".")[0] for p in plan.cfg
                       if p != path and (not path or p.startswith(path + "."))})
        if kids:
            m["module_calls"] = {}
            for k in kids:
                sub = (path + "." + k) if path else k
                call = {"source": "./modules/" + k, "module": mod(sub)}
                if k == "data":
                    call["for_each_expression"] = {"constant_value": ["eu", "us"]}
                call["expressions"] = {"prefix": ref_expr("var.prefix")}
                m["module_calls"][k] = call
        if path:
            m["variables"] = {"prefix": {"description": "name prefix"}}
        return m

    root = mod("")
    root["variables"] = {"prefix": {"default": "acme"}, "instance_count": {"default": 3},
                         "log_bucket": {"default": "acme-logs"}}
    return {"provider_config": {
        "aws": {"name": "aws", "full_name": AWS, "version_constraint": "~> 5.0",
                "expressions": {"region": {"constant_value": "eu-west-1"}}},
        "azurerm": {"name": "azurerm", "full_name": AZ, "version_constraint": "~> 3.100",
                    "expressions": {"features": [{}]}},
        "google": {"name": "google", "full_name": GCP, "version_constraint": "~> 5.0",
                   "expressions": {"project": {"constant_value": "acme-prod"}}},
        "random": {"name": "random", "full_name": RANDOM}},
        "root_module": root}


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    n = int(argv[1])
    out = argv[2]
    seed = 1
    if len(argv) >= 5 and argv[3] == "--seed":
        seed = int(argv[4])
    plan = build(n, seed)
    doc = {
        "format_version": "1.2",
        "terraform_version": "1.7.5",
        "variables": {"prefix": {"value": "acme"}, "instance_count": {"value": 3},
                      "log_bucket": {"value": "acme-logs"}},
        "planned_values": {"root_module": module_tree(plan)},
        "resource_changes": plan.changes,
        "configuration": configuration(plan),
        "timestamp": "2024-05-01T12:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }
    with open(out, "w") as f:
        # terraform show -json writes one compact line
        json.dump(doc, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
