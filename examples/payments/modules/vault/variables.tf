variable "name_prefix" {
  type        = string
  description = "Prefix for every vault resource name"
}

variable "deletion_window_in_days" {
  type    = number
  default = 30
}
