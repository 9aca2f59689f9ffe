# Dovecot 2.3.19 with STARTTLS.  Capabilities learnt in clear are dropped
# at STARTTLS; no password goes out before TLS; the post-login
# capabilities come as an untagged CAPABILITY before the LOGIN OK.
P: require-tls
S: * OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.
E: greeting OK [CAPABILITY (IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN)] Dovecot (Debian) ready.
X: login alice secret
E: refused tls: refusing to send a password over a connection without TLS
X: authenticate PLAIN AGFsaWNlAHNlY3JldA==
E: refused tls: refusing to send a password over a connection without TLS
X: namespace
E: refused unsupported: the server does not offer NAMESPACE
X: can-send id
E: can-send id: TLS is required and not established yet
X: capability
C: a1 CAPABILITY
S: * CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN
S: a1 OK Pre-login capabilities listed, post-login capabilities have more.
E: data CAPABILITY (IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN)
E: done a1 CAPABILITY OK Pre-login capabilities listed, post-login capabilities have more.
X: starttls
C: a2 STARTTLS
X: can-send capability
E: can-send capability: a command that must complete alone is in flight
S: a2 OK Begin TLS negotiation now.
E: done a2 STARTTLS OK Begin TLS negotiation now.
X: show-state
E: state NOT_AUTHENTICATED tls=0 caps-known=0 in-flight=0
X: capability
E: refused usage: cannot send CAPABILITY now: waiting for the TLS handshake after STARTTLS
# (TLS handshake)
X: tls-started
X: capability
C: a3 CAPABILITY
S: * CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN AUTH=LOGIN
S: a3 OK Pre-login capabilities listed, post-login capabilities have more.
E: data CAPABILITY (IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN AUTH=LOGIN)
E: done a3 CAPABILITY OK *
X: starttls
E: refused usage: the connection is under TLS already
X: login alice "pass word\\"
C: a4 LOGIN alice <<"pass word\\">>
S: * CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE
S: a4 OK Logged in
E: data CAPABILITY (IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT * SPECIAL-USE)
E: done a4 LOGIN OK Logged in
X: show-state
E: state AUTHENTICATED tls=1 caps-known=1 in-flight=0
X: namespace
C: a5 NAMESPACE
S: * NAMESPACE (("" "/")) NIL NIL
S: a5 OK Namespace completed (0.001 + 0.000 secs).
E: data NAMESPACE (("" '/')) NIL NIL
E: done a5 NAMESPACE OK Namespace completed (0.001 + 0.000 secs).
X: logout
C: a6 LOGOUT
S: * BYE Logging out
S: a6 OK Logout completed (0.001 + 0.000 secs).
E: bye Logging out
E: done a6 LOGOUT OK Logout completed (0.001 + 0.000 secs).
X: eof
X: show-state
E: state LOGOUT tls=1 caps-known=1 in-flight=0
