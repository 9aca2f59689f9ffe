# A CAPA line over line-max is a protocol error.
P: server=pop.example line-max=64
S: +OK ready
C: CAPA
S: +OK
S: TOP
S: IMPLEMENTATION this implementation name is longer than sixty-four bytes, far longer
E: error protocol: *server response line longer than 64 bytes*
