/*
 * The variable table and enum var_id agree, and every entry is complete:
 * the checks that make a misspelt or half-declared variable fail here
 * rather than in a user's configuration.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core-config.h"
#include "core/core-vars.h"
#include "test-common.h"

/* The id a name must have, by the rule in core-vars.h. */
static void
expected_id(const char *name, char *out, size_t size)
{
	int lower = 0, upper = 0;
	size_t o = 0;

	for (const char *p = name; *p; p++) {
		lower |= islower((unsigned char)*p) != 0;
		upper |= isupper((unsigned char)*p) != 0;
	}
	if (upper && !lower)
		o += (size_t)snprintf(out, size, "ENV_");
	for (const char *p = name; *p && o + 1 < size; p++)
		out[o++] = (char)toupper((unsigned char)*p);
	out[o] = '\0';
	if (upper && lower)
		snprintf(out + o, size - o, "_CAPITAL");
}

static int
ends_sentence(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && (s[n - 1] == '.' || s[n - 1] == ')' || s[n - 1] == '"');
}

int
main(void)
{
	int all_named = 1, ids_match = 1, unique = 1, docs = 1, lookups = 1, typed = 1;
	int defaults_ok = 1, ranges = 1, words_ok = 1;
	struct config *cfg;
	const struct var_synonym *syn;
	size_t n_syn;
	char want[128];

	test_begin("every id has a table entry whose name matches it");
	for (int id = 0; id < VAR_COUNT; id++) {
		const struct var_def *d = vars_def((enum var_id)id);

		if (d->name == NULL || d->id_name == NULL) {
			printf("# id %d has no entry\n", id);
			all_named = 0;
			continue;
		}
		expected_id(d->name, want, sizeof(want));
		if (strcmp(want, d->id_name) != 0) {
			printf("# \"%s\" is VAR_%s, the rule says VAR_%s\n", d->name, d->id_name,
			       want);
			ids_match = 0;
		}
		for (int j = 0; j < id; j++)
			if (vars_def((enum var_id)j)->name != NULL &&
			    strcmp(vars_def((enum var_id)j)->name, d->name) == 0) {
				printf("# \"%s\" appears twice\n", d->name);
				unique = 0;
			}
		if (vars_lookup(d->name) != id) {
			printf("# vars_lookup(\"%s\") != its id\n", d->name);
			lookups = 0;
		}
	}
	test_assert(all_named);
	test_assert(ids_match);
	test_assert(unique);
	test_assert(lookups);
	test_end();

	test_begin("the ids the configuration needs are the names it promises");
	test_assert_str(vars_def(VAR_TLS_CA_FILE)->name, "tls_ca_file");
	test_assert_str(vars_def(VAR_SMTP_URL)->name, "smtp_url");
	test_assert_str(vars_def(VAR_ENV_DEAD)->name, "DEAD");
	test_assert_str(vars_def(VAR_SIGN_CAPITAL)->name, "Sign");
	test_assert_str(vars_def(VAR_SIGN)->name, "sign");
	test_assert_int(vars_lookup("smpt_url"), -1);
	test_assert_int(vars_lookup("SIGN"), -1);
	test_end();

	test_begin("every entry is documented and typed");
	for (int id = 0; id < VAR_COUNT; id++) {
		const struct var_def *d = vars_def((enum var_id)id);

		if (d->name == NULL)
			continue;
		if (d->doc == NULL || strlen(d->doc) < 20 || !ends_sentence(d->doc) ||
		    !isupper((unsigned char)d->doc[0])) {
			printf("# \"%s\" lacks a doc sentence\n", d->name);
			docs = 0;
		}
		if (d->type >= VAR_T_COUNT) {
			typed = 0;
			continue;
		}
		if (d->type == VAR_T_NUMBER && (d->min > d->max)) {
			printf("# \"%s\" has an empty range\n", d->name);
			ranges = 0;
		}
		if ((d->type == VAR_T_ENUM || d->type == VAR_T_URL || d->type == VAR_T_FOLDER) &&
		    (d->words == NULL || d->words[0] == NULL)) {
			printf("# \"%s\" lists no words\n", d->name);
			words_ok = 0;
		}
		if (d->type != VAR_T_ENUM && d->type != VAR_T_URL && d->type != VAR_T_FOLDER &&
		    d->words != NULL) {
			printf("# \"%s\" has words it cannot use\n", d->name);
			words_ok = 0;
		}
	}
	test_assert(docs);
	test_assert(typed);
	test_assert(ranges);
	test_assert(words_ok);
	test_end();

	test_begin("synonyms");
	syn = vars_synonyms(&n_syn);
	test_assert(n_syn >= 1);
	for (size_t i = 0; i < n_syn; i++) {
		test_assert(syn[i].id < VAR_COUNT);
		test_assert_int(vars_lookup(syn[i].name), syn[i].id);
	}
	test_assert_int(vars_lookup("ask"), VAR_ASKSUB);
	test_end();

	/* Every default must pass its own checks: the table cannot declare a
	 * default the parser would reject.  The environment must not
	 * supply them. */
	test_begin("every default is valid");
	setenv("HOME", "/home/test", 1);
	for (int id = 0; id < VAR_COUNT; id++) {
		const struct var_def *d = vars_def((enum var_id)id);

		char *list, *save = NULL;

		if (d->env == NULL)
			continue;
		list = strdup(d->env);
		for (char *e = strtok_r(list, ":", &save); e != NULL;
		     e = strtok_r(NULL, ":", &save))
			unsetenv(e);
		free(list);
	}
	unsetenv("XDG_CACHE_HOME");
	unsetenv("XDG_DATA_HOME");
	cfg = config_new();
	for (int id = 0; id < VAR_COUNT; id++) {
		const struct var_def *d = vars_def((enum var_id)id);

		if (d->def != NULL && !config_is_set(cfg, NULL, (enum var_id)id)) {
			printf("# the default of \"%s\" does not parse\n", d->name);
			defaults_ok = 0;
		}
		if (d->def == NULL && d->type != VAR_T_BOOL && d->type != VAR_T_QUAD &&
		    config_is_set(cfg, NULL, (enum var_id)id)) {
			printf("# \"%s\" is set without a default\n", d->name);
			defaults_ok = 0;
		}
		if (d->type == VAR_T_NUMBER && d->def != NULL &&
		    (config_number(cfg, NULL, (enum var_id)id) < d->min ||
		     config_number(cfg, NULL, (enum var_id)id) > d->max)) {
			printf("# the default of \"%s\" is out of its range\n", d->name);
			defaults_ok = 0;
		}
		if (strcmp(config_origin(cfg, NULL, (enum var_id)id), "default") != 0) {
			printf("# \"%s\" does not come from the default\n", d->name);
			defaults_ok = 0;
		}
	}
	test_assert(defaults_ok);
	test_assert_str(config_string(cfg, NULL, VAR_HEADER_CACHE), "/home/test/.cache/petrel");
	test_assert_str(config_string(cfg, NULL, VAR_ENV_DEAD), "/home/test/dead.letter");
	test_assert_int(config_number(cfg, NULL, VAR_CONNECT_TIMEOUT), 30);
	test_assert_int(config_number(cfg, NULL, VAR_TIMEOUT), 60);
	test_assert_int(config_bool(cfg, NULL, VAR_TLS_VERIFY), 1);
	test_assert_str(config_string(cfg, NULL, VAR_IMAP_STARTTLS), "required");
	test_assert_str(config_string(cfg, NULL, VAR_SENDMAIL), "/usr/sbin/sendmail");
	test_assert_str(config_string(cfg, NULL, VAR_ENV_MBOX), "/home/test/mbox");
	test_assert_str(config_string(cfg, NULL, VAR_FOLDER), "/home/test/Mail");
	test_assert_int(config_enum(cfg, NULL, VAR_KEYMAP), 0);
	test_assert(config_string(cfg, NULL, VAR_TLS_CA_FILE) == NULL);
	config_free(&cfg);
	test_end();

	test_begin("suggestions");
	test_assert_str(vars_suggest("smpt_url"), "smtp_url");
	test_assert_str(vars_suggest("tls_verfy"), "tls_verify");
	test_assert_str(vars_suggest("Dead"), "DEAD");
	test_assert(vars_suggest("qqqqqqqqqq") == NULL);
	test_assert(vars_suggest("x") == NULL);
	test_end();
	return test_done();
}
