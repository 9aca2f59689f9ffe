/*
 * petrel: a terminal mail user agent.  main() only picks the face.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("petrel %s\n", PACKAGE_VERSION);
		printf("libraries: %s\n", PETREL_BUILD_LIBS);
		return 0;
	}
	fprintf(stderr, "petrel: nothing to do yet\n");
	return 1;
}
