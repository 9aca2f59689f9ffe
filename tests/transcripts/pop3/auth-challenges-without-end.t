# Challenges without end: after auth-rounds of them the session stops.
P: server=evil.example auth-rounds=2
S: +OK ready
C: CAPA
S: -ERR
E: ready no-capa
X: auth LOGIN
C: AUTH LOGIN
S: + VXNlcm5hbWU6
E: auth-challenge "VXNlcm5hbWU6"
X: respond YWxpY2U=
C: <<YWxpY2U=>>
S: + UGFzc3dvcmQ6
E: auth-challenge "UGFzc3dvcmQ6"
X: respond c2VjcmV0
C: <<c2VjcmV0>>
S: + UGFzc3dvcmQ6
E: error protocol: *sent more than 2 AUTH challenges*
