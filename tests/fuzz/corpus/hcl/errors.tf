a = [1 2]
b = 2
c = 
blk "l" {
  d = )
}
