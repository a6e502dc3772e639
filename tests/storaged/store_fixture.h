/* The storaged Check suites' fixture: a store in a fresh temporary
 * directory per test (s_dir), removed after it.  Define
 * STORE_FIXTURE_NAME ("check_store"...) before including. */
#ifndef TESTS_STORAGED_STORE_FIXTURE_H
#define TESTS_STORAGED_STORE_FIXTURE_H

#include "store.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

static char s_dir[64];

static void s_setup(void)
{
	snprintf(s_dir, sizeof s_dir, "/tmp/" STORE_FIXTURE_NAME ".XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(s_dir));
}

static void s_teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", s_dir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct store *s_open(void)
{
	char err[512];
	struct store *st = store_open(s_dir, NULL, NULL, err, sizeof err);
	ck_assert_msg(st != NULL, "%s", err);
	return st;
}

#endif
