locals {
  azure_tags = {
    application = "northwind-shop"
    environment = "prod"
    owner       = "shop-platform"
  }
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-shop-prod-weu"
  location = var.azure_location
  tags     = local.azure_tags
}

# Purge protection is off so that the team can destroy and recreate the vault from
# Terraform; soft delete keeps deleted keys for the minimum 7 days.
resource "azurerm_key_vault" "shop" {
  name                          = "kv-shop-prod-weu"
  location                      = azurerm_resource_group.shop.location
  resource_group_name           = azurerm_resource_group.shop.name
  tenant_id                     = var.azure_tenant_id
  sku_name                      = "premium"
  soft_delete_retention_days    = 7
  purge_protection_enabled      = false
  enable_rbac_authorization     = true
  public_network_access_enabled = true

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }

  tags = local.azure_tags
}

resource "azurerm_key_vault_key" "storage_cmk" {
  name         = "cmk-storage"
  key_vault_id = azurerm_key_vault.shop.id
  key_type     = "RSA-HSM"
  key_size     = 3072
  key_opts     = ["decrypt", "encrypt", "unwrapKey", "wrapKey"]

  rotation_policy {
    expire_after         = "P365D"
    notify_before_expiry = "P29D"
    automatic {
      time_before_expiry = "P30D"
    }
  }
}

# Media storage: invoices (personal data) in the private "invoices" container, product
# images in the "media" container, which is served publicly (blob-level anonymous read).
resource "azurerm_storage_account" "shop" {
  name                              = "stshopprodweu01"
  resource_group_name               = azurerm_resource_group.shop.name
  location                          = azurerm_resource_group.shop.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = "GRS"
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  allow_nested_items_to_be_public   = true
  shared_access_key_enabled         = true
  public_network_access_enabled     = true
  infrastructure_encryption_enabled = false

  identity {
    type = "SystemAssigned"
  }

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 7
    }
    container_delete_retention_policy {
      days = 7
    }
  }

  tags = local.azure_tags
}

resource "azurerm_role_assignment" "storage_cmk" {
  scope                = azurerm_key_vault.shop.id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = azurerm_storage_account.shop.identity[0].principal_id
}

resource "azurerm_storage_account_customer_managed_key" "shop" {
  storage_account_id = azurerm_storage_account.shop.id
  key_vault_id       = azurerm_key_vault.shop.id
  key_name           = azurerm_key_vault_key.storage_cmk.name
}

# Customers, addresses, orders (personal data under the GDPR).
resource "azurerm_mssql_server" "shop" {
  name                          = "sql-shop-prod-weu"
  resource_group_name           = azurerm_resource_group.shop.name
  location                      = azurerm_resource_group.shop.location
  version                       = "12.0"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = true

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = var.sql_admin_group_object_id
    azuread_authentication_only = true
  }

  identity {
    type = "SystemAssigned"
  }

  tags = local.azure_tags
}

resource "azurerm_mssql_firewall_rule" "azure_services" {
  name             = "AllowAllWindowsAzureIps"
  server_id        = azurerm_mssql_server.shop.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}

# Added for the marketing agency's reporting tool during Black Friday 2025
# ("remove in December").
resource "azurerm_mssql_firewall_rule" "marketing_agency" {
  name             = "marketing-agency-reporting"
  server_id        = azurerm_mssql_server.shop.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

resource "azurerm_mssql_database" "orders" {
  name                                = "sqldb-orders"
  server_id                           = azurerm_mssql_server.shop.id
  sku_name                            = "GP_Gen5_4"
  max_size_gb                         = 256
  zone_redundant                      = true
  collation                           = "SQL_Latin1_General_CP1_CI_AS"
  storage_account_type                = "Geo"
  transparent_data_encryption_enabled = true

  short_term_retention_policy {
    retention_days           = 7
    backup_interval_in_hours = 12
  }

  long_term_retention_policy {
    weekly_retention  = "P4W"
    monthly_retention = "P12M"
    yearly_retention  = "P5Y"
    week_of_year      = 1
  }

  tags = local.azure_tags
}

resource "azurerm_mssql_server_extended_auditing_policy" "shop" {
  server_id              = azurerm_mssql_server.shop.id
  storage_endpoint       = azurerm_storage_account.shop.primary_blob_endpoint
  retention_in_days      = 30
  log_monitoring_enabled = true
}

resource "azurerm_network_security_group" "web" {
  name                = "nsg-shop-web"
  location            = azurerm_resource_group.shop.location
  resource_group_name = azurerm_resource_group.shop.name
  tags                = local.azure_tags
}

resource "azurerm_network_security_rule" "allow_https_in" {
  name                        = "allow-https-in"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  description                 = "Storefront HTTPS"
  resource_group_name         = azurerm_resource_group.shop.name
  network_security_group_name = azurerm_network_security_group.web.name
}

resource "azurerm_network_security_rule" "allow_rdp_in" {
  name                        = "allow-rdp-in"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  description                 = "Remote support for the ERP connector VM"
  resource_group_name         = azurerm_resource_group.shop.name
  network_security_group_name = azurerm_network_security_group.web.name
}

resource "azurerm_network_security_rule" "allow_ssh_in" {
  name                        = "allow-ssh-in"
  priority                    = 210
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "203.0.113.0/24"
  destination_address_prefix  = "*"
  description                 = "SSH from the Utrecht office"
  resource_group_name         = azurerm_resource_group.shop.name
  network_security_group_name = azurerm_network_security_group.web.name
}
