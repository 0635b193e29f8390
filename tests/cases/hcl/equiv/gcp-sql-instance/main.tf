resource "terraform_data" "policy" {
  input = {
    "delete_guard" = true
    "log_connections" = "on"
  }
}

resource "google_sql_database_instance" "private" {
  name = "orders-pg-prod"
  database_version = "POSTGRES_15"
  region = "europe-west1"
  settings {
    tier = "db-custom-2-7680"
    edition = "ENTERPRISE"
    availability_type = "REGIONAL"
    activation_policy = "ALWAYS"
    disk_autoresize = true
    disk_autoresize_limit = 0
    disk_type = "PD_SSD"
    pricing_plan = "PER_USE"
    deletion_protection_enabled = true
    database_flags {
      name = "log_connections"
      value = "on"
    }
    database_flags {
      name = "log_disconnections"
      value = "on"
    }
    connector_enforcement = "NOT_REQUIRED"
    ip_configuration {
      ipv4_enabled = false
      private_network = "projects/acme-data-prod/global/networks/prod-vpc"
      ssl_mode = "ENCRYPTED_ONLY"
      enable_private_path_for_google_cloud_services = false
      server_ca_mode = "GOOGLE_MANAGED_INTERNAL_CA"
    }
    backup_configuration {
      enabled = true
      start_time = "02:00"
      point_in_time_recovery_enabled = true
      binary_log_enabled = false
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = 14
        retention_unit = "COUNT"
      }
    }
  }
}

resource "google_sql_database_instance" "open" {
  name = "legacy-mysql"
  database_version = "MYSQL_8_0"
  region = "europe-west1"
  deletion_protection = false
  settings {
    tier = "db-custom-2-7680"
    edition = "ENTERPRISE"
    availability_type = "ZONAL"
    activation_policy = "ALWAYS"
    disk_autoresize = true
    disk_autoresize_limit = 0
    disk_type = "PD_SSD"
    pricing_plan = "PER_USE"
    deletion_protection_enabled = false
    connector_enforcement = "NOT_REQUIRED"
    ip_configuration {
      ipv4_enabled = true
      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
      enable_private_path_for_google_cloud_services = false
      server_ca_mode = "GOOGLE_MANAGED_INTERNAL_CA"
      authorized_networks {
        name = "anywhere"
        value = "0.0.0.0/0"
      }
    }
    backup_configuration {
      enabled = false
      start_time = "02:00"
      point_in_time_recovery_enabled = false
      binary_log_enabled = false
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = 14
        retention_unit = "COUNT"
      }
    }
  }
}

resource "google_sql_database_instance" "defaults" {
  name = "reporting-pg"
  database_version = "POSTGRES_16"
  region = "europe-west1"
  settings {
    tier = "db-custom-2-7680"
    edition = "ENTERPRISE"
    availability_type = "ZONAL"
    activation_policy = "ALWAYS"
    disk_autoresize = true
    disk_autoresize_limit = 0
    disk_type = "PD_SSD"
    pricing_plan = "PER_USE"
    deletion_protection_enabled = false
    connector_enforcement = "NOT_REQUIRED"
  }
}

resource "google_sql_database_instance" "computed" {
  name = "analytics-pg"
  database_version = "POSTGRES_15"
  region = "europe-west1"
  deletion_protection = terraform_data.policy.output.delete_guard
  settings {
    tier = "db-custom-2-7680"
    edition = "ENTERPRISE"
    availability_type = "ZONAL"
    activation_policy = "ALWAYS"
    disk_autoresize = true
    disk_autoresize_limit = 0
    disk_type = "PD_SSD"
    pricing_plan = "PER_USE"
    database_flags {
      name = "log_connections"
      value = terraform_data.policy.output.log_connections
    }
    connector_enforcement = "NOT_REQUIRED"
    ip_configuration {
      ipv4_enabled = true
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
      enable_private_path_for_google_cloud_services = false
      server_ca_mode = "GOOGLE_MANAGED_INTERNAL_CA"
      authorized_networks {
        name = "office"
        value = "203.0.113.0/24"
      }
    }
    backup_configuration {
      enabled = true
      start_time = "02:00"
      point_in_time_recovery_enabled = false
      binary_log_enabled = false
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = 14
        retention_unit = "COUNT"
      }
    }
    deletion_protection_enabled = terraform_data.policy.output.delete_guard
  }
}
