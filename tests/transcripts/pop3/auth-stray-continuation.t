# A continuation where none can be (after USER): protocol error.
P: server=evil.example
S: +OK ready
C: CAPA
S: -ERR
E: ready no-capa
X: user alice secret
C: USER alice
S: + send the password
E: error protocol: *malformed status line from the server: "+ send the password"*
