/*
 * csv.c - read a CSV file (RFC 4180: quoted fields, doubled quotes, line breaks inside
 * quotes, CRLF or LF) saved by Excel or LibreOffice, in UTF-8 (with or without BOM) or in
 * Shift_JIS (Excel on Japanese Windows, read as its superset CP932), into rows of UTF-8 fields.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "paceline/error.h"
#include "paceline/file.h"
#include "paceline/xalloc.h"
#include "import.h"

const char *
import_csv_col(int col, char buf[8])
{
	char tmp[8];
	int n = 0, i = 0;

	col++;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return buf;
}

/* The line number of the first invalid UTF-8 sequence, or 0 if the text is valid UTF-8.
 * With `text`, control characters other than tab, CR and LF count as invalid too: they
 * cannot stand in XML 1.0, so a value holding one could not become a CIB. */
static long
bad_line(const unsigned char *s, size_t len, bool text)
{
	long line = 1;

	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n = c < 0x80	 ? 1
		    : (c & 0xe0) == 0xc0 ? 2
		    : (c & 0xf0) == 0xe0 ? 3
		    : (c & 0xf8) == 0xf0 ? 4
					 : 0;

		if (n == 0 || i + n > len || (n == 2 && c < 0xc2))
			return line;
		if (text && (c < 0x20 || c == 0x7f) && c != '\t' && c != '\r' && c != '\n')
			return line;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return line;
		if (c == '\n')
			line++;
		i += n;
	}
	return 0;
}

bool
import_text_check(const char *path, const char *text, size_t len, struct import_report *r)
{
	long bad = bad_line((const unsigned char *)text, len, true);

	if (bad == 0)
		return true;
	import_say(r, IMPORT_ERR, path, bad, -1,
	    "not UTF-8 text (a byte that is neither UTF-8 nor "
	    "printable): save the file as UTF-8");
	return false;
}

static char *
from_sjis(const char *in, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");
	size_t cap = len * 3 + 1, left = cap - 1, inleft = len;
	char *out, *op, *ip = (char *)in;

	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "SHIFT_JIS");
	if (cd == (iconv_t)-1)
		return NULL;
	out = xmalloc(cap);
	op = out;
	if (iconv(cd, &ip, &inleft, &op, &left) == (size_t)-1) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*op = '\0';
	*outlen = (size_t)(op - out);
	return out;
}

static void
row_add_field(struct import_csv_row *row, struct pl_buf *field)
{
	row->f = xreallocarray(row->f, row->n + 1, sizeof(char *));
	row->f[row->n++] = pl_buf_steal(field);
}

static struct import_csv_row *
csv_new_row(struct import_csv *csv, long line)
{
	struct import_csv_row *row;

	csv->rows = xreallocarray(csv->rows, csv->n + 1, sizeof(*csv->rows));
	row = &csv->rows[csv->n++];
	row->line = line;
	row->f = NULL;
	row->n = 0;
	return row;
}

/* Split text into rows; false (with an error in the report) on an unterminated quote. */
static bool
parse(const char *path, const char *s, size_t len, struct import_csv *csv, struct import_report *r)
{
	struct pl_buf field = { 0 };
	struct import_csv_row *row = NULL;
	long line = 1, quote_line = 0;
	bool quoted = false, was_quoted = false;

	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '\n';

		if (row == NULL) {
			if (i == len)
				break;
			row = csv_new_row(csv, line);
		}
		if (quoted) {
			if (i == len) {
				import_say(r, IMPORT_ERR, path, quote_line, -1,
				    "a quoted field opened here is never closed");
				pl_buf_free(&field);
				return false;
			}
			if (c == '"' && i + 1 < len && s[i + 1] == '"') {
				pl_buf_addc(&field, '"');
				i++;
			} else if (c == '"') {
				quoted = false;
			} else {
				if (c == '\n')
					line++;
				pl_buf_addc(&field, c);
			}
			continue;
		}
		if (c == '"' && field.len == 0 && !was_quoted) {
			quoted = was_quoted = true;
			quote_line = line;
		} else if (c == ',') {
			row_add_field(row, &field);
			was_quoted = false;
		} else if (c == '\n' || c == '\r') {
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
				i++;
			row_add_field(row, &field);
			row = NULL;
			was_quoted = false;
			line++;
		} else {
			pl_buf_addc(&field, c);
		}
	}
	pl_buf_free(&field);
	return true;
}

bool
import_csv_read(const char *path, struct import_csv *csv, struct import_report *r)
{
	struct pl_error err = PL_ERROR_INIT;
	size_t len, ulen;
	char *raw = pl_read_file(path, &len, &err), *text;
	const char *body;
	long bad;
	bool ok;

	memset(csv, 0, sizeof(*csv));
	if (raw == NULL) {
		import_say(r, IMPORT_ERR, path, 0, -1, "%s", err.text);
		return false;
	}
	body = raw;
	if (len >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0) {
		body += 3;
		len -= 3;
	}
	bad = bad_line((const unsigned char *)body, len, false);
	if (bad == 0) {
		csv->encoding = "UTF-8";
		ok = import_text_check(path, body, len, r) && parse(path, body, len, csv, r);
		free(raw);
		if (!ok)
			import_csv_free(csv);
		return ok;
	}
	text = from_sjis(body, len, &ulen);
	if (text == NULL) {
		import_say(r, IMPORT_ERR, path, bad, -1,
		    "neither UTF-8 nor Shift_JIS text (save the sheet as CSV in one of them)");
		free(raw);
		return false;
	}
	csv->encoding = "Shift_JIS";
	ok = import_text_check(path, text, ulen, r) && parse(path, text, ulen, csv, r);
	free(text);
	free(raw);
	if (!ok)
		import_csv_free(csv);
	return ok;
}

void
import_csv_free(struct import_csv *csv)
{
	for (size_t i = 0; i < csv->n; i++) {
		for (size_t k = 0; k < csv->rows[i].n; k++)
			free(csv->rows[i].f[k]);
		free(csv->rows[i].f);
	}
	free(csv->rows);
	memset(csv, 0, sizeof(*csv));
}
