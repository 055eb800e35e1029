import type { HttpHandler, HttpResponseInit, InvocationContext } from '@azure/functions';
import { settingNames } from '../shared/config/app-config';
import type { Runtime } from '../shared/config/app-runtime';
import { ConfigError } from '../shared/http/errors';
import type { ErrorFormat } from './http';
import { getRuntime } from './process-runtime';

let logged = false;

/**
 * A handler that needs the runtime. While the settings are wrong every request answers 500 with a
 * message naming the settings to fix (only their names: a problem may quote a value, so the full
 * text goes to the log),
 * and the problems are logged with the first such request only: once per instance, not per request.
 */
export function withRuntime(format: ErrorFormat, create: (rt: Runtime) => HttpHandler): HttpHandler {
  return (request, context) => {
    let rt: Runtime;
    try {
      rt = getRuntime();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return misconfiguredResponse(e, context, format);
    }
    return create(rt)(request, context);
  };
}

export function misconfiguredResponse(error: ConfigError, context: InvocationContext, format: ErrorFormat): HttpResponseInit {
  if (!logged) {
    logged = true;
    context.error(`Configuration error: ${error.problems.join('; ')}`);
  }
  const names = settingNames(error.problems);
  const message =
    `This Functions app is not configured correctly. Fix the application setting${names.length === 1 ? '' : 's'} ${names.join(', ') || '(see the log)'} ` +
    "(in Azure: the function app's Environment variables; locally: local.settings.json), then restart the app. The app's log has the details.";
  const headers = { 'Cache-Control': 'no-store' };
  return format === 'text'
    ? { status: 500, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: message }
    : {
        status: 500,
        headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ code: 'AppMisconfigured', message, settings: names }),
      };
}
