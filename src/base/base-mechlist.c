#include "config.h"

#include <string.h>
#include <strings.h>

#include "base/base-mechlist.h"

static bool
name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

bool
mechlist_has(const char *list, const char *mech)
{
	size_t len = strlen(mech);

	while (*list != '\0') {
		size_t n = strcspn(list, " ");

		if (n == len && strncasecmp(list, mech, len) == 0)
			return true;
		list += n;
		while (*list == ' ')
			list++;
	}
	return false;
}

void
mechlist_add(char *list, size_t size, const char *text)
{
	size_t used = strlen(list);

	while (*text != '\0') {
		size_t len;
		char name[21];

		while (*text == ' ')
			text++;
		len = strcspn(text, " ");
		if (len == 0)
			break;
		if (name_ok(text, len)) {
			for (size_t i = 0; i < len; i++)
				name[i] = (text[i] >= 'a' && text[i] <= 'z') ? (char)(text[i] - 32)
									     : text[i];
			name[len] = '\0';
			if (!mechlist_has(list, name) && used + (used > 0) + len < size) {
				if (used > 0)
					list[used++] = ' ';
				memcpy(list + used, name, len + 1);
				used += len;
			}
		}
		text += len;
	}
}
