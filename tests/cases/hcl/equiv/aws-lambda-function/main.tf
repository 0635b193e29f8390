resource "aws_lambda_function" "api" {
  architectures = [
    "arm64",
  ]
  dead_letter_config = []
  description = ""
  environment {
    variables = {
      "TABLE_NAME" = "orders"
    }
  }
  ephemeral_storage {
    size = 512
  }
  file_system_config = []
  function_name = "orders-api"
  handler = "app.handler"
  kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
  memory_size = 256
  package_type = "Zip"
  publish = false
  reserved_concurrent_executions = -1
  role = "arn:aws:iam::111122223333:role/orders-lambda"
  runtime = "python3.13"
  s3_bucket = "orders-artifacts-111122223333"
  s3_key = "orders-api.zip"
  skip_destroy = false
  timeout = 30
  tracing_config {
    mode = "Active"
  }
  vpc_config = []
}

resource "aws_lambda_function_url" "api" {
  authorization_type = "AWS_IAM"
  cors = []
  invoke_mode = "BUFFERED"
  function_name = aws_lambda_function.api.function_name
}

resource "aws_lambda_function" "report" {
  architectures = [
    "arm64",
  ]
  dead_letter_config = []
  description = ""
  environment {
    variables = {
      "REPORT_BUCKET" = "orders-reports-111122223333"
    }
  }
  ephemeral_storage {
    size = 512
  }
  file_system_config = []
  function_name = "orders-report"
  handler = "app.handler"
  memory_size = 256
  package_type = "Zip"
  publish = false
  reserved_concurrent_executions = -1
  role = "arn:aws:iam::111122223333:role/orders-lambda"
  runtime = "nodejs16.x"
  s3_bucket = "orders-artifacts-111122223333"
  s3_key = "orders-report.zip"
  skip_destroy = false
  timeout = 30
  tracing_config {
    mode = "PassThrough"
  }
  vpc_config = []
}

resource "aws_lambda_function_url" "report" {
  authorization_type = "NONE"
  cors = []
  invoke_mode = "BUFFERED"
  function_name = aws_lambda_function.report.function_name
}

resource "aws_lambda_function" "partner" {
  architectures = [
    "arm64",
  ]
  dead_letter_config = []
  description = ""
  environment {
    variables = {
      "PARTNER_ENDPOINT" = "https://partner.example.com"
    }
  }
  ephemeral_storage {
    size = 512
  }
  file_system_config = []
  function_name = "orders-partner"
  handler = "app.handler"
  memory_size = 256
  package_type = "Zip"
  publish = false
  reserved_concurrent_executions = -1
  role = "arn:aws:iam::111122223333:role/orders-lambda"
  s3_bucket = "orders-artifacts-111122223333"
  s3_key = "orders-partner.zip"
  skip_destroy = false
  timeout = 30
  tracing_config {
    mode = data.terraform_data.partner.output
  }
  vpc_config = []
  runtime = data.terraform_data.partner.output
  kms_key_arn = data.aws_kms_key.partner.arn
}

resource "aws_lambda_function_url" "partner" {
  cors = []
  invoke_mode = "BUFFERED"
  authorization_type = data.terraform_data.partner.output
  function_name = aws_lambda_function.partner.function_name
}

resource "aws_lambda_function" "thumbnailer" {
  architectures = [
    "arm64",
  ]
  dead_letter_config = []
  description = ""
  environment = []
  ephemeral_storage {
    size = 512
  }
  file_system_config = []
  function_name = "thumbnailer"
  image_uri = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/thumbnailer:1.4.2"
  memory_size = 256
  package_type = "Image"
  publish = false
  reserved_concurrent_executions = -1
  role = "arn:aws:iam::111122223333:role/orders-lambda"
  skip_destroy = false
  timeout = 30
  tracing_config {
    mode = "PassThrough"
  }
  vpc_config = []
}

data "aws_kms_key" "partner" {}

data "terraform_data" "partner" {}
