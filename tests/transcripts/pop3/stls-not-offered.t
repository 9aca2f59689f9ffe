# STLS required (CVE-2006-5867, CVE-2021-39272) and not in CAPA: the
# session stops before USER, PASS or AUTH.
P: server=pop.example stls
S: +OK ready
C: CAPA
S: +OK
S: USER
S: UIDL
S: .
E: error unsupported: *server pop.example does not offer STLS*
