# A timestamp with two "@" is not a msg-id.
P: server=mail.example
S: +OK ready <a@b@c>
C: CAPA
S: -ERR
E: ready no-capa
X: timestamp
E: timestamp none
