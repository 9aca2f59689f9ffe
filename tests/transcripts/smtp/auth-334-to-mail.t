# CVE-2025-61962: a 334 in answer to MAIL FROM ends the session; no secret
# goes to a stray prompt.
P: server=evil.example
S: 220 evil.example ESMTP
C: EHLO client.example.org
S: 250 evil.example
E: ready
X: mail from=alice@example.org to=bob@example.org
C: MAIL FROM:<alice@example.org>
S: 334 UGFzc3dvcmQ6
E: error protocol: *unexpected reply to MAIL*
X: msg-state
E: msg-state not-sent
