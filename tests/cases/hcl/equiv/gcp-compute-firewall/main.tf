resource "terraform_data" "policy" {
  input = {
    "admin_ports" = [
      "22",
    ]
    "log" = true
  }
}

resource "google_compute_network" "prod" {
  name = "prod-vpc"
  project = "acme-net-prod"
  auto_create_subnetworks = false
  routing_mode = "REGIONAL"
  delete_default_routes_on_create = false
}

resource "google_compute_firewall" "lb_https" {
  name = "allow-lb-https"
  network = google_compute_network.prod.id
  direction = "INGRESS"
  source_ranges = [
    "130.211.0.0/22",
    "35.191.0.0/16",
  ]
  target_tags = [
    "web",
  ]
  allow {
    protocol = "tcp"
    ports = [
      "80",
      "443",
    ]
  }
  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "ssh_world" {
  name = "allow-ssh-world"
  network = google_compute_network.prod.id
  direction = "INGRESS"
  source_ranges = [
    "0.0.0.0/0",
  ]
  allow {
    protocol = "tcp"
    ports = [
      "22",
    ]
  }
}

resource "google_compute_firewall" "rdp_range" {
  name = "allow-rdp-range"
  network = google_compute_network.prod.id
  direction = "INGRESS"
  source_ranges = [
    "0.0.0.0/0",
  ]
  target_tags = [
    "windows",
  ]
  allow {
    protocol = "tcp"
    ports = [
      "3000-4000",
    ]
  }
  allow {
    protocol = "udp"
    ports = [
      "3389",
    ]
  }
  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "all_open" {
  name = "allow-all-world"
  network = google_compute_network.prod.id
  direction = "INGRESS"
  source_ranges = [
    "0.0.0.0/0",
  ]
  allow {
    protocol = "all"
  }
}

resource "google_compute_firewall" "disabled_ssh" {
  name = "allow-ssh-breakglass"
  network = google_compute_network.prod.id
  direction = "INGRESS"
  disabled = true
  source_ranges = [
    "0.0.0.0/0",
  ]
  allow {
    protocol = "tcp"
    ports = [
      "22",
    ]
  }
}

resource "google_compute_firewall" "from_bastion" {
  name = "allow-ssh-from-bastion"
  network = google_compute_network.prod.id
  direction = "INGRESS"
  source_tags = [
    "bastion",
  ]
  target_tags = [
    "app",
  ]
  allow {
    protocol = "tcp"
    ports = [
      "22",
    ]
  }
  log_config {
    metadata = "INCLUDE_ALL_METADATA"
  }
}

resource "google_compute_firewall" "egress_all" {
  name = "allow-egress-all"
  network = google_compute_network.prod.id
  direction = "EGRESS"
  destination_ranges = [
    "0.0.0.0/0",
  ]
  allow {
    protocol = "all"
  }
}

resource "google_compute_firewall" "dynamic" {
  name = "allow-admin-dynamic"
  network = google_compute_network.prod.id
  direction = "INGRESS"
  source_ranges = [
    "0.0.0.0/0",
  ]
  allow {
    protocol = "tcp"
    ports = terraform_data.policy.output.admin_ports
  }
  # a dynamic block is not recorded in the plan's configuration section;
  # its for_each is known only after apply, so log_config is unknown
  dynamic "log_config" {
    for_each = terraform_data.policy.output.log ? [1] : []
    content {
      metadata = "INCLUDE_ALL_METADATA"
    }
  }
}
