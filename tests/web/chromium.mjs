// Debian's chromium for the browser tests, driven by playwright-core
// (installed by browser_lib.sh): headless, in a fresh profile, with
// nothing reaching out to Google's services.

import {mkdtempSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/* launch(modules, options) -> {context, page, close()}: modules is the
 * node_modules directory holding playwright-core; options go to
 * launchPersistentContext (viewport, ignoreHTTPSErrors...).  close() ends
 * the browser and removes the profile. */
export async function launch(modules, options) {
	const {chromium} = createRequire(join(modules, 'x.js'))('playwright-core');
	const profile = mkdtempSync(join(tmpdir(), 'eniscope-chromium-'));
	let context;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: '/usr/bin/chromium',
			headless: true,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
				'--disable-component-update', '--disable-sync'],
			...options,
		});
	} catch (e) {
		rmSync(profile, {recursive: true, force: true});
		throw e;
	}
	const page = context.pages()[0] || await context.newPage();
	return {
		context,
		page,
		async close() {
			await context.close();
			rmSync(profile, {recursive: true, force: true});
		},
	};
}
