# A SCRAM exchange where the caller gives up: the challenge comes as an
# event, "*" goes out, the server answers BAD.  Nothing for SCRAM is held
# back without TLS, since it does not reveal the password.
S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=SCRAM-SHA-256] ready
E: greeting OK *
X: authenticate SCRAM-SHA-256 biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM
C: a1 AUTHENTICATE SCRAM-SHA-256 <<biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM>>
S: + cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0wzcmZjTkhZSlkxWlZ2V1ZzN2oscz1RU1hDUitRNnNlazhiZjkyLGk9NDA5Ng==
E: continue 1 AUTHENTICATE cj1meWtvK2QybGJiRmdPTlJ2OXFreGRhd0wzcmZjTkhZSlkxWlZ2V1ZzN2oscz1RU1hDUitRNnNlazhiZjkyLGk9NDA5Ng==
X: auth-response "not base64!"
E: refused usage: SASL response is not base64
X: auth-response *
C: <<*>>
S: a1 BAD AUTHENTICATE cancelled
E: done a1 AUTHENTICATE BAD AUTHENTICATE cancelled
X: show-state
E: state NOT_AUTHENTICATED tls=0 caps-known=1 in-flight=0
