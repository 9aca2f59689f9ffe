/*
 * The IMAP response parser: every response kind, every response code, the
 * typed decoders, streaming, and every error path.  Each input is parsed
 * whole, split once at every byte, and fed one byte at a time; all three
 * must give the same responses.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-arena.h"
#include "base/base-str.h"
#include "imap-test-util.h"
#include "imap/imap-parser.h"
#include "test-common.h"

static const struct imap_parser_params *cur_params;
static int cur_utf8;

/* Parses `in` every way and compares with `want`. */
static void
check_len(const char *in, size_t len, const char *want)
{
	struct str whole = STR_INIT, split = STR_INIT, bytes = STR_INIT;
	size_t bad_at = 0;

	imap_test_parse(in, len, cur_params, cur_utf8, 0, 0, &whole);
	test_assert_str(str_cstr(&whole), want);
	for (size_t k = 1; k < len; k++) {
		str_reset(&split);
		imap_test_parse(in, len, cur_params, cur_utf8, k, 0, &split);
		if (strcmp(str_cstr(&split), str_cstr(&whole)) != 0) {
			bad_at = k;
			break;
		}
	}
	if (bad_at)
		printf("# split at %zu gave:\n# %s\n", bad_at, str_cstr(&split));
	test_assert(bad_at == 0);
	imap_test_parse(in, len, cur_params, cur_utf8, 0, 1, &bytes);
	test_assert_str(str_cstr(&bytes), str_cstr(&whole));
	str_free(&whole);
	str_free(&split);
	str_free(&bytes);
}

static void
check(const char *in, const char *want)
{
	check_len(in, strlen(in), want);
}

/* For inputs holding NUL bytes. */
#define CHECK_BIN(lit, want) check_len(lit, sizeof(lit) - 1, want)

static void
test_status_responses(void)
{
	test_begin("tagged, untagged status and continuation responses");
	check("a1 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n",
	      "tagged a1 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\n");
	check("a2 NO\r\na3 BAD \r\na4 OK\r\n", "tagged a2 NO \ntagged a3 BAD \ntagged a4 OK \n");
	check("A0001 no [TRYCREATE] Mailbox doesn't exist: Foo\r\n",
	      "tagged A0001 NO [TRYCREATE] Mailbox doesn't exist: Foo\n");
	check("+ idling\r\n+\r\n+ \r\n+ YWJj\r\n", "+ idling\n+ \n+ \n+ YWJj\n");
	check("", "");
	check("* OK [ALERT] System shutdown in 10 minutes\r\n",
	      "* OK [ALERT] System shutdown in 10 minutes\n");
	check("* BYE Logging out\r\n* NO [OVERQUOTA] quota exceeded\r\n* BAD what\r\n",
	      "* BYE Logging out\n* NO [?OVERQUOTA] quota exceeded\n* BAD what\n");
	check("* PREAUTH [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+] Logged in as nobody\r\n",
	      "* PREAUTH [CAPABILITY (IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+)] Logged in as "
	      "nobody\n");
	check("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED] Dovecot ready.\r\n",
	      "* OK [CAPABILITY (IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED)] Dovecot ready.\n");
	/* Text may hold anything but NUL, CR and LF: brackets, braces, quotes. */
	check("a5 OK done {5} \"x (y [z\r\n", "tagged a5 OK done {5} \\\"x (y [z\n");
	check("* OK\r\n", "* OK \n");
	/* A bare LF ends a line too. */
	check("a6 OK fine\n* OK [UIDNEXT 4] x\n", "tagged a6 OK fine\n* OK [UIDNEXT 4] x\n");
	check("a7 FOO bar\r\n", "MALFORMED FOO: tagged response without OK, NO or BAD\n");
	check("a8 PREAUTH x\r\n", "MALFORMED PREAUTH: tagged response without OK, NO or BAD\n");
	check("\r\n", "MALFORMED : empty line\n");
	check("*\r\n", "MALFORMED : untagged response without a name\n");
	test_end();
}

static void
test_codes(void)
{
	test_begin("response codes");
	check("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags "
	      "permitted.\r\n",
	      "* OK [PERMANENTFLAGS (\\\\Answered \\\\Flagged \\\\Deleted \\\\Seen \\\\Draft "
	      "\\\\*)=0x9f] Flags permitted.\n");
	check("* OK [UIDVALIDITY 1795368104] UIDs valid\r\n",
	      "* OK [UIDVALIDITY 1795368104] UIDs valid\n");
	check("* OK [UNSEEN 12] x\r\n* OK [HIGHESTMODSEQ 9223372036854775807] Highest\r\n",
	      "* OK [UNSEEN 12] x\n* OK [HIGHESTMODSEQ 9223372036854775807] Highest\n");
	check("* OK [NOMODSEQ] No permanent modsequences\r\n",
	      "* OK [NOMODSEQ] No permanent modsequences\n");
	check("* OK [CLOSED] Previous mailbox closed.\r\n",
	      "* OK [CLOSED] Previous mailbox closed.\n");
	check("a1 OK [READ-ONLY] Examine completed.\r\n",
	      "tagged a1 OK [READ-ONLY] Examine completed.\n");
	check("a1 OK [APPENDUID 1795368104 1] Append completed.\r\n",
	      "tagged a1 OK [APPENDUID 1795368104 1] Append completed.\n");
	check("a1 OK [APPENDUID 38505 3955:3957] done\r\n",
	      "tagged a1 OK [APPENDUID 38505 3955:3957] done\n");
	check("a2 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
	      "tagged a2 OK [COPYUID 38505 304,319:320 3956:3958] Done\n");
	check("a3 OK [MODIFIED 7,9] Conditional STORE failed\r\n",
	      "tagged a3 OK [MODIFIED 7,9] Conditional STORE failed\n");
	check("* OK [BADCHARSET (UTF-8 \"x]y\")] no\r\n",
	      "* OK [?BADCHARSET (UTF-8 \\\"x]y\\\")] no\n");
	/* Malformed codes are kept as text and marked, never fatal. */
	check("* OK [PERMANENTFLAGS (\\Seen\r\n",
	      "* OK [!PERMANENTFLAGS (\\\\Seen] \n");
	check("* OK [PERMANENTFLAGS] x\r\n* OK [PERMANENTFLAGS ()] y\r\n",
	      "* OK [!PERMANENTFLAGS] x\n* OK [PERMANENTFLAGS ()=0] y\n");
	check("* OK [UIDVALIDITY abc] x\r\n* OK [UIDNEXT 0] y\r\n* OK [UIDNEXT 4294967296] z\r\n",
	      "* OK [!UIDVALIDITY abc] x\n* OK [!UIDNEXT 0] y\n* OK [!UIDNEXT 4294967296] z\n");
	check("a1 OK [COPYUID 1 1:3 4:5] mismatched\r\n",
	      "tagged a1 OK [!COPYUID 1 1:3 4:5] mismatched\n");
	check("a1 OK [APPENDUID 0 0] x\r\n", "tagged a1 OK [!APPENDUID 0 0] x\n");
	check("* OK [HIGHESTMODSEQ 0] x\r\n* OK [HIGHESTMODSEQ 9223372036854775808] y\r\n",
	      "* OK [!HIGHESTMODSEQ 0] x\n* OK [!HIGHESTMODSEQ 9223372036854775808] y\n");
	check("* OK [ALERT] \x1b]0;pwn\x07\r\n", "* OK [ALERT] \\x1b]0;pwn\\x07\n");
	check("* OK [] x\r\n", "* OK [?] x\n");
	test_end();
}

static void
test_data_responses(void)
{
	test_begin("CAPABILITY, ENABLED, FLAGS, NAMESPACE, ID, unknown");
	check("* CAPABILITY IMAP4rev1 AUTH=PLAIN IDLE\r\n",
	      "CAPABILITY (IMAP4rev1 AUTH=PLAIN IDLE)\n");
	check("* ENABLED QRESYNC CONDSTORE\r\n* ENABLED\r\n",
	      "ENABLED (QRESYNC CONDSTORE)\nENABLED ()\n");
	check("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded Junk)\r\n",
	      "FLAGS (\\\\Answered \\\\Flagged \\\\Deleted \\\\Seen \\\\Draft $Forwarded Junk)=0x5f\n");
	check("* FLAGS \\Seen\r\n", "MALFORMED FLAGS: bad flag list\n");
	check("* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public.\" \".\" "
	      "\"X\" (\"y\")))\r\n",
	      "NAMESPACE ((\"\" '/')) ((\"~\" '/')) ((\"#shared/\" '/')(\"#public.\" '.'))\n");
	check("* NAMESPACE ((\"\" NIL)) NIL NIL\r\n", "NAMESPACE ((\"\" NIL)) NIL NIL\n");
	check("* NAMESPACE ((\"\" \"/\")) NIL\r\n",
	      "MALFORMED NAMESPACE: NAMESPACE without three namespace lists\n");
	check("* NAMESPACE (\"\" \"/\") NIL NIL\r\n",
	      "MALFORMED NAMESPACE: bad NAMESPACE description\n");
	check("* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n* ID NIL\r\n",
	      "ID \"name\"=\"Dovecot\" \"version\"=NIL\nID NIL\n");
	check("* ID (\"name\")\r\n", "MALFORMED ID: bad ID parameter list\n");
	check("* XAPPLEPUSHSERVICE aps-version \"2\" (a b)\r\n",
	      "OTHER 0 XAPPLEPUSHSERVICE aps-version \"2\" (a b)\n");
	check("* 3 XFOO\r\n", "OTHER 3 XFOO\n");
	check("* SORT 2 3 1\r\n", "OTHER 0 SORT 2 3 1\n");
	test_end();
}

static void
test_list(void)
{
	test_begin("LIST and LSUB");
	check("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n",
	      "LIST (\\\\HasNoChildren \\\\Sent)=0x4100 '/' \"Sent\"\n");
	check("* LIST () \"/\" INBOX\r\n* LSUB () \".\" \"INBOX.Drafts\"\r\n",
	      "LIST ()=0 '/' \"INBOX\"\nLSUB ()=0 '.' \"INBOX.Drafts\"\n");
	/* Modified UTF-7 names decode; invalid ones stay raw and marked. */
	check("* LIST () \"/\" \"Entw&APw-rfe\"\r\n",
	      "LIST ()=0 '/' \"Entw\\xc3\\xbcrfe\" raw=\"Entw&APw-rfe\"\n");
	check("* LIST () \"/\" \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"\r\n",
	      "LIST ()=0 '/' \"~peter/mail/\\xe5\\x8f\\xb0\\xe5\\x8c\\x97/\\xe6\\x97\\xa5\\xe6\\x9c"
	      "\\xac\\xe8\\xaa\\x9e\" raw=\"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"\n");
	check("* LIST () \"/\" \"a&-b\"\r\n", "LIST ()=0 '/' \"a&b\" raw=\"a&-b\"\n");
	check("* LIST () \"/\" \"bad&AAAA\"\r\n* LIST () \"/\" &\r\n",
	      "LIST ()=0 '/' \"bad&AAAA\" invalid\nLIST ()=0 '/' \"&\" invalid\n");
	check("* LIST () \"/\" \"&2D3d-\"\r\n", "LIST ()=0 '/' \"&2D3d-\" invalid\n");
	check("* LIST (\\Noselect) NIL \"\"\r\n", "LIST (\\\\Noselect)=0x2 NIL \"\"\n");
	check("* LIST () \"/\" {11}\r\nhello world\r\n",
	      "LIST ()=0 '/' \"hello world\"\n");
	CHECK_BIN("* LIST () \"/\" {6}\r\na\0b\0c\0\r\n",
	      "MALFORMED LIST: mailbox name holds a NUL byte\n");
	check("* LIST (\\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\" (\"CHILDINFO\" "
	      "(\"SUBSCRIBED\"))\r\n",
	      "LIST (\\\\Subscribed \\\\NonExistent)=0x20030 '/' \"Fruit/Peach\"\n");
	check("* LIST () \"/\" \"NewMailbox\" (\"OLDNAME\" (\"OldMailbox\"))\r\n",
	      "LIST ()=0 '/' \"NewMailbox\" oldname=\"OldMailbox\"\n");
	check("* LIST () \"//\" x\r\n", "MALFORMED LIST: bad LIST attributes or delimiter\n");
	check("* LIST () \"\" x\r\n", "MALFORMED LIST: bad LIST attributes or delimiter\n");
	check("* LIST \"/\" x\r\n", "MALFORMED LIST: bad LIST attributes or delimiter\n");
	check("* LIST () \"/\"\r\n", "MALFORMED LIST: bad LIST attributes or delimiter\n");
	check("* LIST () \"/\" (x)\r\n", "MALFORMED LIST: mailbox name is not a string\n");
	check("* LIST () \"/\" \"\\\"quoted\\\\\"\r\n", "LIST ()=0 '/' \"\\\"quoted\\\\\"\n");
	/* Under UTF8=ACCEPT names are UTF-8 and "&" means itself. */
	cur_utf8 = 1;
	check("* LIST () \"/\" \"Entw\xc3\xbcrfe &-\"\r\n",
	      "LIST ()=0 '/' \"Entw\\xc3\\xbcrfe &-\"\n");
	check("* LIST () \"/\" \"bad\xff\"\r\n", "LIST ()=0 '/' \"bad\\xff\" invalid\n");
	cur_utf8 = 0;
	test_end();
}

static void
test_status_search(void)
{
	test_begin("STATUS, SEARCH, ESEARCH");
	check("* STATUS INBOX (MESSAGES 231 UIDNEXT 44292 UNSEEN 3 UIDVALIDITY 1 RECENT 0 SIZE "
	      "12345678901 HIGHESTMODSEQ 7 DELETED 2 X-FOO (1 2))\r\n",
	      "STATUS \"INBOX\" messages=231 recent=0 uidnext=44292 uidvalidity=1 unseen=3 "
	      "deleted=2 size=12345678901 highestmodseq=7\n");
	check("* STATUS INBOX ()\r\n", "STATUS \"INBOX\"\n");
	check("* STATUS \"Sent Items\" (MESSAGES 0)\r\n", "STATUS \"Sent Items\" messages=0\n");
	check("* STATUS INBOX\r\n", "MALFORMED STATUS: STATUS without its attribute list\n");
	check("* STATUS {99}\r\n", "partial\n");
	check("* STATUS INBOX (MESSAGES -1)\r\n",
	      "MALFORMED STATUS: STATUS value is not a number\n");
	check("* STATUS INBOX (MESSAGES)\r\n",
	      "MALFORMED STATUS: STATUS without its attribute list\n");
	check("* SEARCH\r\n* SEARCH 2 3 6\r\n* SEARCH 1 5 (MODSEQ 917162500)\r\n",
	      "SEARCH\nSEARCH 2 3 6\nSEARCH 1 5 modseq=917162500\n");
	check("* SEARCH 1 0\r\n", "MALFORMED SEARCH: SEARCH result is not a number\n");
	check("* SEARCH 1 x\r\n", "MALFORMED SEARCH: SEARCH result is not a number\n");
	check("* ESEARCH (TAG \"a5\") UID MIN 1 MAX 3000 COUNT 30 ALL 1:3,5,7:3000\r\n",
	      "ESEARCH tag=a5 uid min=1 max=3000 count=30 all=1:3,5,7:3000\n");
	check("* ESEARCH (TAG \"a6\") UID COUNT 0\r\n* ESEARCH\r\n",
	      "ESEARCH tag=a6 uid count=0\nESEARCH\n");
	check("* ESEARCH (TAG \"a7\") UID ALL 1:*\r\n", "MALFORMED ESEARCH: bad ESEARCH value\n");
	check("* ESEARCH (TAG \"a7\") MIN\r\n", "MALFORMED ESEARCH: bad ESEARCH item\n");
	check("* ESEARCH (TAG \"a8\") MODSEQ 5 PARTIAL (1:10 NIL)\r\n",
	      "ESEARCH tag=a8 modseq=5\n");
	test_end();
}

static void
test_counts(void)
{
	test_begin("EXISTS, RECENT, EXPUNGE, VANISHED");
	check("* 0 EXISTS\r\n* 1 RECENT\r\n* 4294967295 EXISTS\r\n* 3 EXPUNGE\r\n",
	      "0 EXISTS\n1 RECENT\n4294967295 EXISTS\n3 EXPUNGE\n");
	check("* 4294967296 EXISTS\r\n* 99999999999999999999 EXISTS\r\n* -1 EXISTS\r\n",
	      "MALFORMED EXISTS: count is not a 32-bit number\n"
	      "MALFORMED EXISTS: count is not a 32-bit number\n"
	      "MALFORMED EXISTS: count is not a 32-bit number\n");
	check("* 12abc EXISTS\r\n", "MALFORMED EXISTS: count is not a 32-bit number\n");
	check("* 0 EXPUNGE\r\n", "MALFORMED EXPUNGE: EXPUNGE of message 0\n");
	check("* VANISHED 405,407,410:420\r\n* VANISHED (EARLIER) 300:310,405\r\n",
	      "VANISHED 405,407,410:420\nVANISHED (EARLIER) 300:310,405\n");
	check("* VANISHED 4294967295:1\r\n", "VANISHED 1:4294967295\n");
	check("* VANISHED (EARLIER) 1:3,\r\n",
	      "MALFORMED VANISHED: bad separator in a sequence set\n");
	check("* VANISHED 1:*\r\n", "MALFORMED VANISHED: bad range in a sequence set\n");
	check("* VANISHED ,,,\r\n", "MALFORMED VANISHED: bad number in a sequence set\n");
	check("* VANISHED 0\r\n* VANISHED\r\n",
	      "MALFORMED VANISHED: bad number in a sequence set\nMALFORMED VANISHED: bad VANISHED\n");
	test_end();
}

/* Real Dovecot 2.3 output for a multipart message. */
static const char dovecot_fetch[] =
	"* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent) INTERNALDATE \"14-Nov-2023 08:13:00 +0000\" "
	"RFC822.SIZE 1364 MODSEQ (2) ENVELOPE (\"Tue, 14 Nov 2023 09:12:45 +0100\" "
	"\"=?UTF-8?B?UmU6IGNhZsOpIG1lZXRpbmc=?=\" ((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL "
	"\"joerg\" \"example.org\")) ((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL \"joerg\" "
	"\"example.org\")) ((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL \"joerg\" \"example.org\")) "
	"((\"Alice\" NIL \"alice\" \"example.com\")(NIL NIL \"bob\" \"example.net\")) ((NIL NIL "
	"\"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL \"<20231113.9@example.com>\" "
	"\"<20231114.1@example.org>\") BODYSTRUCTURE (((\"text\" \"plain\" (\"charset\" \"utf-8\") "
	"NIL NIL \"quoted-printable\" 17 0 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" "
	"\"utf-8\") NIL NIL \"7bit\" 26 0 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"inner\") "
	"NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"agenda.pdf\") NIL NIL \"base64\" 154 NIL "
	"(\"attachment\" (\"filename\" \"agenda.pdf\")) (\"en\") NIL)(\"message\" \"rfc822\" NIL "
	"NIL NIL \"7bit\" 227 (\"Mon, 13 Nov 2023 18:00:00 +0000\" \"Original\" ((\"Bob\" NIL "
	"\"bob\" \"example.net\")) ((\"Bob\" NIL \"bob\" \"example.net\")) ((\"Bob\" NIL \"bob\" "
	"\"example.net\")) ((NIL NIL \"alice\" \"example.com\")) NIL NIL NIL "
	"\"<20231113.9@example.com>\") (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL "
	"\"7bit\" 14 0 NIL NIL NIL NIL) 8 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"outer\") NIL "
	"NIL NIL))\r\n";

static const char dovecot_fetch_want[] =
	"FETCH 1 uid=1 flags=(\\\\Seen \\\\Recent)=0x21 internaldate=1699949580 size=1364 "
	"modseq=2 env(date=\"Tue, 14 Nov 2023 09:12:45 +0100\" "
	"subject=\"=?UTF-8?B?UmU6IGNhZsOpIG1lZXRpbmc=?=\" "
	"from=((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL \"joerg\" \"example.org\")) "
	"sender=((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL \"joerg\" \"example.org\")) "
	"reply-to=((\"=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=\" NIL \"joerg\" \"example.org\")) "
	"to=((\"Alice\" NIL \"alice\" \"example.com\") (NIL NIL \"bob\" \"example.net\")) "
	"cc=((NIL NIL \"undisclosed-recipients\" NIL) (NIL NIL NIL NIL)) "
	"in-reply-to=\"<20231113.9@example.com>\" message-id=\"<20231114.1@example.org>\") "
	"body={- MULTIPART/mixed boundary=outer "
	"{1 MULTIPART/alternative boundary=inner "
	"{1.1 text/plain charset=utf-8 size=17 enc=quoted-printable} "
	"{1.2 text/html charset=utf-8 size=26 enc=7bit}} "
	"{2 application/pdf name=agenda.pdf size=154 enc=base64 disp=attachment "
	"filename=agenda.pdf lang=en} "
	"{3 message/rfc822 size=227 lines=8 enc=7bit env(date=\"Mon, 13 Nov 2023 18:00:00 +0000\" "
	"subject=\"Original\" from=((\"Bob\" NIL \"bob\" \"example.net\")) sender=((\"Bob\" NIL "
	"\"bob\" \"example.net\")) reply-to=((\"Bob\" NIL \"bob\" \"example.net\")) to=((NIL NIL "
	"\"alice\" \"example.com\")) in-reply-to=NIL message-id=\"<20231113.9@example.com>\") "
	"{3.1 text/plain charset=us-ascii size=14 enc=7bit}}}\n";

static void
test_fetch(void)
{
	test_begin("FETCH items, ENVELOPE, BODYSTRUCTURE, body sections");
	check(dovecot_fetch, dovecot_fetch_want);
	check("* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM TO)] {22}\r\nFrom: a@b\r\nTo: c@d\r\n\r\n"
	      ")\r\n",
	      "FETCH 1 uid=1 BODY[HEADER.FIELDS (FROM TO)]=\"From: a@b\\r\\nTo: c@d\\r\\n\\r\\n\"\n");
	check("* 1 FETCH (UID 1 BODY[2]<0> {10}\r\nJVBERi0xLj BINARY[1.1] ~{6}\r\nCaf\xc3\xa9\n)\r\n",
	      "FETCH 1 uid=1 BODY[2]<0>=\"JVBERi0xLj\" BINARY[1.1]=\"Caf\\xc3\\xa9\\n\"\n");
	check("* 2 FETCH (BODY[] NIL RFC822.HEADER {0}\r\n RFC822 \"x\" RFC822.TEXT {1}\r\ny)\r\n",
	      "FETCH 2 BODY[]=NIL RFC822.HEADER=\"\" RFC822=\"x\" RFC822.TEXT=\"y\"\n");
	CHECK_BIN("* 3 FETCH (BINARY[2] ~{3}\r\na\x00z)\r\n",
	      "FETCH 3 BINARY[2]=\"a\\x00z\"\n");
	check("* 4 FETCH (FLAGS () UID 7 MODSEQ (12345678901234))\r\n",
	      "FETCH 4 uid=7 flags=()=0 modseq=12345678901234\n");
	check("* 5 FETCH (PREVIEW \"hi\" EMAILID (M1) X-GM-LABELS (\\Inbox))\r\n", "FETCH 5\n");
	/* Bad items are marked one by one; the rest of the response stands. */
	check("* 6 FETCH (UID 0 FLAGS (\\Seen))\r\n",
	      "FETCH 6 flags=(\\\\Seen)=0x1 invalid=0x1(UID is not a valid UID)\n");
	check("* 6 FETCH (UID 4294967296 RFC822.SIZE -1)\r\n",
	      "FETCH 6 invalid=0x9(UID is not a valid UID)\n");
	check("* 6 FETCH (RFC822.SIZE 99999999999999999999999999999999999 UID 3)\r\n",
	      "FETCH 6 uid=3 invalid=0x8(bad RFC822.SIZE)\n");
	check("* 6 FETCH (RFC822.SIZE 12abc INTERNALDATE \"AAAA\" MODSEQ 5)\r\n",
	      "FETCH 6 invalid=0x1c(bad RFC822.SIZE)\n");
	check("* 7 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE (\"TEXT\" "
	      "\"PLAIN\" NIL NIL NIL \"7BIT\" -5 1))\r\n",
	      "FETCH 7 invalid=0x60(ENVELOPE is not a list of 10 fields)\n");
	/* A repeated item that is broken leaves the good one standing. */
	check("* 7 FETCH (UID 5 ENVELOPE (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) UID 0 "
	      "ENVELOPE NIL BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1) BODY (x) "
	      "FLAGS (\\Seen) FLAGS x RFC822.SIZE 3 RFC822.SIZE -3)\r\n",
	      "FETCH 7 uid=5 flags=(\\\\Seen)=0x1 size=3 env(date=NIL subject=\"s\" "
	      "in-reply-to=NIL message-id=NIL) body={1 TEXT/PLAIN size=1 lines=1 enc=7BIT} "
	      "invalid=0x6b(UID is not a valid UID)\n");
	check("* 7 FETCH (BODYSTRUCTURE (1 2 3 4 5 6 7))\r\n",
	      "FETCH 7 invalid=0x40(bad body parameter list)\n");
	check("* 7 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)))\r\n",
	      "FETCH 7 invalid=0x40(multipart body without a subtype)\n");
	check("* 7 FETCH (BODYSTRUCTURE NIL ENVELOPE (NIL NIL ((NIL NIL)) NIL NIL NIL NIL NIL NIL "
	      "NIL))\r\n",
	      "FETCH 7 invalid=0x60(body is not a list)\n");
	/* A single-part message is part 1; text lines; odd but common forms. */
	check("* 8 FETCH (BODY (\"TEXT\" \"PLAIN\" () NIL NIL \"7BIT\" 3028 92))\r\n",
	      "FETCH 8 body={1 TEXT/PLAIN size=3028 lines=92 enc=7BIT}\n");
	check("* 8 FETCH (BODYSTRUCTURE (\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" NIL) \"<id@x>\" "
	      "\"desc\" \"BASE64\" 10 \"md5sum\" \"INLINE\" \"EN\" \"http://x\" (\"future\")))\r\n",
	      "FETCH 8 body={1 APPLICATION/OCTET-STREAM NAME= size=10 enc=BASE64 id=<id@x> desc=desc "
	      "md5=md5sum disp=INLINE lang=EN loc=http://x}\n");
	/* A message/rfc822 holding a single part: that part is N.1. */
	check("* 9 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)(\"MESSAGE\" "
	      "\"RFC822\" NIL NIL NIL \"7BIT\" 50 (NIL \"s\" NIL NIL NIL NIL NIL NIL NIL NIL) "
	      "((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 2 1)(\"IMAGE\" \"GIF\" NIL NIL NIL \"BASE64\" "
	      "3) \"MIXED\") 4) \"MIXED\"))\r\n",
	      "FETCH 9 body={- MULTIPART/MIXED {1 TEXT/PLAIN size=1 lines=1 enc=7BIT} {2 "
	      "MESSAGE/RFC822 size=50 lines=4 enc=7BIT env(date=NIL subject=\"s\" in-reply-to=NIL "
	      "message-id=NIL) {2 MULTIPART/MIXED {2.1 TEXT/PLAIN size=2 lines=1 enc=7BIT} {2.2 "
	      "IMAGE/GIF size=3 enc=BASE64}}}}\n");
	check("* 9 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 50 (NIL NIL "
	      "NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 2 1) 4))\r\n",
	      "FETCH 9 body={1 MESSAGE/RFC822 size=50 lines=4 enc=7BIT env(date=NIL subject=NIL "
	      "in-reply-to=NIL message-id=NIL) {1.1 TEXT/PLAIN size=2 lines=1 enc=7BIT}}\n");
	/* Buffered literals over 4 KB are handed over without a copy. */
	{
		struct str in = STR_INIT, want = STR_INIT;

		str_append(&in, "* 1 FETCH (BODY[HEADER] {5000}\r\n");
		for (int i = 0; i < 5000; i++)
			str_append_char(&in, (char)('a' + i % 26));
		str_append(&in, " BODY[TEXT] {4097}\r\n");
		for (int i = 0; i < 4097; i++)
			str_append_char(&in, (char)('A' + i % 26));
		str_append(&in, ")\r\n* 2 FETCH (BODY[1] {5001}\r\n");
		for (int i = 0; i < 5001; i++)
			str_append_char(&in, 'x');
		str_append(&in, ")\r\n");
		str_append(&want, "FETCH 1 BODY[HEADER]=\"");
		for (int i = 0; i < 5000; i++)
			str_append_char(&want, (char)('a' + i % 26));
		str_append(&want, "\" BODY[TEXT]=\"");
		for (int i = 0; i < 4097; i++)
			str_append_char(&want, (char)('A' + i % 26));
		str_append(&want, "\"\nFETCH 2 BODY[1]=\"");
		for (int i = 0; i < 5001; i++)
			str_append_char(&want, 'x');
		str_append(&want, "\"\n");
		check(str_cstr(&in), str_cstr(&want));
		str_free(&in);
		str_free(&want);
	}
	/* Broken FETCH framing. */
	check("* 0 FETCH (UID 1)\r\n", "MALFORMED FETCH: FETCH for an invalid message number\n");
	check("* 1 FETCH UID 1\r\n", "MALFORMED FETCH: FETCH without its item list\n");
	check("* 1 FETCH (UID)\r\n", "MALFORMED FETCH: FETCH item without a value\n");
	check("* 1 FETCH (\"UID\" 1)\r\n", "MALFORMED FETCH: FETCH item name is not an atom\n");
	check("* 1 FETCH (UID 1\r\n", "MALFORMED FETCH: unbalanced \"(\"\n");
	check("* 1 FETCH (UID 1))\r\n", "MALFORMED FETCH: unbalanced \")\"\n");
	check("* 1 FETCH (X \"abc)\r\n", "MALFORMED FETCH: unterminated quoted string\n");
	check("* 1 FETCH (BODY[HEADER.FIELDS (A) NIL)\r\n",
	      "MALFORMED FETCH: unterminated \"[\" in an atom\n");
	/* Inside brackets: a quoted "]" and nested brackets belong to the
	 * atom; a "]" before a quote ends the bracket as usual. */
	check("* 1 FETCH (BODY[HEADER.FIELDS (\"X]\" Y)] {5}\r\nX: 1\n)\r\n",
	      "FETCH 1 BODY[HEADER.FIELDS (\"X]\" Y)]=\"X: 1\\n\"\n");
	check("* 1 FETCH (BODY[1[2]] {1}\r\nz)\r\n", "FETCH 1 BODY[1[2]]=\"z\"\n");
	check("* 1 FETCH (A[B]\"C\" 1)\r\n", "MALFORMED FETCH: FETCH item without a value\n");
	check("* 1 FETCH (BODY[\"]\" 1)\r\n", "MALFORMED FETCH: unterminated \"[\" in an atom\n");
	check("* 1 FETCH (BODY[[] 1)\r\n", "MALFORMED FETCH: unterminated \"[\" in an atom\n");
	test_end();
}

static void
test_streaming(void)
{
	struct imap_parser_params params;
	struct str big = STR_INIT, want = STR_INIT;

	test_begin("body literals over the threshold stream as chunks");
	imap_parser_params_init(&params);
	params.stream_min = 16;
	cur_params = &params;
	check("* 1 FETCH (UID 9 BODY[2]<0> {40}\r\n0123456789012345678901234567890123456789 "
	      "FLAGS ())\r\n",
	      "CHUNKS 1 uid=9 BODY[2]<0> total=40 \"0123456789012345678901234567890123456789\"\n"
	      "FETCH 1 uid=9 flags=()=0 BODY[2]<0>=<streamed 40>\n");
	/* At or under the threshold, and outside body items, literals are kept. */
	check("* 1 FETCH (BODY[1] {16}\r\n0123456789abcdef)\r\n",
	      "FETCH 1 BODY[1]=\"0123456789abcdef\"\n");
	check("* LIST () \"/\" {20}\r\n01234567890123456789\r\n",
	      "LIST ()=0 '/' \"01234567890123456789\"\n");
	check("* 1 FETCH (X-BIG {20}\r\n01234567890123456789)\r\n", "FETCH 1\n");
	CHECK_BIN("* 2 FETCH (RFC822 ~{17}\r\nab\x00" "defghijklmnopq UID 4)\r\n",
	      "CHUNKS 2 uid=0 RFC822 total=17 \"ab\\x00defghijklmnopq\"\n"
	      "FETCH 2 uid=4 RFC822=<streamed 17>\n");
	/* The stream ends early: the response is partial, never complete. */
	check("* 1 FETCH (BODY[] {40}\r\n0123456789",
	      "partial\n");
	/* 10 MB streams with bounded memory: response_max is far smaller. */
	params.response_max = 1 << 16;
	str_append(&big, "* 3 FETCH (UID 5 BODY[] {10485760}\r\n");
	for (int i = 0; i < 10485760 / 64; i++)
		str_append(&big, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	str_append(&big, ")\r\n");
	{
		struct imap_parser *p = imap_parser_new(&params);
		const struct imap_response *r;
		struct err err;
		size_t pos = 0, got = 0, chunks = 0;
		int rc = 0, done = 0, order = 1;

		while (pos < big.len) {
			size_t n = big.len - pos < 65536 ? big.len - pos : 65536;

			imap_parser_feed(p, big.s + pos, n);
			pos += n;
			while ((rc = imap_parser_next(p, &r, &err)) == 1) {
				if (r->type == IMAP_RESP_FETCH_CHUNK) {
					order &= r->u.chunk.offset == got && r->u.chunk.uid == 5;
					got += r->u.chunk.len;
					chunks++;
				} else if (r->type == IMAP_RESP_FETCH) {
					done = r->u.fetch.n_sections == 1 &&
					       r->u.fetch.sections[0].streamed &&
					       r->u.fetch.sections[0].len == 10485760;
				}
			}
			if (rc < 0)
				break;
		}
		test_assert(rc == 0);
		test_assert(order);
		test_assert_int(got, 10485760);
		test_assert(chunks >= 160);
		test_assert(done);
		imap_parser_free(&p);
	}
	/* The same literal where it cannot stream breaks response_max. */
	str_reset(&want);
	str_append(&want, "error: server sent a response larger than 64 KB\n");
	check("* LIST () \"/\" {100000}\r\n", str_cstr(&want));
	cur_params = NULL;
	str_free(&big);
	str_free(&want);
	test_end();
}

static void
test_errors(void)
{
	struct imap_parser_params params;
	struct str in = STR_INIT;

	test_begin("bounds and framing errors end the connection");
	check("* 1 FETCH (BODY[] {4294967295}\r\nabc",
	      "error: server sent a literal of 4294967295 bytes (limit 64 MB)\n");
	check("* 1 FETCH (BODY[] {18446744073709551615}\r\n",
	      "error: server sent a literal of 18446744073709551615 bytes (limit 64 MB)\n");
	check("* 1 FETCH (BODY[] {99999999999999999999999}\r\n",
	      "error: server sent a literal of 99999999999999999999999 bytes (limit 64 MB)\n");
	check("* 1 FETCH (BODY[] {-1}\r\n", "error: server sent a malformed literal count\n");
	check("* 1 FETCH (BODY[] {}\r\n", "error: server sent a malformed literal count\n");
	check("* 1 FETCH (BODY[] {12abc}\r\n", "error: server sent a malformed literal count\n");
	check("* 1 FETCH (BODY[] {10+}\r\n",
	      "error: server sent a non-synchronising literal, which only clients may send\n");
	check("* 1 FETCH (BODY[] {10} x\r\n",
	      "error: server sent a literal count that does not end its line\n");
	check("* 1 FETCH (BODY[] {00000000000000000000010}\r\n0123456789)\r\n",
	      "FETCH 1 BODY[]=\"0123456789\"\n");
	check("* 1 FETCH (X \"unterminated {5}\r\n",
	      "error: server sent a malformed response (unterminated quoted string) ending in a "
	      "literal count\n");
	CHECK_BIN("* OK [ALERT] hello\0world\r\n",
		  "error: server sent a NUL byte in a response line\n");
	CHECK_BIN("* LIST () \"/\" \"a\0b\"\r\n",
		  "error: server sent a NUL byte in a response line\n");
	/* NUL bytes inside a literal are data. */
	CHECK_BIN("* 1 FETCH (BODY[] {3}\r\na\0b)\r\n", "FETCH 1 BODY[]=\"a\\x00b\"\n");

	imap_parser_params_init(&params);
	params.line_max = 64;
	params.depth_max = 8;
	params.list_items_max = 10;
	cur_params = &params;
	for (int i = 0; i < 100; i++)
		str_append(&in, "AAAAAAAAAA");
	check(str_cstr(&in), "error: server sent a line longer than 64 bytes\n");
	str_append(&in, "\r\n");
	check(str_cstr(&in), "error: server sent a line longer than 64 bytes\n");
	check("* 1 FETCH (BODYSTRUCTURE ((((((((((\"TEXT\"\r\n",
	      "error: server sent lists nested more than 8 deep\n");
	check("* SEARCH 1 2 3 4 5 6 7 8 9 10\r\n", "SEARCH 1 2 3 4 5 6 7 8 9 10\n");
	check("* SEARCH 1 2 3 4 5 6 7 8 9 10 11\r\n",
	      "error: server sent a list of more than 10 items\n");
	check("* FLAGS (a b c d e f g h i j k)\r\n",
	      "error: server sent a list of more than 10 items\n");
	/* 10,000 levels of BODYSTRUCTURE with the default bounds. */
	cur_params = NULL;
	str_reset(&in);
	str_append(&in, "* 1 FETCH (BODYSTRUCTURE ");
	for (int i = 0; i < 10000; i++)
		str_append_char(&in, '(');
	str_append(&in, "\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1");
	for (int i = 0; i < 10000; i++)
		str_append_char(&in, ')');
	str_append(&in, ")\r\n");
	{
		struct str out = STR_INIT;

		imap_test_parse(in.s, in.len, NULL, 0, 0, 0, &out);
		test_assert_str(str_cstr(&out), "error: server sent lists nested more than 100 deep\n");
		str_reset(&out);
		imap_test_parse(in.s, in.len, NULL, 0, 0, 7, &out);
		test_assert_str(str_cstr(&out), "error: server sent lists nested more than 100 deep\n");
		str_free(&out);
	}
	/* Within the bound, a deep multipart still decodes. */
	str_reset(&in);
	str_append(&in, "* 1 FETCH (BODYSTRUCTURE ");
	for (int i = 0; i < 90; i++)
		str_append_char(&in, '(');
	str_append(&in, "\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1");
	for (int i = 0; i < 89; i++)
		str_append(&in, ") \"MIXED\"");
	str_append(&in, "))\r\n");
	{
		struct imap_parser *p = imap_parser_new(NULL);
		const struct imap_response *r;
		const struct imap_body *b;
		struct err err;
		int depth = 0;

		imap_parser_feed(p, in.s, in.len);
		test_assert_int(imap_parser_next(p, &r, &err), 1);
		test_assert(r->type == IMAP_RESP_FETCH);
		test_assert(r->u.fetch.present & IMAP_FETCH_BODYSTRUCTURE);
		for (b = r->u.fetch.body; b != NULL && b->n_parts == 1; b = &b->parts[0])
			depth++;
		test_assert_int(depth, 89);
		test_assert(b != NULL && strlen(b->part) == 2 * 89 - 1);
		test_assert(imap_body_find(r->u.fetch.body, b->part) == b);
		imap_parser_free(&p);
	}
	/* A failed parser stays failed. */
	{
		struct imap_parser *p = imap_parser_new(NULL);
		const struct imap_response *r;
		struct err err;

		imap_parser_feed(p, "* 1 FETCH (X {-1}\r\n", 19);
		test_assert_int(imap_parser_next(p, &r, &err), -1);
		test_assert_int(err.kind, ERR_PROTO);
		imap_parser_feed(p, "a1 OK\r\n", 7);
		test_assert_int(imap_parser_next(p, &r, &err), -1);
		imap_parser_free(&p);
	}
	str_free(&in);
	test_end();
}

static void
test_helpers(void)
{
	struct arena *a = arena_new();
	struct imap_arg arg = {IMAP_ARG_ATOM, 0, 0, {NULL}};
	uint64_t v64;
	uint32_t v32;
	time_t t;
	const struct imap_envelope *env;
	const char *why;

	test_begin("number, date and section helpers");
	test_assert_int(imap_parse_number("4294967295", 10, UINT32_MAX, &v64), 0);
	test_assert_int(imap_parse_number("4294967296", 10, UINT32_MAX, &v64), -1);
	test_assert_int(imap_parse_number("", 0, UINT32_MAX, &v64), -1);
	test_assert_int(imap_parse_number("18446744073709551615", 20, UINT64_MAX, &v64), 0);
	test_assert(v64 == UINT64_MAX);
	test_assert_int(imap_parse_number("18446744073709551616", 20, UINT64_MAX, &v64), -1);
	arg.u.str = "0";
	arg.len = 1;
	test_assert_int(imap_arg_number(&arg, &v32), 0);
	test_assert_int(imap_arg_nz_number(&arg, &v32), -1);
	arg.u.str = "9223372036854775807";
	arg.len = strlen(arg.u.str);
	test_assert_int(imap_arg_number64(&arg, &v64), 0);
	arg.u.str = "9223372036854775808";
	test_assert_int(imap_arg_number64(&arg, &v64), -1);
	test_assert_int(imap_parse_internaldate("17-Jul-1996 02:44:25 -0700", &t), 0);
	test_assert_int(t, 837596665);
	test_assert_int(imap_parse_internaldate(" 1-Jan-1970 00:00:00 +0000", &t), 0);
	test_assert_int(t, 0);
	test_assert_int(imap_parse_internaldate("1-Jan-2000 00:00:00 +0100", &t), 0);
	test_assert_int(t, 946681200);
	test_assert_int(imap_parse_internaldate("29-Feb-2024 23:59:60 +0000", &t), 0);
	test_assert_int(imap_parse_internaldate("32-Jan-2000 00:00:00 +0000", &t), -1);
	test_assert_int(imap_parse_internaldate("1-Foo-2000 00:00:00 +0000", &t), -1);
	test_assert_int(imap_parse_internaldate("1-Jan-2000 00:00:00", &t), -1);
	test_assert_int(imap_parse_internaldate("1-Jan-2000 00:00:00 +0000 ", &t), -1);
	test_assert_int(imap_parse_internaldate("", &t), -1);
	arg.type = IMAP_ARG_NIL;
	test_assert_int(imap_envelope_parse(a, &arg, &env, &why), -1);
	test_assert(env == NULL);
	arena_free(&a);
	test_end();
}

int
main(void)
{
	test_status_responses();
	test_codes();
	test_data_responses();
	test_list();
	test_status_search();
	test_counts();
	test_fetch();
	test_streaming();
	test_errors();
	test_helpers();
	return test_done();
}
