# Hostile unique-ids (CVE-2005-2335, CVE-2018-14356, CVE-2018-14362): a
# malformed one is reported as missing for that message, the listing goes
# on.  A path-like one is valid text: whoever stores it hashes it.
P: server=pop.example
S: +OK ready
C: CAPA
S: +OK
S: UIDL
S: PIPELINING
S: .
E: ready UIDL PIPELINING
X: user alice secret
C: USER alice
C: PASS <<secret>>
S: +OK
S: +OK
E: logged-in
X: uidl
C: UIDL
S: +OK
S: 1 good-uid
S: 2
S: 3 a1234567890123456789012345678901234567890123456789012345678901234567890
S: 4 ../../../../tmp/pwned
S: 5 has space
S: 6 a\x7fb
S: 7 \xc3\xa9t\xc3\xa9
S: 8 x
S: .
E: uidl 1 good-uid
E: uidl 2 invalid: message 2 has no unique-id
E: uidl 3 invalid: message 3 has a malformed unique-id
E: uidl 4 ../../../../tmp/pwned
E: uidl 5 invalid: message 5 has a malformed unique-id
E: uidl 6 invalid: message 6 has a malformed unique-id
E: uidl 7 invalid: message 7 has a malformed unique-id
E: uidl 8 x
E: done UIDL
# A message number that is not one ends the session.
X: uidl
C: UIDL
S: +OK
S: abc def
E: error protocol: *malformed UIDL line*
