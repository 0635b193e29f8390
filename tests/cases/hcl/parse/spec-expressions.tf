# Expression forms from hclsyntax/spec.md and Terraform's expression docs.
splat_attr   = tuple.*.foo.bar[0]
splat_full   = tuple[*].foo.bar[0]
for_tuple    = [for v in ["a", "b"]: v]
for_index    = [for i, v in ["a", "b"]: i]
for_object   = {for i, v in ["a", "b"]: v => i}
for_group    = {for i, v in ["a", "a", "b"]: v => i...}
for_filter   = [for s in var.list : upper(s) if s != ""]
cond         = var.a != "" ? var.a : "default-a"
arith        = 1 + 2 * 3 - 4 / 5 % 6
logic        = !true || false && 1 < 2 == 3 >= 4
neg          = -5
expand       = min([55, 2453, 2]...)
provider_fn  = provider::terraform::encode_tfvars({ a = 1 })
legacy_index = aws_instance.web.0.id
paren        = (1 + 2) * 3
nested = {
  list   = [1, 2.5, true, null, "s"]
  "key"  = "quoted"
  (var.k) = "computed key"
  a.b    = "traversal key"
}
