resource "terraform_data" "policy" {
  input = {
    "rotation" = "7776000s"
  }
}

resource "google_kms_key_ring" "app" {
  name = "app"
  location = "europe-west1"
  project = "acme-sec-prod"
}

resource "google_kms_crypto_key" "quarterly" {
  name = "orders-data"
  key_ring = google_kms_key_ring.app.id
  rotation_period = "7776000s"
}

resource "google_kms_crypto_key" "monthly" {
  name = "sessions"
  key_ring = google_kms_key_ring.app.id
  purpose = "ENCRYPT_DECRYPT"
  rotation_period = "2592000s"
}

resource "google_kms_crypto_key" "yearly" {
  name = "archive"
  key_ring = google_kms_key_ring.app.id
  rotation_period = "31536000s"
}

resource "google_kms_crypto_key" "never" {
  name = "legacy-app"
  key_ring = google_kms_key_ring.app.id
}

resource "google_kms_crypto_key" "signing" {
  name = "release-signing"
  key_ring = google_kms_key_ring.app.id
  purpose = "ASYMMETRIC_SIGN"
  version_template {
    algorithm = "EC_SIGN_P256_SHA256"
    protection_level = "HSM"
  }
}

resource "google_kms_crypto_key" "computed" {
  name = "reports"
  key_ring = google_kms_key_ring.app.id
  rotation_period = terraform_data.policy.output.rotation
}

