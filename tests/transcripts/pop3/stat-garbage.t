# Counts are never trusted (CVE-2002-0146 class): "+OK abc octets" to STAT
# is a protocol error, not a number.
P: server=pop.example no-pipelining
S: +OK ready
C: CAPA
S: -ERR
E: ready no-capa
X: user alice secret
C: USER alice
S: +OK
C: PASS <<secret>>
S: +OK
E: logged-in
X: stat
C: STAT
S: +OK abc octets
E: error protocol: *malformed STAT reply from the server: "abc octets"*
