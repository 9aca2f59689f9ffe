# The connection drops in the middle of a multi-line reply.
P: server=smtp.example.org
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250-smtp.example.org
R: 250-PIPEL
X: eof
E: error connection: *closed the connection*
