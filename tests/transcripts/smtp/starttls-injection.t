# CVE-2020-14954: a server (or a man in the middle) sends plain text after
# STARTTLS's 220 in the same packet.  Nothing of it may be parsed: the
# session stops reading at the 220, the caller drops the buffered bytes,
# and after the handshake only the new EHLO reply counts (no PIPELINING,
# no AUTH PLAIN from the injected lines).
P: server=smtp.example.org starttls
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250-STARTTLS
S: 250 8BITMIME
C: STARTTLS
R: 220 2.0.0 Ready to start TLS\r\n250-injected.example\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n
E: starttls
X: discard
E: discarded 54
X: tls-started
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250-AUTH SCRAM-SHA-256
S: 250 8BITMIME
E: ready 8BITMIME AUTH=SCRAM-SHA-256
X: auth PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA==
E: refused unsupported: *does not offer the PLAIN mechanism*
