/* fuzz_import.c - paceline-import's inputs (tools/import): a pm_crmgen CSV sheet (UTF-8 or
 * Shift_JIS), a Heartbeat ha.cf with a valid authkeys and haresources, and a haresources
 * file with a valid ha.cf. The first byte picks the surface; the rest is the file.
 *
 * Oracle: an input the importer accepts emits a CIB that parses as XML and a crm file, and
 * a rejected input says why (at least one error in the report). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paceline/error.h"
#include "paceline/xml.h"
#include "import.h"
#include "fuzz.h"

static char dir[] = "/tmp/pl-fuzz-import-XXXXXX";
static char input[64], hacf[64], keys[64], hares[64];

static void
write_to(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		abort();
	if (len > 0 && fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

static void
setup(void)
{
	static const char cf[] = "deadtime 10\nudpport 694\nbcast eth0\nnode a b\nping 10.0.0.1\n";
	static const char ak[] = "auth 1\n1 sha1 secret\n";
	static const char hr[] =
	    "a 10.0.0.9/24/eth0 Filesystem::/dev/x::/srv::ext4 drbddisk::r0 web\n";

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(input, sizeof(input), "%s/in", dir);
	snprintf(hacf, sizeof(hacf), "%s/ha.cf", dir);
	snprintf(keys, sizeof(keys), "%s/authkeys", dir);
	snprintf(hares, sizeof(hares), "%s/haresources", dir);
	write_to(hacf, cf, sizeof(cf) - 1);
	write_to(keys, ak, sizeof(ak) - 1);
	write_to(hares, hr, sizeof(hr) - 1);
	if (chmod(keys, 0600) != 0)
		abort();
}

static void
check_cfg(const struct import_cfg *cfg)
{
	struct pl_buf xml = PL_BUF_INIT, crm = PL_BUF_INIT;
	struct pl_error err = PL_ERROR_INIT;
	xmlDoc *doc;

	import_emit_xml(cfg, &xml);
	import_emit_crm(cfg, "fuzz", &crm);
	doc = pl_xml_parse_memory(pl_buf_str(&xml), xml.len, "emitted", &err);
	FUZZ_CHECK(doc != NULL);
	xmlFreeDoc(doc);
	pl_buf_free(&xml);
	pl_buf_free(&crm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct import_report r = { 0 };
	bool ok;

	if (!ready) {
		setup();
		ready = true;
	}
	if (size < 1)
		return 0;
	write_to(input, data + 1, size - 1);
	if (data[0] % 3 == 0) {
		struct import_cfg cfg = { 0 };

		ok = import_crmgen(input, &cfg, &r);
		if (ok)
			check_cfg(&cfg);
		import_cfg_free(&cfg);
	} else {
		struct import_files out = { 0 };

		ok = data[0] % 3 == 1 ? import_heartbeat(input, keys, hares, &out, &r)
				      : import_heartbeat(hacf, keys, input, &out, &r);
		if (ok) {
			FUZZ_CHECK(out.conf != NULL);
			check_cfg(&out.cfg);
		}
		free(out.conf);
		import_cfg_free(&out.cfg);
	}
	FUZZ_CHECK(ok || r.counts[IMPORT_ERR] > 0);
	import_report_free(&r);
	return 0;
}
