# STARTTLS required and refused (454): the session ends.
P: server=smtp.example.org starttls
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 250-smtp.example.org
S: 250 STARTTLS
C: STARTTLS
S: 454 4.7.0 TLS not available due to local problem
E: error tls: *refused STARTTLS: 454 4.7.0 TLS not available due to local problem*
