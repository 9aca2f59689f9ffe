/*
 * IMAP folders: one selected mailbox on a connection the folder owns.
 *
 * Opening selects the mailbox and learns its UIDs only (ESEARCH ALL: a few
 * bytes for a contiguous mailbox), so a folder of a million messages opens
 * without a header fetched; summaries come in windows as load_summaries()
 * asks, with one UID FETCH per batch of
 *
 *   UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (...)]
 *
 * (the header fields rather than ENVELOPE: Dovecot answers them faster,
 * and they carry References and List-Post, which ENVELOPE lacks), several
 * batches in flight when prefetch() said which come next.  With a header
 * cache (backend-cache.h) a batch whose summaries are cached costs no
 * FETCH at all, and reopening with QRESYNC fetches only what changed.
 * The header fields are decoded on a second thread (backend_imap_decoder,
 * in backend-imap-conn.h) while the worker goes on reading the socket.
 *
 * The server may speak at any time: EXISTS adds placeholders whose UIDs
 * are fetched before the next operation, EXPUNGE and VANISHED leave
 * tombstones (shown as deleted) so the numbering the faces use holds until
 * sync() compacts it, and FETCH FLAGS updates flags.  Every mutating
 * command uses UIDs.
 *
 * Flag changes are recorded and written (UID STORE .SILENT, UNCHANGEDSINCE
 * with CONDSTORE) before the next operation that talks to the server, so
 * changes made while the connection was down are not lost: when a command
 * fails because the connection dropped, the folder reconnects with
 * back-off, selects again, resynchronises (QRESYNC, else FETCH of every
 * UID and flag), replays what is pending and runs the command once more.
 * A changed UIDVALIDITY instead voids the folder: pending changes are
 * dropped with a warning and check() says REOPENED.
 *
 * A message's part list is its BODYSTRUCTURE (fetch_structure), and
 * parts come alone, in byte ranges when asked; a cancelled range is read
 * to its end so the connection survives.  A search folder (?search=KEYS) takes in new mail by searching
 * only the new UIDs (UID SEARCH UID n:* KEYS).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backend/backend-cache.h"
#include "backend/backend-imap-int.h"
#include "backend/backend-imap-table.h"
#include "backend/backend-imap.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "imap/imap-seqset.h"
#include "imap/imap-summary.h"
#include "mime/mime-charset.h"
#include "mime/mime-header.h"
#include "mime/mime-text.h"

/* What a summary needs, in one FETCH. */
#define SUMMARY_ITEMS "UID FLAGS INTERNALDATE RFC822.SIZE " IMAP_SUMMARY_HEADER_FIELDS
#define LISTING_ITEMS "UID FLAGS INTERNALDATE RFC822.SIZE " IMAP_LISTING_HEADER_FIELDS
/* Bytes of a UID set in one command (servers accept lines of 8 KB and more). */
#define SET_MAX 6000
/* Batches of summaries fetched ahead of the one asked for. */
#define PREFETCH_AHEAD 4
/* Summaries buffered for the header cache before a commit mid-stream. */
#define CACHE_FLUSH_EVERY 2048
/* A cancelled fetch of a byte range up to this long ends with the range,
 * not by dropping the connection in the middle of it. */
#define RANGE_FINISH_MAX (8 * 1024 * 1024)
/* NOOP polls for news when IDLE is not used. */
#define POLL_INTERVAL_MS (60 * 1000)
/* An idle folder whose server stays away tries again this often. */
#define OFFLINE_RETRY_MS (30 * 1000)
/* Waits before each reconnection attempt (the first is at once): about
 * eight seconds in all, enough for a server restart, short enough that a
 * face waiting for a job hears the verdict soon. */
static const int backoff_ms[] = {0, 250, 500, 1000, 2000, 4000};
#define RECONNECT_TRIES ((int)(sizeof(backoff_ms) / sizeof(backoff_ms[0])))

/* What changed since check() or idle() last said. */
enum {
	CH_NEW = 1 << 0,
	CH_FLAGS = 1 << 1,
	CH_EXPUNGED = 1 << 2,
	CH_REOPENED = 1 << 3,
};

/* Summaries that arrived for a batch nobody is reading yet. */
struct stash_entry {
	uint32_t uid;
	struct mime_summary sum;
};

struct pf_batch {
	size_t first, n;
	uint32_t tag;
};

struct backend_folder {
	struct backend_imap_acct acct;
	struct backend_imap_conn *conn;
	char *path;    /* as the URL named it: UTF-8, '/' between levels */
	char *search;  /* the ?search= keys of a search folder, or NULL */
	char *mailbox; /* the server's name of it */
	char *shown;   /* "imap://user@host:port/path" for messages */
	int examine;
	/* The face keeps only a listing's fields: only those are asked for,
	 * and summaries and cache entries say so (mime_summary's partial). */
	int listing_only;
	int read_only;
	uint32_t uidvalidity, uidnext;
	uint64_t modseq; /* highest modification sequence applied */
	int condstore, qresync;
	struct backend_imap_table t;
	unsigned changes;
	int resync; /* the server contradicted the table: read it all again */

	/* The UID list being read (open, reconnect): not applied to t yet. */
	int building;
	int by_seq; /* FETCH 1:* (UID FLAGS) answers, by sequence number */
	uint32_t *uids;
	uint8_t *uid_flags;
	size_t n_uids, cap_uids;
	int uids_bad;

	/* A search folder: the UIDs that matched, ascending (NULL: the
	 * folder numbers every message of the table). */
	uint32_t *view;
	size_t n_view;
	uint32_t view_upto; /* the highest UID the search has looked at */
	int view_grew;      /* view_grow() added messages since take_changes() */

	/* The batch of summaries being waited for: the table positions of
	 * its messages, ascending. */
	const size_t *win_pos;
	size_t win_n;
	struct arena *win_arena;
	struct mime_summary *win_sums;
	uint8_t *win_filled;
	/* Batches fetched ahead, and what prefetch() announced. */
	struct pf_batch pf[PREFETCH_AHEAD];
	size_t n_pf;
	size_t hint_lo, hint_hi;
	int hinted;
	int descending;
	struct arena *stash_arena;
	struct stash_entry *stash;
	size_t n_stash, cap_stash;
	/* Where each stashed UID is: open addressing, 2 * cap_stash slots of
	 * index + 1 (0 empty), so a batch finds its own in constant time. */
	uint32_t *stash_slots;

	/* A body being fetched (or with struct_out, its structure). */
	uint32_t body_uid;
	struct str *body_out;
	struct structure_out *struct_out;
	int body_got;
	int body_ranged;    /* a byte range: a cancel waits for its end */
	int body_cancelled; /* and came meanwhile */

	/* Search results, and STORE conflicts. */
	int searching;
	uint64_t *found;
	size_t n_found, cap_found;
	int modified;
	int pending;                   /* set_flags() recorded changes flush_flags() has not sent */
	enum imap_code_kind last_code; /* of the last completion */
	int flags_cached;              /* QRESYNC said cached flags are current */
	int qsel;                      /* a SELECT with QRESYNC is under way */

	/* The job under way (set_job). */
	struct backend_progress progress;
	int cancel_fd;

	struct backend_cache *cache;
	struct backend_body_cache *bodies;
	/* Decodes summaries while the connection is read (NULL until used). */
	struct backend_imap_decoder *decoder;
};

static void on_event(void *ctx, const struct imap_event *ev);
static int search_view(struct backend_folder *f, struct err *err);
static int view_grow(struct backend_folder *f, struct err *err);

static struct imap_session *
session(struct backend_folder *f)
{
	return backend_imap_conn_session(f->conn);
}

static void
notify(struct backend_folder *f, enum backend_conn_state state, unsigned attempt,
       const struct err *cause)
{
	if (f->acct.notify.conn_state != NULL)
		f->acct.notify.conn_state(f->acct.notify.ctx, state, attempt, cause);
}

/* Effective flags: the server's with our unconfirmed changes. */
static unsigned
msg_flags(const struct backend_imap_msg *m)
{
	unsigned fl = ((unsigned)m->flags | m->pset) & ~(unsigned)m->pclear;

	if (m->st & BACKEND_IMAP_MSG_GONE)
		fl |= MIME_FLAG_DELETED;
	return fl;
}

/* ---- what the faces number ---- */

static size_t
view_count(const struct backend_folder *f)
{
	return f->view != NULL ? f->n_view : f->t.n;
}

/* The table position of the message faces number i; -1 when there is none. */
static int
view_pos(const struct backend_folder *f, size_t i, size_t *pos_r)
{
	if (f->view == NULL) {
		if (i >= f->t.n)
			return -1;
		*pos_r = i;
		return 0;
	}
	if (i >= f->n_view)
		return -1;
	return backend_imap_table_find(&f->t, f->view[i], pos_r) ? 0 : -1;
}

/* A search folder loses what the server expunged when the table does. */
static void
view_prune(struct backend_folder *f)
{
	size_t w = 0, pos;

	if (f->view == NULL)
		return;
	for (size_t r = 0; r < f->n_view; r++)
		if (backend_imap_table_find(&f->t, f->view[r], &pos) &&
		    !(f->t.m[pos].st & BACKEND_IMAP_MSG_GONE))
			f->view[w++] = f->view[r];
	f->n_view = w;
}

/* Drops tombstones: the numbering changes (after an expunge). */
static void
compact(struct backend_folder *f)
{
	view_prune(f);
	backend_imap_table_compact(&f->t);
	f->n_pf = 0;
}

/* ---- the UID list ---- */

static void
uids_push(struct backend_folder *f, uint32_t uid, unsigned flags)
{
	if (f->n_uids == f->cap_uids) {
		f->cap_uids = f->cap_uids ? f->cap_uids * 2 : 1024;
		f->uids = xreallocarray(f->uids, f->cap_uids, sizeof(*f->uids));
		f->uid_flags = xreallocarray(f->uid_flags, f->cap_uids, 1);
	}
	f->uids[f->n_uids] = uid;
	f->uid_flags[f->n_uids] = (uint8_t)flags;
	f->n_uids++;
}

static void
uids_clear(struct backend_folder *f)
{
	free(f->uids);
	free(f->uid_flags);
	f->uids = NULL;
	f->uid_flags = NULL;
	f->n_uids = f->cap_uids = 0;
	f->uids_bad = 0;
}

/* ESEARCH ALL, SEARCH: never expanded past the message count. */
static void
on_uid_search(struct backend_folder *f, const struct imap_response *r)
{
	const struct imap_mailbox_state *mb = imap_session_mailbox(session(f));
	uint64_t limit = mb != NULL ? mb->exists : 0;

	if (r->type == IMAP_RESP_ESEARCH) {
		const struct imap_seqset *all = &r->u.esearch.all;

		if (!(r->u.esearch.present & IMAP_ESEARCH_ALL))
			return;
		if (f->n_uids + imap_seqset_count(all) > limit) {
			f->uids_bad = 1;
			return;
		}
		for (size_t i = 0; i < all->n; i++)
			for (uint64_t u = all->r[i].lo; u <= all->r[i].hi; u++)
				uids_push(f, (uint32_t)u, 0);
	} else {
		if (f->n_uids + r->u.search.n > limit) {
			f->uids_bad = 1;
			return;
		}
		for (size_t i = 0; i < r->u.search.n; i++)
			uids_push(f, r->u.search.ids[i], 0);
	}
}

static void
on_uid_fetch(struct backend_folder *f, const struct imap_fetch *fe)
{
	if (!(fe->present & IMAP_FETCH_UID) || fe->seq == 0) {
		f->uids_bad = 1;
		return;
	}
	while (f->n_uids < fe->seq)
		uids_push(f, 0, 0);
	f->uids[fe->seq - 1] = fe->uid;
	f->uid_flags[fe->seq - 1] =
	    (uint8_t)((fe->present & IMAP_FETCH_FLAGS) ? imap_summary_flags(&fe->flags) : 0);
}

static int
uids_ascending(const struct backend_folder *f)
{
	for (size_t i = 1; i < f->n_uids; i++)
		if (f->uids[i] != 0 && f->uids[i] <= f->uids[i - 1])
			return 0;
	return 1;
}

/*
 * Applies the UID list just read to the table: UIDs no longer listed are
 * tombstones, new ones are appended.  Returns -1 when the list holds a
 * UID below the highest known that the table lacks, which cannot happen
 * under one UIDVALIDITY: the caller starts over.
 */
static int
merge_uids(struct backend_folder *f, int with_flags)
{
	struct backend_imap_table *t = &f->t;
	size_t i = 0, j = 0;

	while (i < t->known && j < f->n_uids && f->uids[j] != 0) {
		struct backend_imap_msg *m = &t->m[i];

		if (m->uid < f->uids[j]) {
			if (!(m->st & BACKEND_IMAP_MSG_GONE)) {
				backend_imap_table_gone(t, i);
				f->changes |= CH_EXPUNGED;
			}
			i++;
		} else if (m->uid == f->uids[j]) {
			if (with_flags && !(m->st & BACKEND_IMAP_MSG_GONE)) {
				if ((m->st & BACKEND_IMAP_MSG_KNOWN) && m->flags != f->uid_flags[j])
					f->changes |= CH_FLAGS;
				if (m->flags != f->uid_flags[j] ||
				    !(m->st & BACKEND_IMAP_MSG_KNOWN))
					m->st |= BACKEND_IMAP_MSG_DIRTY;
				m->flags = f->uid_flags[j];
				m->st |= BACKEND_IMAP_MSG_KNOWN;
			}
			i++;
			j++;
		} else {
			return -1;
		}
	}
	for (; i < t->n; i++) {
		if (!(t->m[i].st & BACKEND_IMAP_MSG_GONE)) {
			backend_imap_table_gone(t, i);
			if (t->m[i].uid != 0)
				f->changes |= CH_EXPUNGED;
		}
	}
	for (; j < f->n_uids; j++) {
		if (backend_imap_table_append(t, f->uids[j], f->uid_flags[j], with_flags) < 0)
			return -1;
		if (with_flags)
			t->m[t->n - 1].st |= BACKEND_IMAP_MSG_DIRTY;
		f->changes |= CH_NEW;
	}
	return 0;
}

/* Reads every UID (and with flags, every flag) of the selected mailbox. */
static int
read_uids(struct backend_folder *f, int with_flags, struct err *err)
{
	struct imap_session *s = session(f);
	const struct imap_mailbox_state *mb = imap_session_mailbox(s);
	uint32_t tag;
	int rc = -1;

	uids_clear(f);
	f->building = 1;
	if (mb == NULL || mb->exists == 0) {
		rc = 0;
		goto out;
	}
	if (!with_flags) {
		int esearch = (imap_session_caps(s) & IMAP_CAP_ESEARCH) != 0;
		struct imap_search_key all = {"ALL", NULL};

		f->by_seq = 0;
		if (imap_cmd_search(s, 1, esearch ? IMAP_ESEARCH_ALL : 0, &all, 1, &tag, err) < 0 ||
		    backend_imap_conn_wait(f->conn, tag, err) < 0)
			goto out;
		mb = imap_session_mailbox(s);
		if (!f->uids_bad && mb != NULL && f->n_uids == mb->exists && uids_ascending(f)) {
			rc = 0;
			goto out;
		}
		/* Mail came or went meanwhile, or the answer made no sense:
		 * by sequence number nothing can move under the answer. */
		uids_clear(f);
	}
	f->by_seq = 1;
	if (imap_cmd_fetch(s, 0, "1:*", "UID FLAGS", 0, 0, &tag, err) < 0 ||
	    backend_imap_conn_wait(f->conn, tag, err) < 0)
		goto out;
	while (f->n_uids > 0 && f->uids[f->n_uids - 1] == 0)
		f->n_uids--; /* announced during the FETCH: placeholders later */
	for (size_t i = 0; i < f->n_uids; i++)
		if (f->uids[i] == 0)
			f->uids_bad = 1;
	if (f->uids_bad || !uids_ascending(f)) {
		err_set(err, ERR_PROTO, "%s: the server's list of UIDs makes no sense", f->shown);
		goto out;
	}
	rc = 0;
out:
	f->building = 0;
	f->by_seq = 0;
	return rc;
}

/* ---- events ---- */

/* The tag of a decoded summary bound for the stash (else a batch slot). */
#define DECODED_STASH ((size_t)1 << (sizeof(size_t) * 8 - 1))

/* Hands fe to the decoding thread: 0, or -1 when the caller decodes. */
static int
decoder_push(struct backend_folder *f, const struct imap_fetch *fe, struct arena *arena,
             size_t tag)
{
	if (f->decoder == NULL)
		f->decoder = backend_imap_decoder_new();
	return backend_imap_decoder_push(f->decoder, fe, arena, tag);
}

/* A summary decoded, by the decoding thread or in place on the worker's
 * (when no thread could start), put where it goes and in the cache. */
static void
on_decoded(void *ctx, size_t tag, const struct mime_summary *sum)
{
	struct backend_folder *f = ctx;
	struct mime_summary *s;
	unsigned flags = sum->flags;
	size_t idx;

	if (tag & DECODED_STASH) {
		s = &f->stash[tag & ~DECODED_STASH].sum;
		if (s != sum)
			*s = *sum;
		if (backend_imap_table_find(&f->t, f->stash[tag & ~DECODED_STASH].uid, &idx))
			flags = f->t.m[idx].flags;
	} else {
		const struct backend_imap_msg *m = &f->t.m[f->win_pos[tag]];

		s = &f->win_sums[tag];
		if (s != sum)
			*s = *sum;
		s->id = m->uid;
		s->flags = msg_flags(m);
		flags = m->flags;
	}
	s->partial = (unsigned)f->listing_only;
	if (f->cache != NULL)
		backend_cache_put(f->cache, s->id, s, flags);
}

/* Waits for the summaries being decoded and puts them in place; the
 * arenas they went to are the worker's again. */
static void
decoder_drain(struct backend_folder *f)
{
	backend_imap_decoder_drain(f->decoder, on_decoded, f);
}

/* The first slot of the stash's hash a UID is looked for in. */
static size_t
stash_slot_of(uint32_t uid, size_t mask)
{
	return (size_t)((uid * 2654435761u) & mask);
}

static void
stash_index(struct backend_folder *f, size_t i)
{
	size_t mask = 2 * f->cap_stash - 1, k = stash_slot_of(f->stash[i].uid, mask);

	while (f->stash_slots[k] != 0)
		k = (k + 1) & mask;
	f->stash_slots[k] = (uint32_t)(i + 1);
}

/* Sets a summary aside for a batch still to be read. */
static void
stash_put(struct backend_folder *f, uint32_t uid, const struct imap_fetch *fe)
{
	struct stash_entry *e;

	if (f->stash_arena == NULL)
		f->stash_arena = arena_new();
	if (f->n_stash == f->cap_stash) {
		f->cap_stash = f->cap_stash ? f->cap_stash * 2 : 256;
		f->stash = xreallocarray(f->stash, f->cap_stash, sizeof(*f->stash));
		free(f->stash_slots);
		f->stash_slots = xcalloc(2 * f->cap_stash, sizeof(*f->stash_slots));
		for (size_t i = 0; i < f->n_stash; i++)
			if (f->stash[i].uid != 0)
				stash_index(f, i);
	}
	e = &f->stash[f->n_stash++];
	e->uid = uid;
	stash_index(f, f->n_stash - 1);
	memset(&e->sum, 0, sizeof(e->sum));
	if (decoder_push(f, fe, f->stash_arena, (f->n_stash - 1) | DECODED_STASH) == 0)
		return;
	imap_summary_from_fetch(f->stash_arena, fe, &e->sum);
	on_decoded(f, (f->n_stash - 1) | DECODED_STASH, &e->sum);
}

/* Taken entries keep their slot (uid 0 there then), so probing goes on
 * past them; the slots are cleared only when the stash empties. */
static struct mime_summary *
stash_take(struct backend_folder *f, uint32_t uid)
{
	size_t mask, k;

	if (f->n_stash == 0 || uid == 0)
		return NULL;
	mask = 2 * f->cap_stash - 1;
	for (k = stash_slot_of(uid, mask); f->stash_slots[k] != 0; k = (k + 1) & mask) {
		struct stash_entry *e = &f->stash[f->stash_slots[k] - 1];

		if (e->uid == uid) {
			e->uid = 0;
			return &e->sum;
		}
	}
	return NULL;
}

static void
stash_tidy(struct backend_folder *f)
{
	for (size_t i = 0; i < f->n_stash; i++)
		if (f->stash[i].uid != 0)
			return;
	if (f->n_stash > 0)
		memset(f->stash_slots, 0, 2 * f->cap_stash * sizeof(*f->stash_slots));
	f->n_stash = 0;
	if (f->stash_arena != NULL)
		arena_reset(f->stash_arena);
}

/* Summaries of messages whose header fields came: into the batch being
 * read, else aside for a batch still to be read; the cache gets both. */
static void
on_summary(struct backend_folder *f, size_t idx, const struct imap_fetch *fe)
{
	struct backend_imap_msg *m = &f->t.m[idx];
	int has_header = 0;

	for (size_t i = 0; i < fe->n_sections; i++)
		if (strncasecmp(fe->sections[i].section, "HEADER", 6) == 0 &&
		    fe->sections[i].data != NULL)
			has_header = 1;
	if (!has_header)
		return;
	if (f->win_sums != NULL) {
		size_t lo = 0, hi = f->win_n;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (f->win_pos[mid] < idx)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < f->win_n && f->win_pos[lo] == idx && !f->win_filled[lo]) {
			f->win_filled[lo] = 1;
			/* The cache entry carries the flags: nothing to update. */
			if (f->cache != NULL)
				m->st &= (uint8_t)~BACKEND_IMAP_MSG_DIRTY;
			if (decoder_push(f, fe, f->win_arena, lo) == 0)
				return;
			imap_summary_from_fetch(f->win_arena, fe, &f->win_sums[lo]);
			on_decoded(f, lo, &f->win_sums[lo]);
			return;
		}
	}
	if (f->cache != NULL)
		m->st &= (uint8_t)~BACKEND_IMAP_MSG_DIRTY;
	stash_put(f, m->uid, fe);
}

static void
on_body_data(struct backend_folder *f, const char *data, size_t len, uint64_t done, uint64_t total)
{
	str_append_len(f->body_out, data, len);
	f->body_got = 1;
	backend_report(&f->progress, done, total, "fetching");
}

/* A part list being filled from FETCH BODYSTRUCTURE (fetch_structure). */
struct structure_out {
	struct arena *arena;
	struct backend_part *v;
	size_t n, cap;
};

/* A protocol token (type, encoding...) as lower-case printable ASCII. */
static const char *
structure_token(struct arena *arena, const char *a, const char *b)
{
	struct str t = STR_INIT;
	const char *r;

	str_append(&t, a != NULL ? a : "");
	if (b != NULL) {
		str_append_char(&t, '/');
		str_append(&t, b);
	}
	for (size_t i = 0; i < t.len; i++) {
		unsigned char c = (unsigned char)t.s[i];

		if (c >= 'A' && c <= 'Z')
			t.s[i] = (char)(c - 'A' + 'a');
		else if (c < 0x20 || c >= 0x7f)
			t.s[i] = '?';
	}
	r = arena_strdup(arena, t.s != NULL ? t.s : "");
	str_free(&t);
	return r;
}

static const char *
body_param(const struct imap_body_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].name != NULL && strcasecmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

/* Appends an RFC 2231 extended value's bytes (%XX undone). */
static void
pct_decode(struct str *out, const char *v)
{
	for (; *v != '\0'; v++) {
		int hi, lo;

		if (*v == '%' && (hi = str_hex_digit(v[1])) >= 0 && (lo = str_hex_digit(v[2])) >= 0) {
			str_append_char(out, (char)(hi * 16 + lo));
			v += 2;
		} else {
			str_append_char(out, *v);
		}
	}
}

/*
 * Parameter `name` decoded to terminal-safe UTF-8, or NULL when absent.
 * Servers send RFC 2231 parameters as they found them (Dovecot joins the
 * continuations into one "name*"), so both forms are read here:
 * "name*" = charset'lang'%XX..., or "name*0", "name*1*"... in order.  An
 * extended value wins over a plain one; a plain one may hold RFC 2047
 * words, which mail programs write although RFC 2047 forbids it.
 */
static const char *
param_decoded(struct arena *arena, const struct imap_body_params *p, const char *name)
{
	struct str raw = STR_INIT, utf8 = STR_INIT;
	char key[80], charset[64] = "";
	const char *v, *r = NULL;
	int ext = 0;

	snprintf(key, sizeof(key), "%s*", name);
	if ((v = body_param(p, key)) != NULL) {
		const char *q1 = strchr(v, '\''), *q2 = q1 != NULL ? strchr(q1 + 1, '\'') : NULL;

		if (q2 != NULL) {
			snprintf(charset, sizeof(charset), "%.*s", (int)(q1 - v), v);
			v = q2 + 1;
		}
		pct_decode(&raw, v);
		ext = 1;
	} else {
		for (unsigned k = 0; k < 1000; k++) {
			snprintf(key, sizeof(key), "%s*%u*", name, k);
			if ((v = body_param(p, key)) != NULL) {
				if (k == 0) {
					const char *q1 = strchr(v, '\''),
					           *q2 = q1 != NULL ? strchr(q1 + 1, '\'') : NULL;

					if (q2 != NULL) {
						snprintf(charset, sizeof(charset), "%.*s",
						         (int)(q1 - v), v);
						v = q2 + 1;
					}
				}
				pct_decode(&raw, v);
				ext = 1;
				continue;
			}
			snprintf(key, sizeof(key), "%s*%u", name, k);
			if ((v = body_param(p, key)) == NULL)
				break;
			str_append(&raw, v);
			ext = 1;
		}
	}
	if (ext) {
		if (charset[0] != '\0')
			mime_charset_to_utf8(&utf8, raw.s != NULL ? raw.s : "", raw.len, charset,
			                     NULL);
		else
			mime_text_8bit_to_utf8(&utf8, raw.s != NULL ? raw.s : "", raw.len);
		r = mime_sanitize_arena(arena, utf8.s != NULL ? utf8.s : "", utf8.len, 0);
	} else if ((v = body_param(p, name)) != NULL) {
		r = mime_header_decode_text(arena, v, strlen(v), 0);
	}
	str_free(&raw);
	str_free(&utf8);
	return r;
}

/*
 * One entry per node in tree order.  The multipart body of a
 * message/rfc822 part shares that part's number and gets no entry of its
 * own.  The parser's nesting limit bounds the tree, and so this recursion.
 */
static void
structure_add(struct structure_out *o, const struct imap_body *b, unsigned depth)
{
	struct backend_part *bp;
	const char *v;

	if (b == NULL)
		return;
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->v = xreallocarray(o->v, o->cap, sizeof(*o->v));
	}
	bp = &o->v[o->n++];
	memset(bp, 0, sizeof(*bp));
	bp->path = structure_token(o->arena, b->part, NULL);
	bp->type = structure_token(o->arena, b->type != NULL ? b->type : "",
	                           b->subtype != NULL ? b->subtype : "");
	bp->container = b->n_parts > 0;
	bp->size = bp->container ? 0 : b->size;
	bp->disposition = structure_token(o->arena, b->disposition, NULL);
	v = param_decoded(o->arena, &b->disposition_params, "filename");
	if (v == NULL)
		v = param_decoded(o->arena, &b->params, "name");
	bp->filename = v != NULL ? v : "";
	bp->charset = structure_token(o->arena, body_param(&b->params, "charset"), NULL);
	bp->encoding = structure_token(o->arena, b->encoding, NULL);
	bp->boundary = bp->container
	                   ? structure_token(o->arena, body_param(&b->params, "boundary"), NULL)
	                   : "";
	bp->depth = depth;
	if (b->message != NULL) {
		if (b->message->n_parts > 0 && strcmp(b->message->part, b->part) == 0) {
			for (size_t i = 0; i < b->message->n_parts; i++)
				structure_add(o, &b->message->parts[i], depth + 1);
		} else {
			structure_add(o, b->message, depth + 1);
		}
	}
	for (size_t i = 0; i < b->n_parts; i++)
		structure_add(o, &b->parts[i], depth + 1);
}

static void
on_fetch(struct backend_folder *f, const struct imap_fetch *fe)
{
	struct backend_imap_table *t = &f->t;
	struct backend_imap_msg *m;
	size_t idx;

	if (f->building) {
		if (f->by_seq)
			on_uid_fetch(f, fe);
		return;
	}
	if (f->qsel) {
		/* Sequence numbers are the server's new ones, the table still
		 * the old: go by UID. */
		if (!(fe->present & IMAP_FETCH_UID))
			return;
		if (!backend_imap_table_find(t, fe->uid, &idx)) {
			if (fe->uid <= backend_imap_table_max_uid(t) ||
			    backend_imap_table_append(t, fe->uid, 0, 0) < 0) {
				f->resync = 1;
				return;
			}
			idx = t->n - 1;
			f->changes |= CH_NEW;
		}
		if (t->m[idx].st & BACKEND_IMAP_MSG_GONE)
			return;
		if (fe->present & IMAP_FETCH_FLAGS) {
			m = &t->m[idx];
			if ((m->st & BACKEND_IMAP_MSG_KNOWN || f->flags_cached) &&
			    m->flags != imap_summary_flags(&fe->flags))
				f->changes |= CH_FLAGS;
			m->flags = (uint8_t)imap_summary_flags(&fe->flags);
			m->st |= BACKEND_IMAP_MSG_KNOWN | BACKEND_IMAP_MSG_DIRTY;
		}
		return;
	}
	if (backend_imap_table_seq_index(t, fe->seq, &idx) < 0) {
		log_trace(LOG_CH_BACKEND, "%s: FETCH for message %u, which the table lacks",
		          f->shown, fe->seq);
		f->resync = 1;
		return;
	}
	m = &t->m[idx];
	if (fe->present & IMAP_FETCH_UID) {
		if (m->uid == 0) {
			if (backend_imap_table_set_uid(t, idx, fe->uid) < 0) {
				f->resync = 1;
				return;
			}
			m = &t->m[t->known - 1];
			idx = t->known - 1;
			f->changes |= CH_NEW;
		} else if (m->uid != fe->uid) {
			log_trace(LOG_CH_BACKEND, "%s: message %u has UID %u, the table says %u",
			          f->shown, fe->seq, fe->uid, m->uid);
			f->resync = 1;
			return;
		}
	}
	if (fe->present & IMAP_FETCH_FLAGS) {
		unsigned fl = imap_summary_flags(&fe->flags);

		if ((m->st & BACKEND_IMAP_MSG_KNOWN) && m->flags != fl)
			f->changes |= CH_FLAGS;
		if (m->flags != fl || !(m->st & BACKEND_IMAP_MSG_KNOWN))
			m->st |= BACKEND_IMAP_MSG_DIRTY;
		m->flags = (uint8_t)fl;
		m->st |= BACKEND_IMAP_MSG_KNOWN;
	}
	if (m->uid == 0)
		return;
	if (f->struct_out != NULL && m->uid == f->body_uid &&
	    (fe->present & IMAP_FETCH_BODYSTRUCTURE)) {
		structure_add(f->struct_out, fe->body, 0);
		f->body_got = 1;
	}
	if (fe->present & IMAP_FETCH_BODY) {
		if (f->body_out != NULL && m->uid == f->body_uid) {
			for (size_t i = 0; i < fe->n_sections; i++)
				if (fe->sections[i].data != NULL)
					on_body_data(f, fe->sections[i].data,
					             (size_t)fe->sections[i].len,
					             fe->sections[i].len, fe->sections[i].len);
				else if (!fe->sections[i].streamed)
					f->body_got = 1; /* NIL: nothing there */
			return;
		}
		on_summary(f, idx, fe);
	}
}

static void
on_chunk(struct backend_folder *f, const struct imap_fetch_chunk *ch)
{
	uint32_t uid = ch->uid;
	size_t idx;

	if (uid == 0 && backend_imap_table_seq_index(&f->t, ch->seq, &idx) == 0)
		uid = f->t.m[idx].uid;
	if (f->body_out == NULL || uid != f->body_uid)
		return;
	on_body_data(f, ch->data, ch->len, ch->offset + ch->len, ch->body.len);
	if (f->body_ranged) {
		/* A range is short: reading the rest of it keeps the
		 * connection, and the fetch fails when it is done. */
		if (!f->body_cancelled && backend_cancelled(&f->progress, f->cancel_fd))
			f->body_cancelled = 1;
		return;
	}
	if (backend_cancelled(&f->progress, f->cancel_fd)) {
		struct err e;

		/* The rest of the literal is still coming: only a new
		 * connection stops it. */
		err_set(&e, ERR_CANCELLED, "%s: cancelled", f->shown);
		f->body_out = NULL;
		backend_imap_conn_abort(f->conn, &e);
	}
}

static void
on_vanished(struct backend_folder *f, const struct imap_seqset *uids)
{
	struct backend_imap_table *t = &f->t;

	for (size_t r = 0; r < uids->n; r++) {
		size_t i = backend_imap_table_lower_bound(t, uids->r[r].lo);

		for (; i < t->known && t->m[i].uid <= uids->r[r].hi; i++) {
			if (!(t->m[i].st & BACKEND_IMAP_MSG_GONE)) {
				backend_imap_table_gone(t, i);
				f->changes |= CH_EXPUNGED;
			}
		}
	}
}

static void
on_search(struct backend_folder *f, const struct imap_response *r)
{
	if (r->type == IMAP_RESP_SEARCH) {
		for (size_t i = 0; i < r->u.search.n; i++) {
			if (f->n_found == f->cap_found) {
				f->cap_found = f->cap_found ? f->cap_found * 2 : 64;
				f->found = xreallocarray(f->found, f->cap_found, sizeof(*f->found));
			}
			f->found[f->n_found++] = r->u.search.ids[i];
		}
		return;
	}
	if (!(r->u.esearch.present & IMAP_ESEARCH_ALL))
		return;
	for (size_t i = 0; i < r->u.esearch.all.n; i++) {
		const struct imap_range *rg = &r->u.esearch.all.r[i];
		size_t k = backend_imap_table_lower_bound(&f->t, rg->lo);

		/* Only UIDs the table has count: a hostile range cannot make
		 * the list longer than the folder. */
		for (; k < f->t.known && f->t.m[k].uid <= rg->hi; k++) {
			if (f->n_found == f->cap_found) {
				f->cap_found = f->cap_found ? f->cap_found * 2 : 64;
				f->found = xreallocarray(f->found, f->cap_found, sizeof(*f->found));
			}
			f->found[f->n_found++] = f->t.m[k].uid;
		}
	}
}

static void
on_event(void *ctx, const struct imap_event *ev)
{
	struct backend_folder *f = ctx;
	const struct imap_response *r = ev->resp;
	size_t idx;

	switch (ev->kind) {
	case IMAP_EV_EXISTS:
		if (f->building || f->qsel)
			break;
		while (f->t.live < ev->count) {
			backend_imap_table_append(&f->t, 0, 0, 0);
			f->changes |= CH_NEW;
		}
		break;
	case IMAP_EV_EXPUNGE:
		if (f->building || f->qsel)
			break;
		if (backend_imap_table_seq_index(&f->t, ev->count, &idx) == 0) {
			backend_imap_table_gone(&f->t, idx);
			f->changes |= CH_EXPUNGED;
		} else {
			f->resync = 1;
		}
		break;
	case IMAP_EV_VANISHED:
		if (!f->building && r != NULL)
			on_vanished(f, &r->u.vanished.uids);
		break;
	case IMAP_EV_FETCH:
		on_fetch(f, &r->u.fetch);
		break;
	case IMAP_EV_FETCH_CHUNK:
		if (!f->building)
			on_chunk(f, &r->u.chunk);
		break;
	case IMAP_EV_RESYNC:
		log_trace(LOG_CH_BACKEND, "%s: resynchronising: %s", f->shown,
		          ev->text != NULL ? ev->text : "");
		f->resync = 1;
		break;
	case IMAP_EV_NOTICE:
		if (r != NULL && r->code.kind == IMAP_CODE_ALERT) {
			struct str t = STR_INIT;

			mime_sanitize(&t, r->text, strlen(r->text), 0);
			log_warn("%s: the server says: %s", backend_imap_conn_peer(f->conn),
			         str_cstr(&t));
			str_free(&t);
		} else if (r != NULL && r->code.kind == IMAP_CODE_HIGHESTMODSEQ && !f->building &&
		           !f->qsel) {
			/* Every change up to it has been sent to us by now. */
			if (r->code.u.modseq > f->modseq)
				f->modseq = r->code.u.modseq;
		}
		break;
	case IMAP_EV_DATA:
		if (r == NULL)
			break;
		if (r->type == IMAP_RESP_SEARCH || r->type == IMAP_RESP_ESEARCH) {
			if (f->building && !f->by_seq)
				on_uid_search(f, r);
			else if (f->searching)
				on_search(f, r);
		}
		break;
	case IMAP_EV_DONE:
		f->last_code = r != NULL ? r->code.kind : IMAP_CODE_NONE;
		if (f->last_code == IMAP_CODE_MODIFIED)
			f->modified = 1;
		break;
	default:
		break;
	}
}

/* ---- connecting ---- */

/* Waits ms, or less when fd (the job's cancel, or the worker's requests)
 * turns readable: then 1. */
static int
nap(int ms, int fd1, int fd2)
{
	struct pollfd pfd[2];
	nfds_t n = 0;

	if (fd1 >= 0) {
		pfd[n].fd = fd1;
		pfd[n++].events = POLLIN;
	}
	if (fd2 >= 0) {
		pfd[n].fd = fd2;
		pfd[n++].events = POLLIN;
	}
	for (;;) {
		int r = poll(pfd, n, ms);

		if (r >= 0)
			return r > 0;
		if (errno != EINTR)
			return 0;
	}
}

/* Messages the table has live: the count QRESYNC must arrive at. */
static void
qresync_uid_list(const struct backend_folder *f, struct str *out)
{
	uint32_t *uids = xcalloc(f->t.known ? f->t.known : 1, sizeof(*uids));
	size_t n = 0;

	for (size_t i = 0; i < f->t.known; i++)
		if (!(f->t.m[i].st & BACKEND_IMAP_MSG_GONE))
			uids[n++] = f->t.m[i].uid;
	/* All of them or none: a cut list would hide what vanished above it. */
	if (n > 0 && imap_seqset_format(out, uids, n, SET_MAX) < n)
		str_reset(out);
	free(uids);
}

/*
 * SELECT, then the table made to match the mailbox.  With QRESYNC and a
 * known state (the table after a dropped connection, or the cache's
 * record at the first opening) the server sends only what changed:
 * VANISHED (EARLIER) and the FETCH of changed and new messages.  Else
 * every UID is read (with flags when they are needed: cached summaries,
 * a reconnection).  A changed UIDVALIDITY voids everything known.
 */
static int
select_mailbox(struct backend_folder *f, struct err *err)
{
	struct imap_session *s = session(f);
	const struct imap_mailbox_state *mb;
	struct imap_select_opts so;
	struct str known = STR_INIT;
	uint32_t tag, old_validity = f->uidvalidity, q_validity = 0;
	uint64_t q_modseq = 0;
	int with_flags = f->t.n > 0, rc;

	memset(&so, 0, sizeof(so));
	so.examine = f->examine;
	f->qresync = (imap_session_enabled(s) & IMAP_ENABLED_QRESYNC) != 0;
	f->flags_cached = 0;
	if (f->qresync && f->t.n > 0 && f->uidvalidity != 0 && f->modseq != 0) {
		/* Placeholders come back as new messages. */
		for (size_t i = f->t.known; i < f->t.n; i++)
			backend_imap_table_gone(&f->t, i);
		q_validity = f->uidvalidity;
		q_modseq = f->modseq;
	} else if (f->qresync && f->t.n == 0 && f->cache != NULL) {
		uint32_t *uids = NULL;
		size_t n = 0;

		if (backend_cache_get_state(f->cache, &q_validity, &q_modseq, &uids, &n) == 1 &&
		    q_modseq != 0) {
			for (size_t i = 0; i < n; i++)
				backend_imap_table_append(&f->t, uids[i], 0, 0);
			f->flags_cached = 1;
		} else {
			q_validity = 0;
		}
		free(uids);
	}
	if (q_validity != 0) {
		qresync_uid_list(f, &known);
		so.qresync_uidvalidity = q_validity;
		so.qresync_modseq = q_modseq;
		so.qresync_uids = known.len > 0 ? str_cstr(&known) : NULL;
		f->qsel = 1;
	} else {
		f->building = 1;
	}
	f->by_seq = 0;
	rc = imap_cmd_select(s, f->mailbox, &so, &tag, err);
	if (rc == 0)
		rc = backend_imap_conn_wait(f->conn, tag, err);
	f->building = 0;
	f->qsel = 0;
	str_free(&known);
	if (rc < 0) {
		if (err != NULL && err->kind == ERR_REJECTED)
			err_prefix(err, "%s: cannot open the folder", f->shown);
		return -1;
	}
	mb = imap_session_mailbox(s);
	f->read_only = f->examine || mb->read_only;
	f->condstore = (imap_session_enabled(s) & IMAP_ENABLED_CONDSTORE) && !mb->nomodseq;
	f->uidnext = mb->uidnext;
	f->modseq = mb->highestmodseq;
	/* QRESYNC reports changes among the UIDs named: messages that came
	 * since are placeholders, their UIDs fetched next (resolve_unknown). */
	if (q_validity != 0 && mb->uidvalidity == q_validity && !f->resync &&
	    f->t.live < mb->exists && backend_imap_table_unknown(&f->t) == 0) {
		while (f->t.live < mb->exists)
			backend_imap_table_append(&f->t, 0, 0, 0);
		f->changes |= CH_NEW;
	}
	if (q_validity != 0 &&
	    (mb->uidvalidity != q_validity || f->resync || f->t.live != mb->exists)) {
		log_trace(LOG_CH_BACKEND, "%s: QRESYNC did not bring the folder up to date (%s)",
		          f->shown,
		          mb->uidvalidity != q_validity ? "new UIDVALIDITY" : "counts differ");
		if (old_validity == 0) {
			/* Only the cache's word was taken: forget it. */
			backend_imap_table_reset(&f->t);
			f->flags_cached = 0;
		}
		q_validity = 0;
		with_flags = 1;
		f->resync = 0;
	}
	if (old_validity != 0 && mb->uidvalidity != old_validity) {
		size_t pending = 0;

		for (size_t i = 0; i < f->t.n; i++)
			if (f->t.m[i].pset | f->t.m[i].pclear)
				pending++;
		if (pending > 0)
			log_warn("%s: the folder was replaced on the server (UIDVALIDITY changed); "
			         "%zu unsaved flag change%s dropped",
			         f->shown, pending, pending == 1 ? "" : "s");
		else
			log_info("%s: the folder was replaced on the server (UIDVALIDITY changed)",
			         f->shown);
		backend_imap_table_reset(&f->t);
		f->changes |= CH_REOPENED;
		with_flags = 0;
		if (f->cache != NULL)
			backend_cache_drop_folder(f->cache);
	}
	f->uidvalidity = mb->uidvalidity;
	if (f->cache != NULL && backend_cache_select(f->cache, f->uidvalidity) > 0)
		with_flags = 1; /* cached summaries need current flags */
	if (q_validity != 0) {
		/* Up to date: what QRESYNC did not mention is as it was. */
		log_trace(LOG_CH_BACKEND, "%s: resynchronised with QRESYNC", f->shown);
		return f->search != NULL && f->view == NULL ? search_view(f, err) : 0;
	}
	f->flags_cached = 0;
	if (read_uids(f, with_flags, err) < 0)
		return -1;
	if (merge_uids(f, with_flags) < 0) {
		log_info("%s: the server's UIDs do not match what was known; reloading", f->shown);
		backend_imap_table_reset(&f->t);
		f->changes |= CH_REOPENED;
		if (merge_uids(f, with_flags) < 0) {
			uids_clear(f);
			return err_set(err, ERR_PROTO,
			               "%s: the server's list of UIDs makes no sense", f->shown);
		}
	}
	uids_clear(f);
	f->resync = 0;
	/* A search folder is searched when opened, and again when the
	 * folder it searched was replaced. */
	if (f->search != NULL && (f->view == NULL || (f->changes & CH_REOPENED)))
		return search_view(f, err);
	return 0;
}

static void
drop_conn(struct backend_folder *f)
{
	f->n_pf = 0;
	f->win_sums = NULL;
	f->body_out = NULL;
	f->struct_out = NULL;
	f->searching = 0;
	backend_imap_conn_free(&f->conn);
}

/* One connection, logged in and with the mailbox selected. */
static int
connect_once(struct backend_folder *f, struct err *err)
{
	if (backend_imap_acct_connect(&f->acct, &f->conn, err) < 0)
		return -1;
	backend_imap_conn_set_handler(f->conn, on_event, f);
	if (f->mailbox == NULL) {
		struct str mb = STR_INIT;

		if (backend_imap_mailbox(f->conn, f->path, &mb, err) < 0) {
			str_free(&mb);
			return -1;
		}
		f->mailbox = str_detach(&mb);
	}
	return select_mailbox(f, err);
}

/*
 * A new connection after the old one dropped, with back-off; the face
 * hears each attempt.  wake_fd (-1: none) cuts the waiting short (the
 * worker has a request): then ERR_CONN with the last cause.
 */
static int
reconnect(struct backend_folder *f, int wake_fd, struct err *err)
{
	struct err cause, e;
	int attempt;

	err_clear(&cause);
	if (f->conn != NULL && !backend_imap_conn_failed(f->conn, &cause))
		err_set(&cause, ERR_CONN, "%s: the connection was closed", f->shown);
	drop_conn(f);
	if (cause.kind == ERR_NONE)
		err_set(&cause, ERR_CONN, "%s: not connected", f->shown);
	for (attempt = 1; attempt <= RECONNECT_TRIES; attempt++) {
		notify(f, BE_CONN_RECONNECTING, (unsigned)attempt, &cause);
		if (nap(backoff_ms[attempt - 1], f->cancel_fd, wake_fd)) {
			e = cause;
			if (backend_cancelled(&f->progress, f->cancel_fd))
				err_set(&e, ERR_CANCELLED, "%s: cancelled", f->shown);
			break;
		}
		log_trace(LOG_CH_BACKEND, "%s: reconnecting (attempt %d)", f->shown, attempt);
		if (connect_once(f, &e) == 0) {
			notify(f, BE_CONN_CONNECTED, 0, NULL);
			return 0;
		}
		drop_conn(f);
		cause = e;
		if (!backend_imap_err_transient(&e))
			break;
	}
	notify(f, BE_CONN_OFFLINE, 0, &e);
	if (err != NULL)
		*err = e;
	return -1;
}

/* ---- flags ---- */

/* Writes every recorded flag change: one UID STORE per distinct change,
 * pipelined. */
static int
flush_flags(struct backend_folder *f, struct err *err)
{
	struct backend_imap_table *t = &f->t;
	uint32_t *uids = NULL;
	size_t n;
	int rc = -1;

	if (f->read_only || !f->pending)
		return 0;
	uids = xcalloc(t->n ? t->n : 1, sizeof(*uids));
	for (;;) {
		unsigned pset = 0, pclear = 0;
		size_t start = t->known;

		for (size_t i = 0; i < t->known; i++) {
			struct backend_imap_msg *m = &t->m[i];

			if (m->st & BACKEND_IMAP_MSG_GONE) {
				m->pset = m->pclear = 0;
				continue;
			}
			if (m->pset | m->pclear) {
				pset = m->pset;
				pclear = m->pclear;
				start = i;
				break;
			}
		}
		if (start == t->known) {
			f->pending = 0;
			break;
		}
		n = 0;
		for (size_t i = start; i < t->known; i++)
			if (t->m[i].pset == pset && t->m[i].pclear == pclear &&
			    !(t->m[i].st & BACKEND_IMAP_MSG_GONE))
				uids[n++] = t->m[i].uid;
		for (int pass = 0; pass < 2; pass++) {
			unsigned bits = pass == 0 ? pset : pclear;
			const char *names[8];
			size_t n_names, done = 0;

			backend_imap_flag_names(bits, names, &n_names);
			while (n_names > 0 && done < n) {
				struct str set = STR_INIT;
				uint64_t since = f->condstore ? f->modseq : 0;
				uint32_t tag;
				size_t used =
				    imap_seqset_format(&set, uids + done, n - done, SET_MAX);
				int r;

				f->modified = 0;
				r = imap_cmd_store(session(f), 1, str_cstr(&set),
				                   pass == 0 ? IMAP_STORE_ADD : IMAP_STORE_REMOVE,
				                   1, names, n_names, since, &tag, err);
				if (r == 0)
					r = backend_imap_conn_wait(f->conn, tag, err);
				if (r == 0 && f->modified) {
					/* Another client changed some of them since they
					 * were read: the change still applies, on top of
					 * theirs, and their flags are read again. */
					log_trace(LOG_CH_BACKEND,
					          "%s: flags changed elsewhere meanwhile: %s",
					          f->shown, str_cstr(&set));
					r = imap_cmd_store(session(f), 1, str_cstr(&set),
					                   pass == 0 ? IMAP_STORE_ADD
					                             : IMAP_STORE_REMOVE,
					                   0, names, n_names, 0, &tag, err);
					if (r == 0)
						r = backend_imap_conn_wait(f->conn, tag, err);
				}
				str_free(&set);
				if (r < 0) {
					if (err->kind == ERR_REJECTED)
						err_prefix(err, "%s: cannot change flags",
						           f->shown);
					goto out;
				}
				done += used;
			}
		}
		for (size_t i = start; i < t->known; i++) {
			struct backend_imap_msg *m = &t->m[i];

			if (m->pset == pset && m->pclear == pclear &&
			    !(m->st & BACKEND_IMAP_MSG_GONE)) {
				m->flags = (uint8_t)(((unsigned)m->flags | pset) & ~pclear);
				m->pset = m->pclear = 0;
				m->st |= BACKEND_IMAP_MSG_DIRTY;
			}
		}
	}
	rc = 0;
out:
	free(uids);
	return rc;
}

/* UIDs of messages announced by EXISTS and not known yet. */
static int
resolve_unknown(struct backend_folder *f, struct err *err)
{
	char set[32];
	uint32_t tag;

	if (backend_imap_table_unknown(&f->t) == 0)
		return 0;
	snprintf(set, sizeof(set), "%u:*", backend_imap_table_max_uid(&f->t) + 1);
	if (imap_cmd_fetch(session(f), 1, set, "UID FLAGS", 0, 0, &tag, err) < 0 ||
	    backend_imap_conn_wait(f->conn, tag, err) < 0)
		return -1;
	if (backend_imap_table_unknown(&f->t) > 0)
		f->resync = 1;
	return 0;
}

/* Everything read again, after the server contradicted the table. */
static int
resync(struct backend_folder *f, struct err *err)
{
	log_trace(LOG_CH_BACKEND, "%s: reading the folder's state again", f->shown);
	f->resync = 0;
	if (read_uids(f, 1, err) < 0)
		return -1;
	if (merge_uids(f, 1) < 0) {
		backend_imap_table_reset(&f->t);
		f->changes |= CH_REOPENED;
		if (merge_uids(f, 1) < 0) {
			uids_clear(f);
			return err_set(err, ERR_PROTO,
			               "%s: the server's list of UIDs makes no sense", f->shown);
		}
	}
	uids_clear(f);
	return 0;
}

/*
 * Before each operation: connected (again), consistent with the server,
 * recorded flag changes written, and every message's UID known.
 */
static int
ready(struct backend_folder *f, struct err *err)
{
	if (f->conn == NULL || backend_imap_conn_failed(f->conn, NULL)) {
		if (reconnect(f, -1, err) < 0)
			return -1;
	}
	backend_imap_conn_set_cancel_fd(f->conn, f->cancel_fd);
	for (int round = 0; round < 2; round++) {
		if (f->resync && resync(f, err) < 0)
			return -1;
		if (flush_flags(f, err) < 0 || resolve_unknown(f, err) < 0)
			return -1;
		if (!f->resync)
			return 0;
	}
	return err_set(err, ERR_PROTO, "%s: the server keeps contradicting itself", f->shown);
}

/* Runs op once, and once more on a new connection when the connection
 * dropped under it. */
static int
with_retry(struct backend_folder *f, int (*op)(struct backend_folder *, void *, struct err *),
           void *arg, struct err *err)
{
	int rc = -1;

	for (int attempt = 0; attempt < 2; attempt++) {
		rc = ready(f, err);
		if (rc == 0)
			rc = op(f, arg, err);
		/* The server contradicted the table meanwhile: what op read may
		 * be wrong, so once more on a table read again. */
		if (rc == 0 && f->resync && attempt == 0)
			continue;
		if (rc == 0 || !backend_imap_err_transient(err) || f->conn == NULL ||
		    !backend_imap_conn_failed(f->conn, NULL))
			return rc;
	}
	return rc;
}

/* ---- open and close ---- */

/*
 * The header cache catches up with the table: flags that changed, and the
 * folder record for QRESYNC (only when every UID is known, so the record
 * never claims more than is true).
 */
static void
cache_save(struct backend_folder *f)
{
	uint32_t *uids;
	size_t n = 0;

	/* Summaries still being decoded go in with the rest. */
	decoder_drain(f);
	if (f->cache == NULL || f->uidvalidity == 0)
		return;
	uids = xcalloc(f->t.known ? f->t.known : 1, sizeof(*uids));
	for (size_t i = 0; i < f->t.known; i++) {
		struct backend_imap_msg *m = &f->t.m[i];

		if (m->st & BACKEND_IMAP_MSG_GONE)
			continue;
		uids[n++] = m->uid;
		if ((m->st & (BACKEND_IMAP_MSG_DIRTY | BACKEND_IMAP_MSG_KNOWN)) ==
		    (BACKEND_IMAP_MSG_DIRTY | BACKEND_IMAP_MSG_KNOWN)) {
			backend_cache_set_flags(f->cache, m->uid, m->flags);
			m->st &= (uint8_t)~BACKEND_IMAP_MSG_DIRTY;
		}
	}
	if (f->qresync && f->modseq != 0 && !f->resync && backend_imap_table_unknown(&f->t) == 0)
		backend_cache_put_state(f->cache, f->modseq, uids, n);
	free(uids);
	backend_cache_flush(f->cache);
}

static void
folder_free(struct backend_folder *f)
{
	backend_imap_decoder_free(&f->decoder);
	drop_conn(f);
	backend_cache_close(&f->cache);
	backend_body_cache_close(&f->bodies);
	backend_imap_table_free(&f->t);
	uids_clear(f);
	arena_free(&f->stash_arena);
	free(f->stash);
	free(f->stash_slots);
	free(f->found);
	free(f->view);
	free(f->path);
	free(f->search);
	free(f->mailbox);
	free(f->shown);
	backend_imap_acct_clear(&f->acct);
	free(f);
}

static int
imap_open(const struct url *url, const struct backend_params *params,
          struct backend_folder **folder_r, struct err *err)
{
	struct backend_folder *f = xcalloc(1, sizeof(*f));
	char *shown;

	*folder_r = NULL;
	backend_imap_table_init(&f->t);
	f->cancel_fd = params->cancel_fd;
	if (params->progress.report != NULL || params->progress.cancelled != NULL)
		f->progress = params->progress;
	shown = url_display(url);
	f->shown = shown;
	if (backend_imap_acct_init(&f->acct, url, params, err) < 0)
		goto fail;
	f->path = xstrdup(url->path);
	f->search = url_query_get(url, "search");
	f->examine = params->read_only;
	f->listing_only = params->listing_only;
	if (f->acct.cache_dir != NULL &&
	    backend_cache_open(f->acct.cache_dir, f->acct.id, f->path, &f->cache, err) < 0) {
		/* The cache only saves time: go on without it. */
		log_warn("%s", err->msg);
		f->cache = NULL;
	}
	if (f->acct.body_cache_dir != NULL &&
	    backend_body_cache_open(f->acct.body_cache_dir, f->acct.id, f->path, &f->bodies, err) <
	        0) {
		log_warn("%s", err->msg);
		f->bodies = NULL;
	}
	notify(f, BE_CONN_CONNECTING, 0, NULL);
	if (connect_once(f, err) < 0) {
		notify(f, BE_CONN_OFFLINE, 0, err);
		goto fail;
	}
	notify(f, BE_CONN_CONNECTED, 0, NULL);
	/* Nobody has seen a number yet: what vanished while the folder was
	 * closed (QRESYNC) leaves no tombstone. */
	backend_imap_table_compact(&f->t);
	f->changes = 0;
	/* The job that opened the folder ends with this call. */
	memset(&f->progress, 0, sizeof(f->progress));
	*folder_r = f;
	return 0;
fail:
	if (err != NULL && strstr(err->msg, f->shown) == NULL && err->kind != ERR_AUTH &&
	    err->kind != ERR_TLS)
		err_prefix(err, "%s", f->shown);
	folder_free(f);
	return -1;
}

static void
imap_close(struct backend_folder **fp)
{
	struct backend_folder *f = *fp;

	if (f == NULL)
		return;
	if (f->cache != NULL)
		cache_save(f);
	folder_free(f);
	*fp = NULL;
}

static size_t
imap_count(const struct backend_folder *f)
{
	return view_count(f);
}

static int
imap_read_only(const struct backend_folder *f)
{
	return f->read_only;
}

static int
imap_find(const struct backend_folder *f, uint64_t id, size_t *index_r)
{
	size_t lo = 0, hi = f->n_view;

	if (id == 0 || id > UINT32_MAX)
		return 0;
	if (f->view == NULL)
		return backend_imap_table_find(&f->t, (uint32_t)id, index_r);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->view[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->n_view && f->view[lo] == id) {
		*index_r = lo;
		return 1;
	}
	return 0;
}

static void
imap_set_job(struct backend_folder *f, const struct backend_progress *progress, int cancel_fd)
{
	if (progress != NULL)
		f->progress = *progress;
	else
		memset(&f->progress, 0, sizeof(f->progress));
	f->cancel_fd = cancel_fd;
	if (f->conn != NULL)
		backend_imap_conn_set_cancel_fd(f->conn, cancel_fd);
}

/* ---- summaries ---- */

static void
blank_summary(struct mime_summary *s, const struct backend_imap_msg *m)
{
	memset(s, 0, sizeof(*s));
	s->id = m->uid;
	s->flags = msg_flags(m);
	s->from_name = s->from_addr = s->to = s->cc = s->subject = "";
	s->message_id = s->in_reply_to = s->references = s->list_post = "";
}

static const char *
copy_str(struct arena *a, const char *s)
{
	return arena_strdup(a, s != NULL ? s : "");
}

static void
copy_summary(struct arena *a, struct mime_summary *d, const struct mime_summary *s)
{
	*d = *s;
	d->from_name = copy_str(a, s->from_name);
	d->from_addr = copy_str(a, s->from_addr);
	d->to = copy_str(a, s->to);
	d->cc = copy_str(a, s->cc);
	d->subject = copy_str(a, s->subject);
	d->message_id = copy_str(a, s->message_id);
	d->in_reply_to = copy_str(a, s->in_reply_to);
	d->references = copy_str(a, s->references);
	d->list_post = copy_str(a, s->list_post);
}

/* The table positions of the messages faces number [first, first+n). */
static int
window_pos(const struct backend_folder *f, size_t first, size_t n, size_t *pos)
{
	if (first > view_count(f) || n > view_count(f) - first)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (view_pos(f, first + i, &pos[i]) < 0)
			return -1;
	return 0;
}

/* Fills what needs no server (tombstones, the cache, summaries set aside)
 * and says in need[] which UIDs must be fetched; returns how many. */
static size_t
fill_local(struct backend_folder *f, const size_t *pos, size_t n, struct arena *arena,
           struct mime_summary *sums, uint8_t *filled, uint32_t *need)
{
	size_t n_need = 0;

	/* The stash is complete and its arena the worker's again. */
	decoder_drain(f);
	for (size_t i = 0; i < n; i++) {
		struct backend_imap_msg *m = &f->t.m[pos[i]];
		struct mime_summary *st;
		unsigned cached_flags;

		filled[i] = 1;
		if (m->uid == 0 || (m->st & BACKEND_IMAP_MSG_GONE)) {
			blank_summary(&sums[i], m);
			if (m->uid != 0 && f->cache != NULL &&
			    backend_cache_get(f->cache, m->uid, arena, &sums[i], &cached_flags) ==
			        1) {
				sums[i].id = m->uid;
				sums[i].flags = msg_flags(m);
			}
			continue;
		}
		if ((st = stash_take(f, m->uid)) != NULL) {
			copy_summary(arena, &sums[i], st);
			sums[i].id = m->uid;
			sums[i].flags = msg_flags(m);
			continue;
		}
		/* A listing's entry lacks what other faces show: read again. */
		if (f->cache != NULL && ((m->st & BACKEND_IMAP_MSG_KNOWN) || f->flags_cached) &&
		    backend_cache_get(f->cache, m->uid, arena, &sums[i], &cached_flags) == 1 &&
		    (f->listing_only || !sums[i].partial)) {
			/* After QRESYNC the flags stored with the summary are
			 * current unless a FETCH since said otherwise. */
			if (!(m->st & BACKEND_IMAP_MSG_KNOWN)) {
				m->flags = (uint8_t)cached_flags;
				m->st |= BACKEND_IMAP_MSG_KNOWN;
			}
			sums[i].id = m->uid;
			sums[i].flags = msg_flags(m);
			continue;
		}
		filled[i] = 0;
		need[n_need++] = m->uid;
	}
	stash_tidy(f);
	return n_need;
}

/* Queues UID FETCHes of the summaries of uids; the last tag in *tag_r. */
static int
queue_summary_fetch(struct backend_folder *f, const uint32_t *uids, size_t n, uint32_t *tag_r,
                    struct err *err)
{
	size_t done = 0;

	while (done < n) {
		struct str set = STR_INIT;
		size_t used = imap_seqset_format(&set, uids + done, n - done, SET_MAX);
		int r =
		    imap_cmd_fetch(session(f), 1, str_cstr(&set),
		                   f->listing_only ? LISTING_ITEMS : SUMMARY_ITEMS, 0, 0, tag_r, err);

		str_free(&set);
		if (r < 0)
			return -1;
		done += used;
	}
	return 0;
}

/* Sends the FETCH of the batches that follow [first, first+n) in the
 * window prefetch() announced, until PREFETCH_AHEAD are in flight.
 * Batches are n messages, cut short at the window's far end. */
static void
prefetch_more(struct backend_folder *f, size_t first, size_t n)
{
	size_t edge = first;

	if (!f->hinted || n == 0)
		return;
	for (size_t k = 0; k < f->n_pf; k++)
		if (f->descending ? f->pf[k].first < edge : f->pf[k].first > edge)
			edge = f->pf[k].first;
	while (f->n_pf < PREFETCH_AHEAD && f->n_stash < PREFETCH_AHEAD * n) {
		size_t bfirst, bn, n_need = 0, *pos;
		uint32_t *need, tag = 0;
		struct err e;

		if (f->descending) {
			if (edge <= f->hint_lo)
				return;
			bfirst = edge - f->hint_lo >= n ? edge - n : f->hint_lo;
			bn = edge - bfirst;
		} else {
			bfirst = edge + n;
			if (bfirst >= f->hint_hi)
				return;
			bn = f->hint_hi - bfirst < n ? f->hint_hi - bfirst : n;
		}
		pos = xcalloc(bn, sizeof(*pos));
		need = xcalloc(bn, sizeof(*need));
		if (window_pos(f, bfirst, bn, pos) < 0) {
			free(pos);
			free(need);
			return;
		}
		for (size_t i = 0; i < bn; i++) {
			const struct backend_imap_msg *m = &f->t.m[pos[i]];

			if (m->uid == 0 || (m->st & BACKEND_IMAP_MSG_GONE))
				continue;
			if (f->cache != NULL &&
			    ((m->st & BACKEND_IMAP_MSG_KNOWN) || f->flags_cached) &&
			    backend_cache_has(f->cache, m->uid, !f->listing_only))
				continue;
			need[n_need++] = m->uid;
		}
		free(pos);
		if (n_need > 0 && queue_summary_fetch(f, need, n_need, &tag, &e) < 0) {
			free(need);
			return;
		}
		free(need);
		f->pf[f->n_pf].first = bfirst;
		f->pf[f->n_pf].n = bn;
		f->pf[f->n_pf].tag = tag;
		f->n_pf++;
		edge = bfirst;
	}
}

struct load_args {
	size_t first, n;
	struct arena *arena;
	struct mime_summary *sums;
};

static int
load_op(struct backend_folder *f, void *arg, struct err *err)
{
	struct load_args *a = arg;
	uint8_t *filled = xcalloc(a->n ? a->n : 1, 1);
	uint32_t *need = xcalloc(a->n ? a->n : 1, sizeof(*need));
	size_t *pos = xcalloc(a->n ? a->n : 1, sizeof(*pos));
	uint32_t tag = 0;
	size_t n_need, k;
	int rc = -1;

	if (window_pos(f, a->first, a->n, pos) < 0) {
		err_set(err, ERR_USAGE, "messages %zu to %zu are not in the folder", a->first + 1,
		        a->first + a->n);
		goto out;
	}
	/* The first batch of a window says which way the rest go. */
	if (f->hinted && f->n_pf == 0) {
		if (a->first + a->n == f->hint_hi && a->first > f->hint_lo)
			f->descending = 1;
		else if (a->first == f->hint_lo)
			f->descending = 0;
	}
	/* A batch fetched ahead: its answer may already be here. */
	for (k = 0; k < f->n_pf; k++)
		if (f->pf[k].first == a->first && f->pf[k].n == a->n)
			break;
	f->win_pos = pos;
	f->win_n = a->n;
	f->win_arena = a->arena;
	f->win_sums = a->sums;
	f->win_filled = filled;
	if (k < f->n_pf) {
		tag = f->pf[k].tag;
		memmove(&f->pf[k], &f->pf[k + 1], (f->n_pf - k - 1) * sizeof(f->pf[0]));
		f->n_pf--;
		/* What arrived while other commands were waited for is in the
		 * stash; the rest comes with the tag. */
		fill_local(f, pos, a->n, a->arena, a->sums, filled, need);
		prefetch_more(f, a->first, a->n);
		if (tag != 0 && backend_imap_conn_wait(f->conn, tag, err) < 0)
			goto out;
		/* Anything the prefetch did not cover (cache entries dropped,
		 * flags unknown) is fetched now. */
		n_need = 0;
		for (size_t i = 0; i < a->n; i++)
			if (!filled[i])
				need[n_need++] = f->t.m[pos[i]].uid;
		tag = 0;
	} else {
		n_need = fill_local(f, pos, a->n, a->arena, a->sums, filled, need);
		if (n_need > 0 && queue_summary_fetch(f, need, n_need, &tag, err) < 0)
			goto out;
		prefetch_more(f, a->first, a->n);
		n_need = 0;
	}
	if (tag != 0 && backend_imap_conn_wait(f->conn, tag, err) < 0)
		goto out;
	if (n_need > 0) {
		if (queue_summary_fetch(f, need, n_need, &tag, err) < 0 ||
		    backend_imap_conn_wait(f->conn, tag, err) < 0)
			goto out;
	}
	decoder_drain(f);
	/* What the server did not send (expunged meanwhile) shows blank. */
	for (size_t i = 0; i < a->n; i++)
		if (!filled[i])
			blank_summary(&a->sums[i], &f->t.m[pos[i]]);
	rc = 0;
out:
	/* The batch's summaries and arena are the caller's again. */
	decoder_drain(f);
	f->win_sums = NULL;
	f->win_filled = NULL;
	f->win_pos = NULL;
	free(filled);
	free(need);
	free(pos);
	return rc;
}

static int
imap_load_summaries(struct backend_folder *f, size_t first, size_t n, struct arena *arena,
                    struct mime_summary *sums, const struct backend_progress *progress,
                    struct err *err)
{
	struct load_args a = {first, n, arena, sums};
	int rc;

	(void)progress;
	rc = with_retry(f, load_op, &a, err);
	/* While batches stream in, every few thousand summaries; the rest
	 * when the stream ends. */
	if (f->cache != NULL) {
		if (f->n_pf == 0 || backend_cache_pending(f->cache) >= CACHE_FLUSH_EVERY)
			backend_cache_flush(f->cache);
		else
			backend_cache_release(f->cache);
	}
	return rc;
}

static void
imap_prefetch(struct backend_folder *f, size_t first, size_t n)
{
	if (first > view_count(f) || n > view_count(f) - first)
		return;
	f->hinted = 1;
	f->hint_lo = first;
	f->hint_hi = first + n;
	f->descending = 1;
}

/* ---- bodies ---- */

struct body_args {
	uint32_t uid;
	size_t index;      /* for messages */
	const char *items; /* "BODY.PEEK[]", "BODY.PEEK[1.2]<0.65536>" */
	struct str *out;
};

static int
body_op(struct backend_folder *f, void *arg, struct err *err)
{
	struct body_args *a = arg;
	struct backend_imap_msg *m;
	size_t was = a->out->len, pos;
	char set[16];
	uint32_t tag;
	int rc;

	/* By UID: a reconnection may have renumbered the table. */
	if (!backend_imap_table_find(&f->t, a->uid, &pos))
		return err_set(err, ERR_USAGE, "%s: message %zu is no longer in the folder",
		               f->shown, a->index + 1);
	m = &f->t.m[pos];
	if (m->st & BACKEND_IMAP_MSG_GONE)
		return err_set(err, ERR_USAGE, "%s: message %zu was removed from the server",
		               f->shown, a->index + 1);
	snprintf(set, sizeof(set), "%u", m->uid);
	f->body_uid = m->uid;
	f->body_out = a->out;
	f->body_got = 0;
	f->body_cancelled = 0;
	/* A cancel lets a short range finish (on_chunk notes it), so the
	 * connection stays in step with the server. */
	if (f->body_ranged)
		backend_imap_conn_set_cancel_fd(f->conn, -1);
	rc = imap_cmd_fetch(session(f), 1, set, a->items, 0, 0, &tag, err);
	if (rc == 0)
		rc = backend_imap_conn_wait(f->conn, tag, err);
	if (f->body_ranged)
		backend_imap_conn_set_cancel_fd(f->conn, f->cancel_fd);
	if (rc == 0 && f->body_ranged &&
	    (f->body_cancelled || backend_cancelled(&f->progress, f->cancel_fd)))
		rc = err_set(err, ERR_CANCELLED, "%s: cancelled", f->shown);
	else if (rc == 0 && !f->body_got) {
		rc = err_set(err, ERR_USAGE, "%s: message %zu is no longer on the server", f->shown,
		             a->index + 1);
	}
	f->body_out = NULL;
	if (rc < 0)
		str_truncate(a->out, was);
	return rc;
}

/* CRLF becomes LF: fetch() hands out messages as the sender wrote them. */
static void
crlf_to_lf(struct str *s, size_t from)
{
	size_t w = from;

	for (size_t r = from; r < s->len; r++) {
		if (s->s[r] == '\r' && r + 1 < s->len && s->s[r + 1] == '\n')
			continue;
		s->s[w++] = s->s[r];
	}
	str_truncate(s, w);
}

/* The table position of message `index` as faces number it. */
static int
check_index(const struct backend_folder *f, size_t index, size_t *pos_r, struct err *err)
{
	if (view_pos(f, index, pos_r) < 0)
		return err_set(err, ERR_USAGE, "message %zu is not in the folder", index + 1);
	if (f->t.m[*pos_r].uid == 0)
		return err_set(err, ERR_USAGE, "message %zu is not known yet", index + 1);
	return 0;
}

/* UID FETCH n (BODYSTRUCTURE): the part list without the message. */
struct structure_args {
	uint32_t uid;
	size_t index;
	struct structure_out out;
};

static int
structure_op(struct backend_folder *f, void *arg, struct err *err)
{
	struct structure_args *a = arg;
	size_t pos;
	char set[16];
	uint32_t tag;
	int rc;

	if (!backend_imap_table_find(&f->t, a->uid, &pos) ||
	    (f->t.m[pos].st & BACKEND_IMAP_MSG_GONE))
		return err_set(err, ERR_USAGE, "%s: message %zu is no longer in the folder",
		               f->shown, a->index + 1);
	snprintf(set, sizeof(set), "%u", a->uid);
	a->out.n = 0; /* a retry starts again */
	f->body_uid = a->uid;
	f->struct_out = &a->out;
	f->body_got = 0;
	rc = imap_cmd_fetch(session(f), 1, set, "BODYSTRUCTURE", 0, 0, &tag, err);
	if (rc == 0)
		rc = backend_imap_conn_wait(f->conn, tag, err);
	if (rc == 0 && !f->body_got)
		rc = err_set(err, ERR_PROTO, "%s: no usable BODYSTRUCTURE for message %zu",
		             f->shown, a->index + 1);
	f->struct_out = NULL;
	return rc;
}

static int
imap_fetch_structure(struct backend_folder *f, size_t index, struct arena *arena,
                     struct backend_part **parts_r, size_t *count_r, struct err *err)
{
	struct structure_args a;
	size_t pos;
	int rc;

	*parts_r = NULL;
	*count_r = 0;
	if (check_index(f, index, &pos, err) < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.uid = f->t.m[pos].uid;
	a.index = index;
	a.out.arena = arena;
	rc = with_retry(f, structure_op, &a, err);
	if (rc == 0) {
		*parts_r = a.out.n > 0 ? arena_memdup(arena, a.out.v, a.out.n * sizeof(*a.out.v))
		                       : arena_alloc(arena, sizeof(**parts_r));
		*count_r = a.out.n;
	}
	free(a.out.v);
	return rc;
}

static int
fetch_section(struct backend_folder *f, size_t index, const char *section, uint64_t offset,
              uint64_t length, struct str *out, struct err *err)
{
	struct body_args a;
	char items[128];
	size_t was = out->len, pos;
	uint32_t uid;
	int partial = offset != 0 || length != 0, rc;

	if (check_index(f, index, &pos, err) < 0)
		return -1;
	uid = f->t.m[pos].uid;
	for (const char *p = section; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || *p == '.'))
			return err_set(err, ERR_USAGE, "bad MIME part name %s", section);
	if (strlen(section) > 64)
		return err_set(err, ERR_USAGE, "MIME part name too long");
	if (f->bodies != NULL && backend_body_cache_get(f->bodies, f->uidvalidity, uid, section,
	                                                offset, length, out) == 1)
		return 0;
	if (!partial || f->bodies != NULL)
		snprintf(items, sizeof(items), "BODY.PEEK[%s]", section);
	else
		snprintf(
		    items, sizeof(items), "BODY.PEEK[%s]<%llu.%llu>", section,
		    (unsigned long long)offset,
		    (unsigned long long)(length != 0 && length < UINT32_MAX ? length : UINT32_MAX));
	/* With a body cache the whole part is fetched once and cut here. */
	a.uid = uid;
	a.index = index;
	a.items = items;
	a.out = out;
	f->body_ranged = partial && f->bodies == NULL && length != 0 && length <= RANGE_FINISH_MAX;
	rc = with_retry(f, body_op, &a, err);
	f->body_ranged = 0;
	if (rc < 0)
		return -1;
	if (f->bodies != NULL) {
		struct str whole = STR_INIT;

		str_append_len(&whole, out->s + was, out->len - was);
		backend_body_cache_put(f->bodies, f->uidvalidity, uid, section, whole.s, whole.len);
		str_truncate(out, was);
		if (offset < whole.len) {
			size_t len = whole.len - (size_t)offset;

			if (length != 0 && length < len)
				len = (size_t)length;
			str_append_len(out, whole.s + offset, len);
		}
		str_append(out, "");
		str_free(&whole);
	}
	return 0;
}

static int
imap_fetch(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	size_t was = out->len;

	if (fetch_section(f, index, "", 0, 0, out, err) < 0)
		return -1;
	crlf_to_lf(out, was);
	return 0;
}

static int
imap_fetch_header(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	size_t was = out->len;

	if (fetch_section(f, index, "HEADER", 0, 0, out, err) < 0)
		return -1;
	crlf_to_lf(out, was);
	return 0;
}

static int
imap_fetch_partial(struct backend_folder *f, size_t index, const char *section, uint64_t offset,
                   uint64_t length, struct str *out, struct err *err)
{
	return fetch_section(f, index, section, offset, length, out, err);
}

/* ---- flags, check, sync ---- */

static int
imap_set_flags(struct backend_folder *f, size_t index, unsigned set, unsigned clear,
               struct err *err)
{
	struct backend_imap_msg *m;
	size_t pos;

	if (f->read_only)
		return err_set(err, ERR_USAGE, "%s is read-only", f->shown);
	if (check_index(f, index, &pos, err) < 0)
		return -1;
	m = &f->t.m[pos];
	if (m->st & BACKEND_IMAP_MSG_GONE)
		return 0; /* the server removed it: nothing to change */
	/* \Recent is the server's alone. */
	set &= ~(unsigned)MIME_FLAG_RECENT;
	clear &= ~(unsigned)MIME_FLAG_RECENT;
	m->pset = (uint8_t)((m->pset | set) & ~clear);
	m->pclear = (uint8_t)((m->pclear | clear) & ~set);
	f->pending = 1;
	/* A change the server already has need not be sent. */
	if (m->st & BACKEND_IMAP_MSG_KNOWN) {
		m->pset &= (uint8_t)~m->flags;
		m->pclear &= m->flags;
	}
	return 0;
}

static enum backend_check
take_changes(struct backend_folder *f)
{
	unsigned c = f->changes;

	f->changes = 0;
	/* A search folder grows only by the new messages that match
	 * (view_grow). */
	if (f->view != NULL && !f->view_grew)
		c &= ~(unsigned)CH_NEW;
	f->view_grew = 0;
	if (c & CH_REOPENED)
		return BACKEND_CHECK_REOPENED;
	if (c & (CH_FLAGS | CH_EXPUNGED))
		return BACKEND_CHECK_FLAGS;
	if (c & CH_NEW)
		return BACKEND_CHECK_NEW_MAIL;
	return BACKEND_CHECK_NONE;
}

static int
noop_op(struct backend_folder *f, void *arg, struct err *err)
{
	uint32_t tag;

	(void)arg;
	if (imap_cmd_noop(session(f), &tag, err) < 0 ||
	    backend_imap_conn_wait(f->conn, tag, err) < 0)
		return -1;
	return resolve_unknown(f, err);
}

static int
imap_check(struct backend_folder *f, enum backend_check *result_r,
           const struct backend_progress *progress, struct err *err)
{
	(void)progress;
	*result_r = BACKEND_CHECK_NONE;
	if (with_retry(f, noop_op, NULL, err) < 0)
		return -1;
	if (f->resync && ready(f, err) < 0)
		return -1;
	if (view_grow(f, err) < 0)
		return -1;
	*result_r = take_changes(f);
	return 0;
}

/* Expunges the UIDs given, or every message marked deleted (uids NULL). */
static int
expunge_uids(struct backend_folder *f, const uint32_t *uids, size_t n, struct err *err)
{
	uint32_t tag;

	if (!(imap_session_caps(session(f)) & IMAP_CAP_UIDPLUS)) {
		/* Without UIDPLUS only EXPUNGE exists: it also takes what other
		 * clients marked deleted, as the user sees them marked. */
		if (imap_cmd_expunge(session(f), NULL, &tag, err) < 0 ||
		    backend_imap_conn_wait(f->conn, tag, err) < 0)
			return -1;
		return 0;
	}
	for (size_t done = 0; done < n;) {
		struct str set = STR_INIT;
		size_t used = imap_seqset_format(&set, uids + done, n - done, SET_MAX);
		int r = imap_cmd_expunge(session(f), str_cstr(&set), &tag, err);

		str_free(&set);
		if (r < 0 || backend_imap_conn_wait(f->conn, tag, err) < 0)
			return -1;
		done += used;
	}
	return 0;
}

static int
sync_op(struct backend_folder *f, void *arg, struct err *err)
{
	const int *expunge = arg;
	uint32_t *uids;
	size_t n = 0;
	int rc;

	if (!*expunge || f->read_only)
		return 0;
	uids = xcalloc(f->t.n ? f->t.n : 1, sizeof(*uids));
	for (size_t i = 0; i < f->t.known; i++) {
		const struct backend_imap_msg *m = &f->t.m[i];

		if (!(m->st & BACKEND_IMAP_MSG_GONE) && (msg_flags(m) & MIME_FLAG_DELETED))
			uids[n++] = m->uid;
	}
	rc = n > 0 ? expunge_uids(f, uids, n, err) : 0;
	free(uids);
	if (rc < 0 && err->kind == ERR_REJECTED)
		err_prefix(err, "%s: cannot expunge", f->shown);
	return rc;
}

static int
imap_sync(struct backend_folder *f, int expunge, const struct backend_progress *progress,
          struct err *err)
{
	(void)progress;
	if (f->read_only && expunge)
		expunge = 0;
	if (with_retry(f, sync_op, &expunge, err) < 0)
		return -1;
	if (expunge) {
		compact(f);
		f->changes &= ~(unsigned)CH_EXPUNGED;
	}
	if (f->cache != NULL)
		cache_save(f);
	return 0;
}

static int
cmp_uid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_uid64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The UIDs of messages idx[0..n) as faces number them, ascending and
 * each once; caller frees.  -1 when one is not in the folder. */
static int
uids_of(const struct backend_folder *f, const size_t *idx, size_t n, uint32_t **uids_r, size_t *n_r,
        struct err *err)
{
	uint32_t *uids = xcalloc(n ? n : 1, sizeof(*uids));
	size_t k = 0, pos;

	for (size_t i = 0; i < n; i++) {
		if (check_index(f, idx[i], &pos, err) < 0) {
			free(uids);
			return -1;
		}
		uids[k++] = f->t.m[pos].uid;
	}
	qsort(uids, k, sizeof(*uids), cmp_uid);
	*n_r = 0;
	for (size_t i = 0; i < k; i++)
		if (i == 0 || uids[i] != uids[i - 1])
			uids[(*n_r)++] = uids[i];
	*uids_r = uids;
	return 0;
}

struct uid_args {
	const uint32_t *uids; /* ascending */
	size_t n;
	const char *dest; /* copy */
	int move;
	int create;
};

static int
expunge_op(struct backend_folder *f, void *arg, struct err *err)
{
	struct uid_args *a = arg;
	uint32_t *uids = xcalloc(a->n ? a->n : 1, sizeof(*uids));
	size_t n = 0, pos;
	int rc;

	if (!(imap_session_caps(session(f)) & IMAP_CAP_UIDPLUS)) {
		free(uids);
		return err_set(err, ERR_UNSUPPORTED,
		               "%s: the server cannot expunge single messages (no UIDPLUS)",
		               f->shown);
	}
	/* Only what is marked deleted, and still there. */
	for (size_t i = 0; i < a->n; i++) {
		const struct backend_imap_msg *m;

		if (!backend_imap_table_find(&f->t, a->uids[i], &pos))
			continue;
		m = &f->t.m[pos];
		if (!(m->st & BACKEND_IMAP_MSG_GONE) && (msg_flags(m) & MIME_FLAG_DELETED))
			uids[n++] = m->uid;
	}
	rc = n > 0 ? expunge_uids(f, uids, n, err) : 0;
	free(uids);
	return rc;
}

static int
imap_expunge(struct backend_folder *f, const size_t *idx, size_t n, struct err *err)
{
	struct uid_args a;
	uint32_t *uids;
	size_t nu;
	int rc;

	if (f->read_only)
		return err_set(err, ERR_USAGE, "%s is read-only", f->shown);
	if (uids_of(f, idx, n, &uids, &nu, err) < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.uids = uids;
	a.n = nu;
	rc = with_retry(f, expunge_op, &a, err);
	free(uids);
	if (rc < 0)
		return -1;
	compact(f);
	return 0;
}

/* ---- idle ---- */

static void
idle_event(void *ctx, const struct imap_event *ev)
{
	struct backend_folder *f = ctx;

	on_event(f, ev);
	if (f->changes != 0 || f->resync)
		backend_imap_conn_idle_stop(f->conn);
}

static int
imap_idle(struct backend_folder *f, int wake_fd, int timeout_ms, enum backend_check *result_r,
          struct err *err)
{
	int woken = 0;

	*result_r = BACKEND_CHECK_NONE;
	if (f->conn == NULL || backend_imap_conn_failed(f->conn, NULL)) {
		/* Offline (the face was told): try again later, or as soon as
		 * a request comes, which tries by itself. */
		if (reconnect(f, wake_fd, err) < 0) {
			nap(OFFLINE_RETRY_MS, wake_fd, -1);
			return 0;
		}
	}
	/* The worker's cancel pipe: between jobs it is readable only when a
	 * queued request is cancelled or the worker stops, and neither may
	 * wait for a server that does not answer (the end of IDLE included). */
	backend_imap_conn_set_cancel_fd(f->conn, f->cancel_fd);
	if (ready(f, err) < 0)
		goto failed;
	if (f->changes == 0) {
		int use_idle =
		    !f->acct.no_push && (imap_session_caps(session(f)) & IMAP_CAP_IDLE) != 0;

		if (use_idle) {
			int r;

			backend_imap_conn_set_handler(f->conn, idle_event, f);
			r = backend_imap_conn_idle(f->conn, wake_fd, timeout_ms, &woken, err);
			backend_imap_conn_set_handler(f->conn, on_event, f);
			if (r < 0)
				goto failed;
		} else {
			int wait = timeout_ms < 0 || timeout_ms > POLL_INTERVAL_MS
			               ? POLL_INTERVAL_MS
			               : timeout_ms;

			if (nap(wait, wake_fd, -1))
				return 0;
			if (noop_op(f, NULL, err) < 0)
				goto failed;
		}
	}
	if (ready(f, err) < 0 || view_grow(f, err) < 0)
		goto failed;
	*result_r = take_changes(f);
	return 0;
failed:
	/* A dropped connection is for the next round to mend, with the
	 * face told; anything else is the caller's error. */
	if (backend_imap_err_transient(err) &&
	    (f->conn == NULL || backend_imap_conn_failed(f->conn, NULL))) {
		if (reconnect(f, wake_fd, err) == 0)
			*result_r = take_changes(f);
		else
			nap(OFFLINE_RETRY_MS, wake_fd, -1);
		return 0;
	}
	return -1;
}

/* ---- copy, move, search ---- */

static int
copy_op(struct backend_folder *f, void *arg, struct err *err)
{
	struct uid_args *a = arg;
	struct imap_session *s = session(f);
	unsigned caps = imap_session_caps(s);
	uint32_t *uids = xcalloc(a->n ? a->n : 1, sizeof(*uids));
	size_t n = 0, pos;
	int rc = -1;

	for (size_t i = 0; i < a->n; i++)
		if (backend_imap_table_find(&f->t, a->uids[i], &pos) &&
		    !(f->t.m[pos].st & BACKEND_IMAP_MSG_GONE))
			uids[n++] = a->uids[i];
	for (size_t done = 0; done < n;) {
		struct str set = STR_INIT;
		size_t used = imap_seqset_format(&set, uids + done, n - done, SET_MAX);
		int native_move = a->move && (caps & IMAP_CAP_MOVE);
		uint32_t tag;
		int r;

		for (int attempt = 0;; attempt++) {
			r = imap_cmd_copy(s, 1, native_move, str_cstr(&set), a->dest, &tag, err);
			if (r == 0)
				r = backend_imap_conn_wait(f->conn, tag, err);
			if (r == 0 || attempt > 0 || !a->create || err->kind != ERR_REJECTED ||
			    f->last_code != IMAP_CODE_TRYCREATE)
				break;
			if (imap_cmd_create(s, a->dest, &tag, err) < 0 ||
			    backend_imap_conn_wait(f->conn, tag, err) < 0)
				break;
		}
		if (r == 0 && a->move && !native_move) {
			static const char *const del[] = {"\\Deleted"};

			r = imap_cmd_store(s, 1, str_cstr(&set), IMAP_STORE_ADD, 1, del, 1, 0, &tag,
			                   err);
			if (r == 0)
				r = backend_imap_conn_wait(f->conn, tag, err);
			if (r == 0 && (caps & IMAP_CAP_UIDPLUS)) {
				r = imap_cmd_expunge(s, str_cstr(&set), &tag, err);
				if (r == 0)
					r = backend_imap_conn_wait(f->conn, tag, err);
			} else if (r == 0) {
				log_warn(
				    "%s: the server can neither move messages nor expunge single "
				    "ones: the originals are marked deleted and go at the next "
				    "expunge",
				    f->shown);
				for (size_t i = done; i < done + used; i++)
					if (backend_imap_table_find(&f->t, uids[i], &pos))
						f->t.m[pos].flags |= MIME_FLAG_DELETED;
			}
		}
		str_free(&set);
		if (r < 0)
			goto out;
		done += used;
	}
	rc = 0;
out:
	free(uids);
	return rc;
}

static int
imap_copy_to(struct backend_folder *f, const size_t *idx, size_t n, const struct url *dest,
             int move, const struct backend_params *params, int *done_r, struct err *err)
{
	struct uid_args a;
	struct str mbox = STR_INIT;
	uint32_t *uids = NULL;
	size_t nu;
	int rc = -1;

	*done_r = 0;
	if (!backend_imap_acct_same(&f->acct, dest, params))
		return 0;
	if (move && f->read_only)
		return err_set(err, ERR_USAGE, "%s is read-only", f->shown);
	if (uids_of(f, idx, n, &uids, &nu, err) < 0)
		return -1;
	if (ready(f, err) < 0 || backend_imap_mailbox(f->conn, dest->path, &mbox, err) < 0)
		goto out;
	memset(&a, 0, sizeof(a));
	a.uids = uids;
	a.n = nu;
	a.dest = str_cstr(&mbox);
	a.move = move;
	a.create = params->create;
	rc = with_retry(f, copy_op, &a, err);
	if (rc < 0) {
		char *shown = url_display(dest);

		if (err->kind == ERR_REJECTED)
			err_prefix(err, "%s: cannot %s to %s", f->shown, move ? "move" : "copy",
			           shown);
		free(shown);
		goto out;
	}
	*done_r = 1;
out:
	free(uids);
	str_free(&mbox);
	return rc;
}

/* Appends a key (value NULL for none) to the arena array *keys. */
static void
add_search_key(struct arena *a, struct imap_search_key **keys, size_t *n, size_t *cap,
               const char *key, const char *value)
{
	if (*n == *cap) {
		struct imap_search_key *k = arena_alloc(a, 2 * *cap * sizeof(*k));

		memcpy(k, *keys, *n * sizeof(*k));
		*keys = k;
		*cap *= 2;
	}
	(*keys)[*n].key = arena_strdup(a, key);
	(*keys)[*n].value = value != NULL ? arena_strdup(a, value) : NULL;
	(*n)++;
}

/*
 * Splits search text into keys: a quoted string is the value of the
 * words before it (`FROM "Jörg Müller"`), and bare words go as they are.
 */
static int
parse_search(const char *q, struct arena *a, struct imap_search_key **keys_r, size_t *n_r,
             struct err *err)
{
	struct imap_search_key *keys;
	size_t n = 0, cap = 8;
	struct str words = STR_INIT;

	keys = arena_alloc(a, cap * sizeof(*keys));
	while (*q != '\0') {
		if (*q == ' ') {
			q++;
			continue;
		}
		if (*q == '"') {
			struct str v = STR_INIT;

			if (str_append_unquoted(&v, &q) < 0) {
				str_free(&v);
				str_free(&words);
				return err_set(err, ERR_USAGE, "search: a quote is not closed");
			}
			if (words.len == 0) {
				str_free(&v);
				str_free(&words);
				return err_set(err, ERR_USAGE,
				               "search: a quoted value needs a key");
			}
			add_search_key(a, &keys, &n, &cap, str_cstr(&words), str_cstr(&v));
			str_reset(&words);
			str_free(&v);
			continue;
		}
		if (words.len > 0)
			str_append_char(&words, ' ');
		while (*q != '\0' && *q != ' ' && *q != '"') {
			if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f) {
				str_free(&words);
				return err_set(
				    err, ERR_USAGE,
				    "search: put text that is not plain ASCII in quotes");
			}
			str_append_char(&words, *q++);
		}
	}
	if (words.len > 0)
		add_search_key(a, &keys, &n, &cap, str_cstr(&words), NULL);
	str_free(&words);
	if (n == 0)
		return err_set(err, ERR_USAGE, "search: no search keys");
	*keys_r = keys;
	*n_r = n;
	return 0;
}

struct search_args {
	const char *query;
};

static int
search_op(struct backend_folder *f, void *arg, struct err *err)
{
	struct search_args *a = arg;
	struct arena *ar = arena_new();
	struct imap_search_key *keys = NULL;
	size_t n = 0;
	uint32_t tag;
	int esearch = (imap_session_caps(session(f)) & IMAP_CAP_ESEARCH) != 0;
	int rc = -1;

	f->n_found = 0;
	if (parse_search(a->query, ar, &keys, &n, err) < 0)
		goto out;
	f->searching = 1;
	rc = imap_cmd_search(session(f), 1, esearch ? IMAP_ESEARCH_ALL : 0, keys, n, &tag, err);
	if (rc == 0)
		rc = backend_imap_conn_wait(f->conn, tag, err);
	f->searching = 0;
	if (rc < 0 && err->kind == ERR_REJECTED)
		err_prefix(err, "%s: the server could not search for %s", f->shown, a->query);
out:
	arena_free(&ar);
	return rc;
}

static int
imap_search(struct backend_folder *f, const char *query, struct arena *arena, uint64_t **ids_r,
            size_t *count_r, struct err *err)
{
	struct search_args a = {query};
	uint64_t *ids;
	size_t n = 0;

	*ids_r = NULL;
	*count_r = 0;
	if (with_retry(f, search_op, &a, err) < 0)
		return -1;
	ids = arena_alloc(arena, (f->n_found ? f->n_found : 1) * sizeof(*ids));
	/* Only UIDs the folder has (a plain SEARCH answer is not checked by
	 * the parser against the folder). */
	for (size_t i = 0; i < f->n_found; i++) {
		size_t idx;

		if (backend_imap_table_find(&f->t, (uint32_t)f->found[i], &idx))
			ids[n++] = f->found[i];
	}
	*ids_r = ids;
	*count_r = n;
	return 0;
}

/*
 * A search folder (?search=KEYS): the table still follows every message of
 * the mailbox (sequence numbers count them all), and the faces number only
 * the UIDs the server found when the folder was opened.
 */
static int
search_view(struct backend_folder *f, struct err *err)
{
	struct search_args a = {f->search};
	size_t pos;

	free(f->view);
	f->view = NULL;
	f->n_view = 0;
	if (resolve_unknown(f, err) < 0)
		return -1;
	f->view_upto = backend_imap_table_max_uid(&f->t);
	f->view_grew = 0;
	if (search_op(f, &a, err) < 0)
		return -1;
	qsort(f->found, f->n_found, sizeof(*f->found), cmp_uid64);
	f->view = xcalloc(f->n_found ? f->n_found : 1, sizeof(*f->view));
	for (size_t i = 0; i < f->n_found; i++)
		if ((i == 0 || f->found[i] != f->found[i - 1]) &&
		    backend_imap_table_find(&f->t, (uint32_t)f->found[i], &pos) &&
		    !(f->t.m[pos].st & BACKEND_IMAP_MSG_GONE))
			f->view[f->n_view++] = (uint32_t)f->found[i];
	return 0;
}

/*
 * A search folder takes in the messages that came since it last looked
 * and match its keys: UID SEARCH UID n:* KEYS, n the first UID not looked
 * at yet (the server counts "n:*" down to its last message when n is past
 * it, so only UIDs from n on are taken).  Needs the connection ready and
 * every UID known.
 */
static int
view_grow(struct backend_folder *f, struct err *err)
{
	uint32_t max = backend_imap_table_max_uid(&f->t), tag;
	struct arena *ar;
	struct imap_search_key *keys = NULL, *all;
	size_t n = 0, pos;
	int esearch, rc = -1;

	if (f->view == NULL || f->search == NULL || max <= f->view_upto ||
	    backend_imap_table_unknown(&f->t) > 0)
		return 0;
	ar = arena_new();
	if (parse_search(f->search, ar, &keys, &n, err) < 0)
		goto out;
	all = arena_alloc(ar, (n + 1) * sizeof(*all));
	all[0].key = arena_printf(ar, "UID %u:*", f->view_upto + 1);
	all[0].value = NULL;
	memcpy(all + 1, keys, n * sizeof(*keys));
	esearch = (imap_session_caps(session(f)) & IMAP_CAP_ESEARCH) != 0;
	f->n_found = 0;
	f->searching = 1;
	rc = imap_cmd_search(session(f), 1, esearch ? IMAP_ESEARCH_ALL : 0, all, n + 1, &tag, err);
	if (rc == 0)
		rc = backend_imap_conn_wait(f->conn, tag, err);
	f->searching = 0;
	if (rc < 0) {
		if (err->kind == ERR_REJECTED)
			err_prefix(err, "%s: the server could not search the new mail for %s",
			           f->shown, f->search);
		goto out;
	}
	qsort(f->found, f->n_found, sizeof(*f->found), cmp_uid64);
	f->view = xreallocarray(f->view, f->n_view + f->n_found + 1, sizeof(*f->view));
	for (size_t i = 0; i < f->n_found; i++) {
		uint32_t uid = (uint32_t)f->found[i];

		if (uid <= f->view_upto || (i > 0 && f->found[i] == f->found[i - 1]) ||
		    !backend_imap_table_find(&f->t, uid, &pos) ||
		    (f->t.m[pos].st & BACKEND_IMAP_MSG_GONE))
			continue;
		f->view[f->n_view++] = uid;
		f->view_grew = 1;
	}
	f->view_upto = max;
out:
	arena_free(&ar);
	return rc;
}

const struct backend_ops backend_imap_ops = {
    .name = "imap",
    .schemes = (const char *const[]){"imap", "imaps", NULL},
    .caps = BE_CAP_FOLDERS | BE_CAP_PARTIAL_FETCH | BE_CAP_HEADERS_ONLY | BE_CAP_PUSH |
            BE_CAP_APPEND | BE_CAP_EXPUNGE | BE_CAP_CREATE | BE_CAP_FLAGS | BE_CAP_SEARCH,
    .open = imap_open,
    .count = imap_count,
    .read_only = imap_read_only,
    .find = imap_find,
    .load_summaries = imap_load_summaries,
    .fetch = imap_fetch,
    .fetch_header = imap_fetch_header,
    .fetch_partial = imap_fetch_partial,
    .fetch_structure = imap_fetch_structure,
    .set_flags = imap_set_flags,
    .check = imap_check,
    .sync = imap_sync,
    .close = imap_close,
    .append = backend_imap_append_op,
    .list = backend_imap_list_op,
    .create = backend_imap_create_op,
    .remove = backend_imap_remove_op,
    .rename = backend_imap_rename_op,
    .prefetch = imap_prefetch,
    .idle = imap_idle,
    .copy_to = imap_copy_to,
    .search = imap_search,
    .expunge = imap_expunge,
    .subscribe = backend_imap_subscribe_op,
    .set_job = imap_set_job,
};
