# STARTTLS response injection (CVE-2020-14954 class): the server's OK and a
# forged capability line arrive in one write, before any TLS handshake.
# Nothing sent after the OK may be trusted: the session ends.
S: * OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED] ready
E: greeting OK [CAPABILITY (IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED)] ready
X: starttls
C: a1 STARTTLS
R: a1 OK Begin TLS negotiation now.\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n
E: done a1 STARTTLS OK Begin TLS negotiation now.
E: error protocol: server sent data after its STARTTLS reply, before the TLS handshake
X: show-state
E: state NOT_AUTHENTICATED tls=0 caps-known=0 in-flight=0
# A caller that starts TLS anyway finds the session failed.
X: tls-started
X: capability
E: refused usage: cannot send CAPABILITY now: the session failed
