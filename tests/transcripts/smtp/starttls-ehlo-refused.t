# STARTTLS required and EHLO refused: no HELO fall-back in plain text.
P: server=smtp.example.org starttls
S: 220 smtp.example.org ESMTP
C: EHLO client.example.org
S: 502 5.5.2 Error: command not recognized
E: error unsupported: *refused EHLO: 502 5.5.2 Error: command not recognized*
