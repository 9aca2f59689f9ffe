# A multi-line 334 is not a challenge: the session ends.
P: server=evil.example
S: 220 evil.example ESMTP
C: EHLO client.example.org
S: 250-evil.example
S: 250 AUTH LOGIN
E: ready AUTH=LOGIN
X: auth LOGIN
C: AUTH LOGIN
S: 334-VXNlcm5hbWU6
S: 334 VXNlcm5hbWU6
E: error protocol: *malformed AUTH challenge*
