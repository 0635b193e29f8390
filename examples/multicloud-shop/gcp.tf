locals {
  gcp_labels = {
    application = "northwind-shop"
    environment = "prod"
  }
}

resource "google_kms_key_ring" "shop" {
  name     = "shop-prod"
  location = var.gcp_region
  project  = var.gcp_project
}

resource "google_kms_crypto_key" "exports" {
  name            = "order-exports"
  key_ring        = google_kms_key_ring.shop.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s" # 90 days

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "SOFTWARE"
  }

  labels = local.gcp_labels
}

# Key for the Cloud SQL instance: created in a hurry during the migration, no rotation.
resource "google_kms_crypto_key" "cloudsql" {
  name     = "cloudsql"
  key_ring = google_kms_key_ring.shop.id
  purpose  = "ENCRYPT_DECRYPT"
  labels   = local.gcp_labels
}

# Product photos for the storefront: public on purpose (no personal data may go here).
resource "google_storage_bucket" "product_images" {
  name                        = "northwind-shop-prod-product-images"
  project                     = var.gcp_project
  location                    = "EU"
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "inherited"
  force_destroy               = false

  cors {
    origin          = ["https://shop.northwind.example"]
    method          = ["GET", "HEAD"]
    response_header = ["Content-Type"]
    max_age_seconds = 3600
  }

  labels = local.gcp_labels
}

resource "google_storage_bucket_iam_member" "product_images_public" {
  bucket = google_storage_bucket.product_images.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

# Nightly order exports for the finance team (names, addresses, order lines).
resource "google_storage_bucket" "order_exports" {
  name                        = "northwind-shop-prod-order-exports"
  project                     = var.gcp_project
  location                    = "EUROPE-WEST1"
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = google_kms_crypto_key.exports.id
  }

  logging {
    log_bucket        = "northwind-shop-prod-access-logs"
    log_object_prefix = "order-exports/"
  }

  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      age = 90
    }
  }

  labels = merge(local.gcp_labels, { data-class = "personal-data" })
}

# Catalogue, stock levels and recommendation features; customer ids only.
resource "google_sql_database_instance" "catalog" {
  name                = "shop-catalog-prod"
  project             = var.gcp_project
  region              = var.gcp_region
  database_version    = "POSTGRES_16"
  deletion_protection = true
  encryption_key_name = google_kms_crypto_key.cloudsql.id

  settings {
    tier              = "db-custom-4-16384"
    edition           = "ENTERPRISE"
    availability_type = "REGIONAL"
    disk_type         = "PD_SSD"
    disk_size         = 100
    disk_autoresize   = true
    user_labels       = local.gcp_labels

    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"

      # The merchandising team's laptops; "temporary" since the spring sale.
      authorized_networks {
        name  = "merch-team-temp"
        value = "0.0.0.0/0"
      }
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "02:00"
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = 14
        retention_unit   = "COUNT"
      }
    }

    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }

    maintenance_window {
      day          = 7
      hour         = 3
      update_track = "stable"
    }
  }
}

resource "google_compute_firewall" "allow_ssh" {
  name        = "shop-allow-ssh"
  project     = var.gcp_project
  network     = var.gcp_network
  direction   = "INGRESS"
  priority    = 1000
  description = "SSH to the bastion for the on-call rota"

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  source_ranges = ["0.0.0.0/0"]
  target_tags   = ["bastion"]
}

resource "google_compute_firewall" "allow_health_checks" {
  name        = "shop-allow-health-checks"
  project     = var.gcp_project
  network     = var.gcp_network
  direction   = "INGRESS"
  priority    = 1000
  description = "Google Cloud load balancer health checks"

  allow {
    protocol = "tcp"
    ports    = ["8080"]
  }

  source_ranges = ["35.191.0.0/16", "130.211.0.0/22"]
  target_tags   = ["web"]

  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}
