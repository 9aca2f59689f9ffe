# The greeting itself can be a refusal.
P: server=pop.example
S: -ERR [SYS/TEMP] too many connections
E: error rejected: *server pop.example refused the connection*
