#include "config.h"

#include "base/base-arena.h"
#include "core/core-event.h"

struct core_event *
core_event_new(enum core_ev_type type, uint64_t job_id)
{
	struct arena *arena = arena_new();
	struct core_event *ev = arena_alloc(arena, sizeof(*ev));

	ev->type = type;
	ev->job_id = job_id;
	ev->arena = arena;
	return ev;
}

void
core_event_free(struct core_event **ev)
{
	struct arena *arena;

	if (*ev == NULL)
		return;
	/* The struct lives in its own arena: take the arena out first. */
	arena = (*ev)->arena;
	*ev = NULL;
	arena_free(&arena);
}

int
core_event_is_final(const struct core_event *ev)
{
	return ev->type == CORE_EV_DONE || ev->type == CORE_EV_ERROR;
}

const char *
core_event_type_name(enum core_ev_type type)
{
	static const char *const names[CORE_EV_COUNT] = {
		[CORE_EV_DONE] = "done",
		[CORE_EV_ERROR] = "error",
		[CORE_EV_PROGRESS] = "progress",
		[CORE_EV_HEADERS] = "headers",
		[CORE_EV_PART_DATA] = "part data",
		[CORE_EV_NEW_MAIL] = "new mail",
		[CORE_EV_CONN_STATE] = "connection state",
		[CORE_EV_FOLDERS] = "folders",
		[CORE_EV_FOLDER_OPENED] = "folder opened",
		[CORE_EV_SEARCH_RESULT] = "search result",
		[CORE_EV_FOLDER_CHANGED] = "folder changed",
		[CORE_EV_PART_LIST] = "part list",
	};

	if ((int)type <= 0 || type >= CORE_EV_COUNT)
		return "unknown";
	return names[type];
}

static void
free_node(struct core_queue_node *node)
{
	struct core_event *ev = CORE_QUEUE_ITEM(node, struct core_event, node);

	core_event_free(&ev);
}

struct core_queue *
core_event_queue_new(struct err *err)
{
	return core_queue_new(err);
}

void
core_event_queue_free(struct core_queue **queue)
{
	core_queue_free(queue, free_node);
}

void
core_event_push(struct core_queue *queue, struct core_event *ev)
{
	core_queue_push(queue, &ev->node);
}

struct core_event *
core_event_pop(struct core_queue *queue)
{
	struct core_queue_node *node = core_queue_pop(queue);

	return node == NULL ? NULL : CORE_QUEUE_ITEM(node, struct core_event, node);
}
