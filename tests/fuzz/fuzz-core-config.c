/*
 * Fuzz target: a buffer parsed as a petrel configuration file and as a
 * MAILRC, then every value, account and record read back.  source is off,
 * so no input makes the target read other files.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
walk(const struct config *cfg, const struct config_account *acct)
{
	size_t sum = 0;

	for (int id = 0; id < VAR_COUNT; id++) {
		const char *text = config_value_text(cfg, acct, (enum var_id)id);
		const struct var_def *d = vars_def((enum var_id)id);

		sum += text != NULL ? strlen(text) : 0;
		sum += strlen(config_origin(cfg, acct, (enum var_id)id));
		if (d->type == VAR_T_URL || d->type == VAR_T_FOLDER) {
			const struct config_url *url = config_url(cfg, acct, (enum var_id)id);

			if (url != NULL)
				sum += strlen(url->scheme) + strlen(url->host) +
				       (url->path ? strlen(url->path) : 0);
		}
	}
	return sum;
}

static void
run(const uint8_t *data, size_t size, unsigned flags)
{
	struct config *cfg = config_new();
	struct err err = {0};
	size_t n, sum = 0;
	const struct config_record *recs;
	const struct config_mailrc_line *lines;

	config_load_buffer(cfg, "/nonexistent/fuzz", (const char *)data, size,
	                   flags | CONFIG_LOAD_NO_SOURCE, &err);
	sum += walk(cfg, NULL);
	for (size_t i = 0; i < config_account_count(cfg); i++)
		sum += walk(cfg, config_account_at(cfg, i));
	recs = config_records(cfg, &n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < recs[i].argc; j++)
			sum += strlen(recs[i].argv[j]);
	lines = config_mailrc_lines(cfg, &n);
	for (size_t i = 0; i < n; i++)
		sum += strlen(lines[i].text);
	for (size_t i = 0; i < config_error_count(cfg); i++)
		sum += strlen(config_error(cfg, i));
	(void)config_account_default(cfg);
	if (sum == (size_t)-1)
		abort(); /* keeps the reads from being optimised away */
	config_free(&cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, 0);
	run(data, size, CONFIG_LOAD_MAILRC);
	return 0;
}
