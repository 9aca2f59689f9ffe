# APOP (RFC 1939 section 7, its own example): the session exposes the
# greeting's timestamp and sends the digest the caller computed, marked
# secret.
P: server=mail.example
S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
C: CAPA
S: -ERR unknown command
E: ready no-capa
X: timestamp
E: timestamp <1896.697170952@dbc.mtview.ca.us>
X: apop mrose c4c9334bac560ecc979e58001b3e22fb
C: APOP mrose <<c4c9334bac560ecc979e58001b3e22fb>>
S: +OK maildrop has 1 message (369 octets)
E: logged-in maildrop has 1 message (369 octets)
X: apop mrose c4c9334bac560ecc979e58001b3e22fb
E: refused internal: *not allowed in POP3 state TRANSACTION*
