#include "config.h"

#include "base/base-arena.h"
#include "core/core-request.h"

struct core_request *
core_request_new(enum core_req_type type)
{
	struct arena *arena = arena_new();
	struct core_request *req = arena_alloc(arena, sizeof(*req));

	req->type = type;
	req->arena = arena;
	return req;
}

void
core_request_free(struct core_request **req)
{
	struct arena *arena;

	if (*req == NULL)
		return;
	/* The struct lives in its own arena: take the arena out first. */
	arena = (*req)->arena;
	*req = NULL;
	arena_free(&arena);
}

const char *
core_request_type_name(enum core_req_type type)
{
	static const char *const names[CORE_REQ_COUNT] = {
		[CORE_REQ_CONNECT] = "connect",
		[CORE_REQ_LIST_FOLDERS] = "list folders",
		[CORE_REQ_OPEN_FOLDER] = "open folder",
		[CORE_REQ_FETCH_HEADERS] = "fetch headers",
		[CORE_REQ_FETCH_MESSAGE] = "fetch message",
		[CORE_REQ_FETCH_PART] = "fetch part",
		[CORE_REQ_FETCH_STRUCTURE] = "list parts",
		[CORE_REQ_SET_FLAGS] = "set flags",
		[CORE_REQ_COPY] = "copy",
		[CORE_REQ_MOVE] = "move",
		[CORE_REQ_APPEND] = "append",
		[CORE_REQ_EXPUNGE] = "expunge",
		[CORE_REQ_SEARCH] = "search",
		[CORE_REQ_SEND] = "send",
		[CORE_REQ_CLOSE_FOLDER] = "close folder",
		[CORE_REQ_MANAGE_FOLDER] = "manage folders",
		[CORE_REQ_CANCEL] = "cancel",
		[CORE_REQ_SHUTDOWN] = "shutdown",
	};

	if ((int)type <= 0 || type >= CORE_REQ_COUNT)
		return "unknown";
	return names[type];
}
