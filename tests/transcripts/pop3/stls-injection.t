# CVE-2020-14954 for POP3: plain text after the +OK to STLS, in the same
# packet, is never parsed; after the handshake only the new CAPA counts.
P: server=pop.example stls
S: +OK Dovecot (Debian) ready.
C: CAPA
S: +OK
S: STLS
S: .
C: STLS
R: +OK Begin TLS negotiation now.\r\n+OK injected\r\n+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n
E: stls Begin TLS negotiation now.
X: discard
E: discarded 40
X: tls-started
C: CAPA
S: +OK
S: SASL SCRAM-SHA-256
S: .
E: ready SASL=SCRAM-SHA-256
X: auth PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA==
E: refused unsupported: *does not offer the PLAIN mechanism*
