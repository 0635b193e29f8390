resource "terraform_data" "policy" {
  input = {
    "metadata" = {
      "enable-oslogin" = "TRUE"
    }
    "public" = false
  }
}

resource "google_compute_instance" "hardened" {
  name = "orders-app-1"
  machine_type = "e2-standard-2"
  zone = "europe-west1-b"
  metadata = {
    "block-project-ssh-keys" = "true"
    "enable-oslogin" = "TRUE"
  }
  tags = [
    "app",
  ]
  boot_disk {
    auto_delete = true
    mode = "READ_WRITE"
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "prod-vpc"
    subnetwork = "app-euw1"
  }
  shielded_instance_config {
    enable_secure_boot = true
    enable_vtpm = true
    enable_integrity_monitoring = true
  }
}

resource "google_compute_instance" "defaults" {
  name = "orders-batch-1"
  machine_type = "e2-standard-2"
  zone = "europe-west1-b"
  tags = [
    "app",
  ]
  boot_disk {
    auto_delete = true
    mode = "READ_WRITE"
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "prod-vpc"
    subnetwork = "app-euw1"
    access_config {
    }
  }
}

resource "google_compute_instance" "debug" {
  name = "orders-debug"
  machine_type = "e2-standard-2"
  zone = "europe-west1-b"
  metadata = {
    "serial-port-enable" = "TRUE"
    "block-project-ssh-keys" = "false"
  }
  tags = [
    "app",
  ]
  boot_disk {
    auto_delete = true
    mode = "READ_WRITE"
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "prod-vpc"
    subnetwork = "app-euw1"
  }
  shielded_instance_config {
    enable_secure_boot = false
    enable_vtpm = true
    enable_integrity_monitoring = true
  }
}

resource "google_compute_instance" "computed" {
  name = "orders-worker-1"
  machine_type = "e2-standard-2"
  zone = "europe-west1-b"
  metadata = terraform_data.policy.output.metadata
  tags = [
    "app",
  ]
  boot_disk {
    auto_delete = true
    mode = "READ_WRITE"
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "prod-vpc"
    subnetwork = "app-euw1"
    # a dynamic block is not recorded in the plan's configuration section; its
    # for_each is known only after apply, so access_config is unknown
    dynamic "access_config" {
      for_each = terraform_data.policy.output.public_ip ? [1] : []
      content {}
    }
  }
  shielded_instance_config {
    enable_secure_boot = true
    enable_vtpm = true
    enable_integrity_monitoring = true
  }
}
