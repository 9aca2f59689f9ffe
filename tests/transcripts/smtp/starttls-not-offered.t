# STARTTLS required and not offered: nothing more is sent (no HELO
# fall-back, no AUTH, no MAIL in plain text).
P: server=smtp.example.org starttls
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250-AUTH PLAIN LOGIN
S: 250 8BITMIME
E: error unsupported: *server smtp.example.org does not offer STARTTLS*
