resource "azurerm_resource_group" "main" {
  name = "rg-orders-prod"
  location = "westeurope"
}

resource "random_password" "sql_admin" {
  length = 32
  special = true
}

resource "terraform_data" "sql_policy" {
  input = {
    "public" = false
    "dba_group" = "sql-dbas"
    "auditing" = true
    "alerts" = "Enabled"
    "tde" = true
    "backup_redundancy" = "GeoZone"
  }
}

resource "azurerm_mssql_server" "private" {
  name = "sql-orders-prod"
  resource_group_name = azurerm_resource_group.main.name
  location = "westeurope"
  version = "12.0"
  administrator_login = "sqladmin"
  administrator_login_password = random_password.sql_admin.result
  minimum_tls_version = "1.2"
  public_network_access_enabled = false
  azuread_administrator {
    login_username = "sql-dbas"
    object_id = "3f2a1c9e-5b7d-4e21-9a0c-7d1e2b4c6f80"
    azuread_authentication_only = true
  }
  tags = {
    "app" = "orders"
  }
}

resource "azurerm_mssql_server_extended_auditing_policy" "private" {
  server_id = azurerm_mssql_server.private.id
  storage_endpoint = data.azurerm_storage_account.audit.primary_blob_endpoint
  storage_account_access_key = data.azurerm_storage_account.audit.primary_access_key
  retention_in_days = 120
}

resource "azurerm_mssql_server_security_alert_policy" "private" {
  resource_group_name = azurerm_resource_group.main.name
  server_name = azurerm_mssql_server.private.name
  state = "Enabled"
  email_account_admins = true
  email_addresses = [
    "secops@example.com",
  ]
}

resource "azurerm_mssql_server" "defaults" {
  name = "sql-orders-dev"
  resource_group_name = azurerm_resource_group.main.name
  location = "westeurope"
  version = "12.0"
  administrator_login = "sqladmin"
  administrator_login_password = random_password.sql_admin.result
  tags = {
    "app" = "orders"
  }
}

resource "azurerm_mssql_server" "computed" {
  name = "sql-orders-int"
  resource_group_name = azurerm_resource_group.main.name
  location = "westeurope"
  version = "12.0"
  administrator_login = "sqladmin"
  administrator_login_password = random_password.sql_admin.result
  minimum_tls_version = "Disabled"
  public_network_access_enabled = terraform_data.sql_policy.output.public
  azuread_administrator {
    login_username = terraform_data.sql_policy.output.dba_group
    object_id = "3f2a1c9e-5b7d-4e21-9a0c-7d1e2b4c6f80"
    azuread_authentication_only = false
  }
  tags = {
    "app" = "orders"
  }
}

resource "azurerm_mssql_server_extended_auditing_policy" "computed" {
  server_id = azurerm_mssql_server.computed.id
  enabled = terraform_data.sql_policy.output.auditing
  storage_endpoint = data.azurerm_storage_account.audit.primary_blob_endpoint
  storage_account_access_key = data.azurerm_storage_account.audit.primary_access_key
  retention_in_days = 30
}

resource "azurerm_mssql_server_security_alert_policy" "computed" {
  resource_group_name = azurerm_resource_group.main.name
  server_name = azurerm_mssql_server.computed.name
  state = terraform_data.sql_policy.output.alerts
  email_account_admins = true
  email_addresses = [
    "secops@example.com",
  ]
}

resource "azurerm_mssql_server" "short_audit" {
  name = "sql-orders-test"
  resource_group_name = azurerm_resource_group.main.name
  location = "westeurope"
  version = "12.0"
  administrator_login = "sqladmin"
  administrator_login_password = random_password.sql_admin.result
  public_network_access_enabled = false
  tags = {
    "app" = "orders"
  }
}

resource "azurerm_mssql_server_extended_auditing_policy" "short_audit" {
  server_id = azurerm_mssql_server.short_audit.id
  storage_endpoint = data.azurerm_storage_account.audit.primary_blob_endpoint
  storage_account_access_key = data.azurerm_storage_account.audit.primary_access_key
  retention_in_days = 30
}

resource "azurerm_mssql_server_security_alert_policy" "short_audit" {
  resource_group_name = azurerm_resource_group.main.name
  server_name = azurerm_mssql_server.short_audit.name
  state = "Disabled"
  email_account_admins = true
  email_addresses = [
    "secops@example.com",
  ]
}

resource "azurerm_mssql_database" "orders" {
  name = "orders"
  server_id = azurerm_mssql_server.private.id
  sku_name = "GP_Gen5_2"
  max_size_gb = 32
  storage_account_type = "GeoZone"
  short_term_retention_policy {
    retention_days = 14
    backup_interval_in_hours = 12
  }
  long_term_retention_policy {
    weekly_retention = "P4W"
    monthly_retention = "P12M"
    yearly_retention = "P5Y"
    week_of_year = 1
    immutable_backups_enabled = false
  }
}

resource "azurerm_mssql_database" "defaults" {
  name = "orders-reporting"
  server_id = azurerm_mssql_server.private.id
  sku_name = "GP_Gen5_2"
  max_size_gb = 32
}

resource "azurerm_mssql_database" "warehouse" {
  name = "orders-dw"
  server_id = azurerm_mssql_server.private.id
  sku_name = "DW100c"
  max_size_gb = 1024
  transparent_data_encryption_enabled = false
  storage_account_type = terraform_data.sql_policy.output.backup_redundancy
}

resource "azurerm_mssql_database" "scratch" {
  name = "orders-scratch"
  server_id = azurerm_mssql_server.short_audit.id
  sku_name = "S0"
  max_size_gb = 10
  transparent_data_encryption_enabled = terraform_data.sql_policy.output.tde
  storage_account_type = "Local"
  short_term_retention_policy {
    retention_days = 3
    backup_interval_in_hours = 24
  }
  long_term_retention_policy {
    weekly_retention = "PT0S"
    monthly_retention = "PT0S"
    yearly_retention = "PT0S"
    week_of_year = 1
    immutable_backups_enabled = false
  }
}

data "azurerm_storage_account" "audit" {}

