/* Body search of local folders: the text is found as the reader sees it
 * (decoded, folded), never in the header or in attachments. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime/mime-message.h"
#include "mime/mime-search.h"
#include "test-common.h"

static const char mixed[] =
    "From: a@x\nSubject: Subjectword\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
    "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
    /* "Meet at the Kayak club, Straße 5.\n" */
    "TWVldCBhdCB0aGUgS2F5YWsgY2x1YiwgU3RyYcOfZSA1Lgo=\n"
    "--b\nContent-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n\n"
    "Gr=FC=DFe aus M=FCn=\nchen\n"
    "--b\nContent-Type: text/html; charset=us-ascii\n\n"
    "<p>bold <b>lantern</b> light</p>\n"
    "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment\n\n"
    "attachmentword\n"
    "--b--\n";

/* 1 when msg's text holds needle. */
static int
holds(const char *msg, const char *needle)
{
	struct mime_message *m;
	struct err err;
	char *folded;
	int found;

	if (mime_message_parse_mem(msg, strlen(msg), NULL, &m, &err) < 0)
		return -1;
	folded = mime_search_fold(needle, strlen(needle));
	found = mime_search_body(m, folded);
	free(folded);
	mime_message_free(&m);
	return found;
}

int
main(void)
{
	mime_init();

	test_begin("words inside base64 and quoted-printable parts are found decoded");
	test_assert_int(holds(mixed, "kayak club"), 1);
	test_assert_int(holds(mixed, "München"), 1);
	test_assert_int(holds(mixed, "TWVldCBhdCB0"), 0);
	test_assert_int(holds(mixed, "M=FCn"), 0);
	test_end();

	test_begin("case is folded beyond ASCII");
	test_assert_int(holds(mixed, "KAYAK"), 1);
	test_assert_int(holds(mixed, "STRASSE 5"), 1);
	test_assert_int(holds(mixed, "GRÜSSE"), 1);
	test_end();

	test_begin("HTML is searched without its tags");
	test_assert_int(holds(mixed, "bold lantern light"), 1);
	test_assert_int(holds(mixed, "<b>"), 0);
	test_end();

	test_begin("neither the header nor attachments are searched");
	test_assert_int(holds(mixed, "Subjectword"), 0);
	test_assert_int(holds(mixed, "attachmentword"), 0);
	test_end();

	test_begin("a plain message without MIME");
	test_assert_int(holds("Subject: x\n\nJust plain text, Line two.\n", "line TWO"), 1);
	test_assert_int(holds("Subject: x\n\nJust plain text.\n", "absent"), 0);
	test_end();

	mime_shutdown();
	return test_done();
}
