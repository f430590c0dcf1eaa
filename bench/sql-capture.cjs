// Preloaded (node --require) into the service and the baseline for the capture pass only, never
// into a measured run: records every statement sent through pg (text, parameters, statement name)
// as JSON lines in $BENCH_SQL_CAPTURE, so that the bench can count round trips per request and
// EXPLAIN exactly the queries that the service sends.
const { appendFileSync } = require('node:fs');
const pg = require('pg');

const file = process.env.BENCH_SQL_CAPTURE;
if (file) {
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function capture(config, values) {
    try {
      let text;
      let params;
      let name;
      if (typeof config === 'string') {
        text = config;
        params = Array.isArray(values) ? values : undefined;
      } else if (config && typeof config.text === 'string') {
        text = config.text;
        params = config.values ?? (Array.isArray(values) ? values : undefined);
        name = config.name;
      }
      if (text !== undefined) appendFileSync(file, `${JSON.stringify({ at: Date.now(), name, text, values: params })}\n`);
    } catch {
      // capturing must never break a query
    }
    return original.apply(this, arguments);
  };
}
