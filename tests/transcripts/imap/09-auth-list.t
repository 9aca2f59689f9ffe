# Dovecot 2.3.19: AUTHENTICATE answered step by step (a failure, then a
# success), mailbox names in modified UTF-7, LIST-EXTENDED with
# LIST-STATUS and SPECIAL-USE, LIST (SUBSCRIBED), RENAME, STATUS, ID.
P: tls
S: * OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.
E: greeting OK *
X: authenticate PLAIN
C: a1 AUTHENTICATE PLAIN
S: + 
E: continue 1 AUTHENTICATE 
X: auth-response AGFsaWNlAHdyb25n
C: <<AGFsaWNlAHdyb25n>>
S: a1 NO [AUTHENTICATIONFAILED] Authentication failed.
E: done a1 AUTHENTICATE NO [?AUTHENTICATIONFAILED] Authentication failed.
X: show-state
E: state NOT_AUTHENTICATED tls=1 caps-known=1 in-flight=0
X: auth-response AGFsaWNlAHNlY3JldA==
E: refused usage: no AUTHENTICATE in flight
X: authenticate PLAIN "AGFsaWNlAHNlY3JldA=="
C: a2 AUTHENTICATE PLAIN <<AGFsaWNlAHNlY3JldA==>>
S: a2 OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE] Logged in
E: done a2 AUTHENTICATE OK *
X: select Nonexistent
C: a3 SELECT Nonexistent
S: a3 NO Mailbox doesn't exist: Nonexistent (0.001 + 0.000 secs).
E: done a3 SELECT NO Mailbox doesn't exist: Nonexistent (0.001 + 0.000 secs).
X: show-state
E: state AUTHENTICATED tls=1 caps-known=1 in-flight=0
X: create "u8:Entw\xc3\xbcrfe/Alt"
C: a4 CREATE Entw&APw-rfe/Alt
S: a4 OK Create completed (0.004 + 0.000 + 0.003 secs).
E: done a4 CREATE OK *
X: list "" * children special-use status=MESSAGES,UNSEEN,UIDNEXT
C: a5 LIST "" "*" RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UIDNEXT UNSEEN))
S: * LIST (\NonExistent \HasChildren) "/" Entw&APw-rfe
S: * LIST (\HasNoChildren) "/" Entw&APw-rfe/Alt
S: * STATUS Entw&APw-rfe/Alt (MESSAGES 0 UIDNEXT 1 UNSEEN 0)
S: * LIST (\HasNoChildren \Archive) "/" Archive
S: * STATUS Archive (MESSAGES 2 UIDNEXT 3 UNSEEN 1)
S: * LIST (\HasNoChildren \Drafts) "/" Drafts
S: * STATUS Drafts (MESSAGES 0 UIDNEXT 1 UNSEEN 0)
S: * LIST (\HasNoChildren \Trash) "/" Trash
S: * STATUS Trash (MESSAGES 1 UIDNEXT 2 UNSEEN 1)
S: * LIST (\HasNoChildren \Sent) "/" Sent
S: * STATUS Sent (MESSAGES 0 UIDNEXT 1 UNSEEN 0)
S: * LIST (\HasNoChildren) "/" INBOX
S: * STATUS INBOX (MESSAGES 2 UIDNEXT 5 UNSEEN 2)
S: a5 OK List completed (0.019 + 0.000 + 0.018 secs).
E: data LIST (\\NonExistent \\HasChildren)=0x90 '/' "Entw\xc3\xbcrfe" raw="Entw&APw-rfe"
E: data LIST (\\HasNoChildren)=0x100 '/' "Entw\xc3\xbcrfe/Alt" raw="Entw&APw-rfe/Alt"
E: data STATUS "Entw\xc3\xbcrfe/Alt" raw="Entw&APw-rfe/Alt" messages=0 uidnext=1 unseen=0
E: data LIST (\\HasNoChildren \\Archive)=0x500 '/' "Archive"
E: data STATUS "Archive" messages=2 uidnext=3 unseen=1
E: data LIST (\\HasNoChildren \\Drafts)=0x900 '/' "Drafts"
E: data STATUS "Drafts" messages=0 uidnext=1 unseen=0
E: data LIST (\\HasNoChildren \\Trash)=0x8100 '/' "Trash"
E: data STATUS "Trash" messages=1 uidnext=2 unseen=1
E: data LIST (\\HasNoChildren \\Sent)=0x4100 '/' "Sent"
E: data STATUS "Sent" messages=0 uidnext=1 unseen=0
E: data LIST (\\HasNoChildren)=0x100 '/' "INBOX"
E: data STATUS "INBOX" messages=2 uidnext=5 unseen=2
E: done a5 LIST OK *
X: list "" * subscribed
C: a6 LIST (SUBSCRIBED) "" "*"
S: * LIST (\Subscribed) "/" Sent
S: * LIST (\Subscribed) "/" Trash
S: a6 OK List completed (0.001 + 0.000 secs).
E: data LIST (\\Subscribed)=0x20 '/' "Sent"
E: data LIST (\\Subscribed)=0x20 '/' "Trash"
E: done a6 LIST OK *
X: rename "u8:Entw\xc3\xbcrfe/Alt" "u8:Entw\xc3\xbcrfe/Neu"
C: a7 RENAME Entw&APw-rfe/Alt Entw&APw-rfe/Neu
S: a7 OK Rename completed (0.001 + 0.000 secs).
E: done a7 RENAME OK *
X: status INBOX MESSAGES,UIDNEXT,UIDVALIDITY,UNSEEN,HIGHESTMODSEQ,SIZE
C: a8 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN SIZE HIGHESTMODSEQ)
S: * STATUS INBOX (MESSAGES 2 UIDNEXT 5 UIDVALIDITY 1795368962 UNSEEN 2 HIGHESTMODSEQ 10 SIZE 298)
S: a8 OK Status completed (0.001 + 0.000 secs).
E: data STATUS "INBOX" messages=2 uidnext=5 uidvalidity=1795368962 unseen=2 size=298 highestmodseq=10
E: done a8 STATUS OK *
X: id name petrel
C: a9 ID ("name" "petrel")
S: * ID ("name" "Dovecot")
S: a9 OK ID completed (0.001 + 0.000 secs).
E: data ID "name"="Dovecot"
E: done a9 ID OK *
X: delete "u8:Entw\xc3\xbcrfe/Neu"
C: a10 DELETE Entw&APw-rfe/Neu
S: a10 OK Delete completed (0.024 + 0.000 + 0.023 secs).
E: done a10 DELETE OK *
X: subscribe "Sent Items"
C: a11 SUBSCRIBE "Sent Items"
S: a11 NO Mailbox doesn't exist: Sent Items (0.001 + 0.000 secs).
E: done a11 SUBSCRIBE NO *
