# BYE while APPEND waits for its "+": the message is never sent.
P: tls
S: * OK [CAPABILITY IMAP4rev1] ready
E: greeting OK *
X: login alice secret
C: a1 LOGIN alice <<secret>>
S: a1 OK Logged in
E: done a1 LOGIN OK Logged in
X: append INBOX "Subject: x\r\n\r\nbody\r\n"
C: a2 APPEND INBOX {20}
S: * BYE Disconnecting
E: bye Disconnecting
X: eof
