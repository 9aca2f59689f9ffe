# PREAUTH on a plaintext connection when TLS is required: STARTTLS is no
# longer possible, so the session refuses to go on (CVE-2020-14093 class).
P: require-tls
S: * PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] ready
E: error tls: server greeted with PREAUTH on a connection without TLS, which is required
