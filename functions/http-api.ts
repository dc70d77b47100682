/**
 * App entry for the HTTP API (package.json `main` loads every file directly in functions/).
 * Every route needs a function key (`x-functions-key` or `?code=`); only /api/health is anonymous.
 */
import './http/components';
import './http/data';
import './http/datastores';
import './http/pipelines';
import './http/runs';
import './http/runs-purge';
import './http/runs-start';
import './http/schedules';
import './http/triggers-history';
