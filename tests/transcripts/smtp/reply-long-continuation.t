# A continuation line without end, with a smaller line limit.
P: server=evil.example line-max=512
S: 220 evil.example ESMTP
C: EHLO client.example.org
R: 250-evil.example\r\n250-
S* 1000 X
E: error protocol: *server reply line longer than 512 bytes*
