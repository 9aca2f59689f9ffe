# Challenges without end: after auth-rounds of them the session stops.
P: server=evil.example auth-rounds=3
S: 220 evil.example ESMTP
C: EHLO client.example.org
S: 250-evil.example
S: 250 AUTH LOGIN
E: ready AUTH=LOGIN
X: auth LOGIN
C: AUTH LOGIN
S: 334 VXNlcm5hbWU6
E: auth-challenge "VXNlcm5hbWU6"
X: respond YWxpY2U=
C: <<YWxpY2U=>>
S: 334 UGFzc3dvcmQ6
E: auth-challenge "UGFzc3dvcmQ6"
X: respond c2VjcmV0
C: <<c2VjcmV0>>
S: 334 UGFzc3dvcmQ6
E: auth-challenge "UGFzc3dvcmQ6"
X: respond c2VjcmV0
C: <<c2VjcmV0>>
S: 334 UGFzc3dvcmQ6
E: error protocol: *sent more than 3 AUTH challenges*
