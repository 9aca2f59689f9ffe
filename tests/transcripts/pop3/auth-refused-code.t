# AUTH refused with a response code.
P: server=pop.petrel.test
S: +OK Dovecot (Debian) ready.
C: CAPA
S: -ERR
E: ready no-capa
X: auth PLAIN AGFsaWNlAHdyb25n
C: AUTH PLAIN <<AGFsaWNlAHdyb25n>>
S: -ERR [AUTH] Authentication failed.
E: failed AUTH authentication [AUTH]: server pop.petrel.test refused AUTH: [AUTH] Authentication failed.
