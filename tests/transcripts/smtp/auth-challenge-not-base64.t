# CVE-2025-61962 and CVE-2018-14359: hostile 334 challenges end the
# session before any secret is sent to them.
# Not base64:
P: server=evil.example
S: 220 evil.example ESMTP
C: EHLO client.example.org
S: 250-evil.example
S: 250 AUTH CRAM-MD5
E: ready AUTH=CRAM-MD5
X: auth CRAM-MD5
C: AUTH CRAM-MD5
S: 334 !!!not base64
E: error protocol: *malformed AUTH challenge*
