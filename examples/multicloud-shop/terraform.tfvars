azure_subscription_id     = "5b3f8c2e-9d41-4a7b-8e06-2c7d1f9a4b63"
azure_tenant_id           = "8e2d4c6a-1f3b-4d5e-9a7c-0b2e4f6a8c1d"
sql_admin_group_object_id = "c7a1e3f5-2b4d-4c6e-8a0b-1d3f5e7a9c2b"
