# A digest that is not 32 hex digits is refused before anything is sent.
P: server=mail.example
S: +OK ready <1.2@host>
C: CAPA
S: -ERR
E: ready no-capa
X: apop mrose C4C9334BAC560ECC979E58001B3E22FB
E: refused internal: *32 lower-case hex digits*
X: apop mrose c4c9
E: refused internal: *32 lower-case hex digits*
