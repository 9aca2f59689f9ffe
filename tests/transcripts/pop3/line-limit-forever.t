# A line that never ends is stopped at the default line limit.
P: server=pop.example
S* 100000 +
E: error protocol: *server response line longer than 4096 bytes*
