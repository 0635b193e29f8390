resource "azurerm_resource_group" "main" {
  name = "rg-platform"
  location = "northeurope"
}

resource "terraform_data" "policy" {
  input = {
    "purge_protection" = true
    "rbac" = true
  }
}

resource "azurerm_key_vault" "hardened" {
  name = "kv-platform-prod"
  resource_group_name = azurerm_resource_group.main.name
  location = "northeurope"
  tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  sku_name = "premium"
  enable_rbac_authorization = true
  purge_protection_enabled = true
  public_network_access_enabled = false
  network_acls {
    default_action = "Deny"
    bypass = "AzureServices"
  }
}

resource "azurerm_key_vault" "defaults" {
  name = "kv-platform-dev"
  resource_group_name = azurerm_resource_group.main.name
  location = "northeurope"
  tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  sku_name = "standard"
}

resource "azurerm_key_vault" "computed" {
  name = "kv-platform-int"
  resource_group_name = azurerm_resource_group.main.name
  location = "northeurope"
  tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47"
  sku_name = "standard"
  enable_rbac_authorization = terraform_data.policy.output.rbac
  purge_protection_enabled = terraform_data.policy.output.purge_protection
  network_acls {
    default_action = "Allow"
    bypass = "AzureServices"
  }
}

