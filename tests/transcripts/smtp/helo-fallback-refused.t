# No HELO fall-back when extensions are required.
P: server=old.example.org require-ehlo
S: 220 old.example.org SMTP ready
C: EHLO client.example.org
S: 500 Command unrecognized
E: error unsupported: *refused EHLO*
