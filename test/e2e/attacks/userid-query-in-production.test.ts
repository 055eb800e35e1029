import { join } from 'node:path';
import { createNegotiateHandler } from '../../../functions/negotiate';
import { loadConfig } from '../../../shared/config/app-config';
import { ConfigError } from '../../../shared/http/errors';
import { DEV_CONNECTION_STRING, invocation, request, runtimeFor } from '../../support/functions-harness';
import { spawnGroup } from '../../support/process-group';
import { repoRoot } from '../../support/stack';

/** `?userId=` is a development convenience: refused in production and ignored by the real auth modes. */

async function negotiate(env: Record<string, string>, query: string, headers: Record<string, string> = {}) {
  const { context } = invocation();
  const res = await createNegotiateHandler(runtimeFor(env))(request({ method: 'GET', url: `http://localhost/api/negotiate${query}`, headers }), context);
  const body = String(res.body ?? '');
  const token = res.status === 200 || res.status === undefined ? (JSON.parse(body) as { token: string }).token : undefined;
  return {
    status: res.status ?? 200,
    sub: token ? (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub?: string }).sub : undefined,
  };
}

describe('userId query in production mode', () => {
  it('NegotiateAuth=dev with WEBSITE_SITE_NAME set is a configuration error', () => {
    expect(() => loadConfig({ WebPubSubConnectionString: DEV_CONNECTION_STRING, NegotiateAuth: 'dev', WEBSITE_SITE_NAME: 'func-api' })).toThrow(ConfigError);
    expect(() => loadConfig({ WebPubSubConnectionString: DEV_CONNECTION_STRING, WEBSITE_INSTANCE_ID: 'abc' })).toThrow(/NegotiateAuth/);
  });

  it('the Functions app refuses to negotiate under the local host in that configuration (500 naming the setting, no token)', async () => {
    const host = spawnGroup(process.execPath, [join(repoRoot, 'dist', 'local-host', 'main.js'), '--port', '0', '--app', repoRoot], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, WebPubSubConnectionString: DEV_CONNECTION_STRING, NegotiateAuth: 'dev', WEBSITE_SITE_NAME: 'func-api' },
    });
    try {
      const [, port] = await host.waitForOutput(/Host listening on http:\/\/localhost:(\d+)/);
      expect(host.stderr()).toMatch(/NegotiateAuth.*dev/);
      const res = await fetch(`http://localhost:${port}/api/negotiate?userId=mallory`);
      expect(res.status).toBe(500);
      const body = (await res.json()) as { code: string; settings: string[]; token?: string };
      expect(body).toMatchObject({ code: 'AppMisconfigured', settings: ['NegotiateAuth'] });
      expect(body.token).toBeUndefined();
    } finally {
      await host.stop('SIGKILL');
    }
  });

  it('easyauth ignores ?userId= (the principal wins; without one → 401)', async () => {
    expect(await negotiate({ NegotiateAuth: 'easyauth' }, '?userId=mallory', { 'x-ms-client-principal-id': 'alice' })).toMatchObject({
      status: 200,
      sub: 'alice',
    });
    expect((await negotiate({ NegotiateAuth: 'easyauth' }, '?userId=mallory')).status).toBe(401);
  });

  it('jwt mode ignores ?userId= (no bearer → 401)', async () => {
    const env = {
      NegotiateAuth: 'jwt',
      NegotiateJwtSecret: 'negotiate-hs256-secret-0123456789-0123456789',
      NegotiateJwtIssuer: 'https://i',
      NegotiateJwtAudience: 'api://a',
    };
    expect((await negotiate(env, '?userId=mallory')).status).toBe(401);
  });
});
