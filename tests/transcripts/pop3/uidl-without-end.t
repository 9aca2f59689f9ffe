# A list that never ends stops at lines-max (NeoMutt 158fd5234).
P: server=pop.example lines-max=5
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
X: uidl
C: UIDL
S: +OK
S: 1 uid-1
S: 2 uid-2
S: 3 uid-3
S: 4 uid-4
S: 5 uid-5
S: 6 uid-6
S: 7 uid-7
E: uidl 1 uid-1
E: uidl 2 uid-2
E: uidl 3 uid-3
E: uidl 4 uid-4
E: uidl 5 uid-5
E: error protocol: *sent more than 5 lines for UIDL*
