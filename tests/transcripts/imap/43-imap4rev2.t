# IMAP4rev2 (RFC 9051) once enabled: the folded-in extensions are there
# without being listed (LIST-EXTENDED, LIST-STATUS, MOVE, LITERAL-...),
# names are UTF-8, search strings need no CHARSET, and small literals are
# non-synchronising (LITERAL-), large ones still wait for "+".
P: tls
S: * OK [CAPABILITY IMAP4rev1 IMAP4rev2 ENABLE AUTH=PLAIN] ready
E: greeting OK *
X: login alice secret
C: a1 LOGIN alice <<secret>>
S: a1 OK [CAPABILITY IMAP4rev1 IMAP4rev2 ENABLE] Logged in
E: done a1 LOGIN OK *
X: list "" * status=MESSAGES
E: refused unsupported: the server does not offer LIST-EXTENDED
X: enable IMAP4rev2
C: a2 ENABLE IMAP4rev2
S: * ENABLED IMAP4rev2
S: a2 OK enabled
E: data ENABLED (IMAP4rev2)
E: done a2 ENABLE OK enabled
X: list "" * status=MESSAGES special-use
C: a3 LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES))
S: * LIST (\HasNoChildren \Drafts) "/" "Entwürfe"
S: * STATUS "Entwürfe" (MESSAGES 1)
S: a3 OK done
E: data LIST (\\HasNoChildren \\Drafts)=0x900 '/' "Entw\xc3\xbcrfe"
E: data STATUS "Entw\xc3\xbcrfe" messages=1
E: done a3 LIST OK done
X: select "u8:Entw\xc3\xbcrfe"
C: a4 SELECT "Entwürfe"
S: * 1 EXISTS
S: a4 OK [READ-WRITE] done
E: exists 1
E: done a4 SELECT OK [READ-WRITE] done
X: uid-search return=COUNT SUBJECT "=caf\xc3\xa9" BODY "=two\r\nlines"
C: a5 UID SEARCH RETURN (COUNT) SUBJECT "café" BODY {10+}
C: two
C: lines
S: * ESEARCH (TAG "a5") UID COUNT 0
S: a5 OK done
E: data ESEARCH tag=a5 uid count=0
E: done a5 UID SEARCH OK done
X: uid-move 1 Trash
C: a6 UID MOVE 1 Trash
S: * OK [COPYUID 7 1 3] moved
S: * 1 EXPUNGE
S: a6 OK done
E: notice OK [COPYUID 7 1 3] moved
E: expunge 1
E: done a6 UID MOVE OK done
