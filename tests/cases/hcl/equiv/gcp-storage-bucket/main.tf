resource "terraform_data" "policy" {
  input = {
    "log_bucket" = "acme-access-logs"
    "readers" = "group:analysts@example.com"
  }
}

resource "google_kms_crypto_key" "bucket" {
  name = "bucket-cmek"
  key_ring = "projects/acme-data-prod/locations/europe/keyRings/storage"
  purpose = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s"
  skip_initial_version_creation = false
}

resource "google_storage_bucket" "hardened" {
  name = "acme-invoices-prod"
  location = "EU"
  project = "acme-data-prod"
  logging {
    log_bucket = "acme-access-logs"
  }
  encryption {
    default_kms_key_name = "projects/acme-data-prod/locations/europe/keyRings/storage/cryptoKeys/invoices"
  }
  uniform_bucket_level_access = true
  public_access_prevention = "enforced"
  versioning {
    enabled = true
  }
}

resource "google_storage_bucket_iam_member" "hardened_readers" {
  bucket = google_storage_bucket.hardened.name
  role = "roles/storage.objectViewer"
  member = "group:finance@example.com"
}

resource "google_storage_bucket" "defaults" {
  name = "acme-scratch-prod"
  location = "EU"
  project = "acme-data-prod"
}

resource "google_storage_bucket" "public" {
  name = "acme-www-assets"
  location = "EU"
  project = "acme-data-prod"
  uniform_bucket_level_access = false
  public_access_prevention = "inherited"
  versioning {
    enabled = false
  }
}

resource "google_storage_bucket_iam_member" "public_read" {
  bucket = google_storage_bucket.public.name
  role = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_storage_bucket" "shared" {
  name = "acme-exchange-prod"
  location = "EU"
  project = "acme-data-prod"
  logging {
    log_bucket = terraform_data.policy.output.log_bucket
  }
  encryption {
    default_kms_key_name = google_kms_crypto_key.bucket.id
  }
  uniform_bucket_level_access = true
  public_access_prevention = "enforced"
  versioning {
    enabled = terraform_data.policy.output.versioning
  }
}

resource "google_storage_bucket_iam_binding" "shared_readers" {
  bucket = google_storage_bucket.shared.name
  role = "roles/storage.objectViewer"
  members = terraform_data.policy.output.readers
}

