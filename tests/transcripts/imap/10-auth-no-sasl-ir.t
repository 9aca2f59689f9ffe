# A server without SASL-IR: the initial response waits for the first "+",
# and is secret; a later challenge goes to the caller; "*" cancels.
P: tls
S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=SCRAM-SHA-256] ready
E: greeting OK *
X: authenticate PLAIN AGFsaWNlAHNlY3JldA==
C: a1 AUTHENTICATE PLAIN
S: + 
C: <<AGFsaWNlAHNlY3JldA==>>
S: a1 OK Logged in
E: done a1 AUTHENTICATE OK Logged in
X: show-state
E: state AUTHENTICATED tls=1 caps-known=0 in-flight=0
# Capabilities change with login; until asked again nothing is assumed.
X: idle
E: refused usage: the server's capabilities are not known (ask CAPABILITY first; IDLE is needed)
X: capability
C: a2 CAPABILITY
S: * CAPABILITY IMAP4rev1 IDLE
S: a2 OK done
E: data CAPABILITY (IMAP4rev1 IDLE)
E: done a2 CAPABILITY OK done
X: namespace
E: refused unsupported: the server does not offer NAMESPACE
X: logout
C: a3 LOGOUT
S: * BYE bye
S: a3 OK done
E: bye bye
E: done a3 LOGOUT OK done
