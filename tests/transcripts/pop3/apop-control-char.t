# A timestamp with a control character is not one.
P: server=mail.example
S: +OK ready <a@b\x01c>
C: CAPA
S: -ERR
E: ready no-capa
X: timestamp
E: timestamp none
