// Upload targets (beyond the manual, whose hub sends only to its maker's
// server): where the hub sends its stored readings, http-json (the hub's
// own JSON batches, docs/UPLOAD.md) or InfluxDB (API v1: database, user
// and password; v2: organisation, bucket and token), each with its
// backlog, last success and last error from uploadd beside it.

import {t, dateTime} from '/js/i18n.js';
import {listPage} from './listpage.js';

const influx = (v) => v.type === 'influxdb';

function when(ts) {
	return ts ? dateTime(ts) : t('status.never');
}

export default {
	render(main, ctx, arg) {
		return listPage(main, ctx, arg, {
			section: 'upload',
			key: 'name',
			route: 'upload',
			columns: [
				['upload.col.name', (u) => u.name],
				['upload.col.enabled', (u) => (u.enabled ? t('app.yes') : t('app.no'))],
				['upload.col.type', (u) => t('choice.upload.type.' + u.type)],
				['upload.col.url', (u) => u.url],
			],
			live: (s) => s.uploads,
			liveColumns: [
				['upload.col.state', (st) => (st.state ? t('upload.state.' + st.state) : '')],
				['upload.col.backlog', (st) => (st.backlog === undefined || st.backlog === null ? '' : String(st.backlog))],
				['upload.col.last_success', (st) => (st.state ? when(st.last_success) : '')],
				['upload.col.last_error', (st) => (st.last_error ? st.last_error.text : '')],
			],
			fields: [
				{name: 'name'}, {name: 'enabled'}, {name: 'type'}, {name: 'url'},
				{name: 'influx_api', when: influx},
				{name: 'influx_db', when: (v) => influx(v) && v.influx_api === 'v1'},
				{name: 'influx_org', when: (v) => influx(v) && v.influx_api === 'v2'},
				{name: 'influx_bucket', when: (v) => influx(v) && v.influx_api === 'v2'},
				{name: 'token'}, {name: 'username'}, {name: 'password'},
				{name: 'tls_verify'}, {name: 'ca_file'}, {name: 'interval_s'}, {name: 'batch_size'}, {name: 'gzip'},
				{name: 'checkin'}, {name: 'connect_timeout_s'}, {name: 'timeout_s'}, {name: 'low_speed_bps'},
				{name: 'low_speed_time_s'}, {name: 'retry_max_s'},
			],
			fresh: (list) => {
				let n = list.length + 1;
				while (list.some((u) => u.name === 'target' + n)) n++;
				return {name: 'target' + n};
			},
			strings: {
				title: 'upload.title', intro: 'upload.intro', list: 'upload.list', none: 'upload.none', add: 'upload.add',
				add_title: 'upload.add_title', edit_title: 'upload.edit_title', saved: 'upload.saved', delete: 'upload.delete',
				confirm_delete: 'upload.confirm_delete', live_down: 'upload.live_down',
			},
		});
	},
};
