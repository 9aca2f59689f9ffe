# With PIPELINING, a refused USER makes the PASS already sent harmless:
# its answer is swallowed, one failed event only.
P: server=pop.example
S: +OK ready
C: CAPA
S: +OK
S: PIPELINING
S: .
E: ready PIPELINING
X: user mallory secret
C: USER mallory
C: PASS <<secret>>
S: -ERR [AUTH] no such user
S: -ERR [AUTH] no such user
E: failed USER authentication [AUTH]: server pop.example refused USER: [AUTH] no such user
X: noop
E: refused internal: *not allowed in POP3 state AUTHORIZATION*
