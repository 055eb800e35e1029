import { negotiate } from '../../../../shared/api/negotiate';
import type { ClientTokenRequest } from '../../../../shared/auth/client-access-token-issuer';
import type { Config } from '../../../../shared/config/app-config';
import { BadRequestError } from '../../../../shared/http/errors';

const config = { defaultHub: 'chat', hubs: [{ name: 'chat', roles: ['webpubsub.joinLeaveGroup'], groups: [] }] } as unknown as Config;

async function run(query: string): Promise<ClientTokenRequest> {
  let issued: ClientTokenRequest | undefined;
  await negotiate(
    { headers: new Headers(), query: new URLSearchParams(query) },
    {
      config,
      authenticate: async () => 'alice',
      issueToken: async (r) => {
        issued = r;
        return { url: '', baseUrl: '', token: '', expiresOn: '' };
      },
    },
  );
  return issued!;
}

describe('negotiate', () => {
  it('issues the WebSocket client token by default and an MQTT one for ?protocol=mqtt, with the same identity and roles', async () => {
    expect(await run('')).toEqual({ hub: 'chat', userId: 'alice', roles: ['webpubsub.joinLeaveGroup'], groups: [] });
    expect(await run('protocol=default')).not.toHaveProperty('clientProtocol');
    expect(await run('protocol=MQTT')).toEqual({ hub: 'chat', userId: 'alice', roles: ['webpubsub.joinLeaveGroup'], groups: [], clientProtocol: 'mqtt' });
  });

  it('refuses an unknown protocol with a 400', async () => {
    await expect(run('protocol=socketio')).rejects.toBeInstanceOf(BadRequestError);
  });
});
