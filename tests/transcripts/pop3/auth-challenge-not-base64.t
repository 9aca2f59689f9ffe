# A challenge that is not base64: the session ends before answering.
P: server=evil.example
S: +OK ready
C: CAPA
S: -ERR
E: ready no-capa
X: auth CRAM-MD5
C: AUTH CRAM-MD5
S: + !!!
E: error protocol: *malformed AUTH challenge*
