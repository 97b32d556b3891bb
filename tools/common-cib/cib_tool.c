/*
 * cib_tool.c - shared helpers of the CIB command-line tools (see cib_tool.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>

#include "paceline/file.h"
#include "paceline/exitcode.h"
#include "paceline/xalloc.h"
#include "paceline/xml.h"
#include "cib_tool.h"

char *cibtool_read_text(const char *file, const char *string, bool from_stdin, struct pl_error *e)
{
	if (string != NULL)
		return xstrdup(string);
	if (from_stdin)
		return pl_read_stream(stdin, "standard input", NULL, e);
	if (file == NULL) {
		pl_error_set(e, PL_EXIT_USAGE, "no XML input given (use -x FILE, -X STRING or -p)");
		return NULL;
	}
	return pl_read_file(file, NULL, e);
}

xmlDoc *cibtool_parse(const char *text, const char *what, struct pl_error *e)
{
	return pl_xml_parse_string(text, what, e);
}

int cibtool_save(const char *path, const struct pl_cib *cib, struct pl_error *e)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	xmlBuffer *b = xmlBufferCreate();
	const char *data;
	size_t len, off = 0;
	int fd, rc = 0;

	xmlNodeDump(b, pl_cib_doc(cib), pl_cib_root(cib), 0, 1);
	xmlBufferCCat(b, "\n");
	data = (const char *)xmlBufferContent(b);
	len = strlen(data);
	fd = mkstemp(tmp);
	if (fd < 0) {
		pl_error_set(e, PL_EXIT_CANTCREAT, "%s: cannot create a temporary file: %s", path, strerror(errno));
		rc = 73;
		goto out;
	}
	if (fchmod(fd, 0644) != 0)
		(void)0;	/* keep mkstemp's 0600 */
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (off < len || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		pl_error_set(e, PL_EXIT_IOERR, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		rc = 74;
	}
out:
	xmlBufferFree(b);
	free(tmp);
	return rc;
}

void cibtool_print(const xmlNode *n)
{
	xmlBuffer *b = xmlBufferCreate();

	xmlNodeDump(b, n->doc, (xmlNode *)n, 0, 1);
	printf("%s\n", (const char *)xmlBufferContent(b));
	xmlBufferFree(b);
}

const char *cibtool_rc_text(int rc)
{
	switch (rc) {
	case 0: return "OK";
	case 1: return "Error occurred";
	case 64: return "Incorrect usage";
	case 65: return "Invalid data given";
	case 66: return "Input file not available";
	case 73: return "Can't create output file";
	case 74: return "Input/output error";
	case 76: return "Protocol not supported";
	case 78: return "Update does not conform to the configured schema";
	case 102: return "Transport endpoint is not connected";
	case 103: return "Update was older than existing configuration";
	case 104: return "Application of update diff failed, requesting full refresh";
	case 105: return "No such device or address";
	case 108: return "File exists";
	default: return "Error occurred";
	}
}
