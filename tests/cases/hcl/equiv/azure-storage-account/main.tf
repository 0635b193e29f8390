resource "azurerm_resource_group" "main" {
  name = "rg-data-prod"
  location = "westeurope"
}

resource "azurerm_user_assigned_identity" "storage" {
  name = "id-storage-cmk"
  resource_group_name = azurerm_resource_group.main.name
  location = "westeurope"
}

resource "azurerm_key_vault_key" "storage" {
  name = "cmk-storage"
  key_vault_id = data.azurerm_key_vault.main.id
  key_type = "RSA"
  key_size = 3072
  key_opts = [
    "unwrapKey",
    "wrapKey",
  ]
}

resource "azurerm_storage_account" "hardened" {
  name = "stdataprodhardened"
  resource_group_name = azurerm_resource_group.main.name
  location = "westeurope"
  account_tier = "Standard"
  account_replication_type = "GRS"
  allow_nested_items_to_be_public = false
  shared_access_key_enabled = false
  public_network_access_enabled = false
  infrastructure_encryption_enabled = true
  customer_managed_key {
    key_vault_key_id = azurerm_key_vault_key.storage.versionless_id
    user_assigned_identity_id = azurerm_user_assigned_identity.storage.id
  }
  identity {
    type = "UserAssigned"
  }
  tags = {
    "env" = "prod"
  }
  blob_properties {
    versioning_enabled = true
    change_feed_enabled = true
    change_feed_retention_in_days = 0
    last_access_time_enabled = false
    delete_retention_policy {
      days = 14
      permanent_delete_enabled = false
    }
    container_delete_retention_policy {
      days = 14
    }
  }
  network_rules {
    default_action = "Deny"
    bypass = [
      "AzureServices",
    ]
    ip_rules = [
      "203.0.113.0/24",
    ]
  }
}

resource "azurerm_storage_account" "defaults" {
  name = "stdataproddefaults"
  resource_group_name = azurerm_resource_group.main.name
  location = "westeurope"
  account_tier = "Standard"
  account_replication_type = "GRS"
  tags = {
    "env" = "prod"
  }
}

resource "azurerm_storage_account" "computed" {
  name = "stdataprodcomputed"
  resource_group_name = azurerm_resource_group.main.name
  location = "westeurope"
  account_tier = "Standard"
  account_replication_type = "GRS"
  https_traffic_only_enabled = terraform_data.storage_policy.output.https_only
  min_tls_version = terraform_data.storage_policy.output.min_tls
  allow_nested_items_to_be_public = terraform_data.storage_policy.output.public_blobs
  infrastructure_encryption_enabled = terraform_data.storage_policy.output.double_encryption
  customer_managed_key = azurerm_key_vault_key.storage.id
  tags = {
    "env" = "prod"
  }
  blob_properties {
    versioning_enabled = true
    change_feed_enabled = false
    change_feed_retention_in_days = 0
    last_access_time_enabled = false
    delete_retention_policy {
      days = 7
      permanent_delete_enabled = false
    }
  }
  network_rules {
    default_action = "Deny"
    bypass = [
      "AzureServices",
    ]
    virtual_network_subnet_ids = data.azurerm_subnet.data.id
  }
}

resource "terraform_data" "storage_policy" {
  input = {
    "https_only" = true
    "min_tls" = "TLS1_2"
    "public_blobs" = false
    "double_encryption" = true
  }
}

data "azurerm_key_vault" "main" {}

data "azurerm_subnet" "data" {}

