# A greeting over line-max is a protocol error.
P: server=pop.example line-max=64
S: +OK 0123456789012345678901234567890123456789012345678901234567890
E: error protocol: *server response line longer than 64 bytes*
