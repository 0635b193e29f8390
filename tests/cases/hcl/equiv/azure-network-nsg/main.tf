resource "azurerm_resource_group" "main" {
  name = "rg-platform"
  location = "northeurope"
}

resource "terraform_data" "policy" {
  input = {
    "admin_cidr" = "198.51.100.0/24"
  }
}

resource "azurerm_network_security_group" "web" {
  name = "nsg-web"
  resource_group_name = azurerm_resource_group.main.name
  location = "northeurope"
  security_rule {
    description = ""
    source_port_range = "*"
    destination_port_range = "443"
    source_address_prefix = "Internet"
    destination_address_prefix = "*"
    name = "allow-https"
    priority = 100
    direction = "Inbound"
    access = "Allow"
    protocol = "Tcp"
  }
  security_rule {
    description = ""
    source_port_range = "*"
    destination_port_range = "22"
    source_address_prefix = "10.0.0.0/8"
    destination_address_prefix = "*"
    name = "allow-ssh-corp"
    priority = 110
    direction = "Inbound"
    access = "Allow"
    protocol = "Tcp"
  }
  security_rule {
    description = ""
    source_port_range = "*"
    destination_port_range = "*"
    source_address_prefix = "*"
    destination_address_prefix = "*"
    name = "deny-all-in"
    priority = 4000
    direction = "Inbound"
    access = "Deny"
    protocol = "*"
  }
}

resource "azurerm_network_security_group" "bastion" {
  name = "nsg-bastion"
  resource_group_name = azurerm_resource_group.main.name
  location = "northeurope"
  security_rule {
    description = ""
    source_port_range = "*"
    destination_port_range = "22"
    source_address_prefix = "*"
    destination_address_prefix = "*"
    name = "allow-ssh-any"
    priority = 100
    direction = "Inbound"
    access = "Allow"
    protocol = "Tcp"
  }
}

resource "azurerm_network_security_rule" "bastion_rdp" {
  description = ""
  source_port_range = "*"
  destination_port_range = ""
  destination_port_ranges = [
    "3380-3400",
  ]
  source_address_prefix = ""
  source_address_prefixes = [
    "0.0.0.0/0",
  ]
  destination_address_prefix = "*"
  name = "allow-rdp-range"
  priority = 120
  direction = "Inbound"
  access = "Allow"
  protocol = "Tcp"
  resource_group_name = azurerm_resource_group.main.name
  network_security_group_name = azurerm_network_security_group.bastion.name
}

resource "azurerm_network_security_group" "open" {
  name = "nsg-legacy-app"
  resource_group_name = azurerm_resource_group.main.name
  location = "northeurope"
  security_rule {
    description = ""
    source_port_range = "*"
    destination_port_range = "*"
    source_address_prefix = "Internet"
    destination_address_prefix = "*"
    name = "allow-all-internet"
    priority = 200
    direction = "Inbound"
    access = "Allow"
    protocol = "Tcp"
  }
}

resource "azurerm_network_security_group" "dynamic" {
  name = "nsg-admin"
  resource_group_name = azurerm_resource_group.main.name
  location = "northeurope"
  security_rule {
    description = ""
    source_port_range = "*"
    destination_port_range = "*"
    source_address_prefix = terraform_data.policy.output.admin_cidr
    destination_address_prefix = "*"
    name = "allow-admin"
    priority = 100
    direction = "Inbound"
    access = "Allow"
    protocol = "*"
  }
}

