/* fuzz_record: a stored row as storaged reads it back from the card (a
 * damaged card can hand back anything).  Input: kind (1 byte), flags (1),
 * count (int32 LE), ts (int64 LE), n up to a NUL, then the value blob.
 * What store.c does with a row: record_check_row, record_decode, then the
 * answer's JSON and the series row.  A row that passes both checks must
 * give an answer with every present field (nothing silently missing). */
#include "record.h"

#include "msg.h"
#include "fuzz.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 14)
		return 0;
	struct record r = { .id = 7 };
	int32_t count;
	int64_t ts;
	r.kind = (enum reading_kind)data[0];
	r.restamped = data[1] & 1;
	memcpy(&count, data + 2, 4);
	memcpy(&ts, data + 6, 8);
	r.count = count;
	r.ts = ts;
	const uint8_t *p = data + 14, *end = data + size;
	const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
	size_t nlen = nul ? (size_t)(nul - p) : (size_t)(end - p);
	if (nlen >= sizeof r.n)
		return 0;
	memcpy(r.n, p, nlen);
	p += nlen + (nul != NULL);
	uint8_t *blob = fuzz_copy(p, (size_t)(end - p));
	char err[256] = "";
	if (record_check_row(&r, err, sizeof err) < 0 || record_decode(&r, blob, (size_t)(end - p), err, sizeof err) < 0) {
		CHECK(err[0]);
		free(blob);
		return 0;
	}
	free(blob);
	json_t *j = record_to_json(&r, "02:fc:00:00:00:01");
	CHECK(j != NULL);
	size_t present = 0;
	for (int i = 0; i < 64; i++)
		present += (r.mask >> i) & 1;
	json_t *values = json_object_get(j, "values");
	CHECK(json_object_size(values) == present + (r.unit[0] ? 1 : 0));
	char *text = json_dumps(j, MSG_JSON_FLAGS);
	CHECK(text != NULL);
	free(text);
	json_decref(j);
	struct columns_row row;
	const char *names[RECORD_FIELDS_MAX];
	double vals[RECORD_FIELDS_MAX];
	record_to_row(&r, &row, names, vals);
	CHECK((size_t)row.nvals == present);
	/* what was read back encodes to the same blob and decodes again */
	uint8_t again[RECORD_BLOB_MAX];
	size_t len = record_encode(&r, again);
	struct record back = r;
	CHECK(record_decode(&back, again, len, err, sizeof err) == 0 && back.mask == r.mask);
	return 0;
}
