a = <<-A
  x ${<<-B
    y
    B
}
  A
b = x.*.y[0].0.1
c = provider::p::f(1, [2]...)
