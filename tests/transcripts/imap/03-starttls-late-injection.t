# Plaintext that arrives after the STARTTLS OK, in a later segment, but
# before the caller switched to TLS, is injection as well.  And LOGIN stays
# refused while LOGINDISABLED is announced.
P: allow-plaintext
S: * OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED] ready
E: greeting OK *
X: login alice secret
E: refused unsupported: the server disabled LOGIN (LOGINDISABLED)
X: starttls
C: a1 STARTTLS
S: a1 OK Begin TLS negotiation now.
E: done a1 STARTTLS OK Begin TLS negotiation now.
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected
E: error protocol: server sent data after its STARTTLS reply, before the TLS handshake
