# CVE-2007-1558: a timestamp that is not a msg-id makes APOP unavailable.
P: server=mail.example
S: +OK ready <not-a-msg-id>
C: CAPA
S: -ERR
E: ready no-capa
X: timestamp
E: timestamp none
X: apop mrose c4c9334bac560ecc979e58001b3e22fb
E: refused unsupported: *offers no APOP*
