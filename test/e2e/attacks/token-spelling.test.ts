import { signHs256 } from '../../../emulator/auth/hs256';
import type { RunningEmulator } from '../../../emulator/server';
import { KEY, RawClient, start } from '../../support/emulator-harness';
import { alternateSpellings } from '../../support/token-spellings';

/**
 * Red-team item 7: the last base64url character of a signature had four accepted spellings. Only the
 * canonical one is accepted, for client tokens (handshake) and REST tokens alike.
 */
describe('Alternate spellings of a token signature', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await start();
  });
  afterAll(() => emulator.close());

  const exp = () => Math.floor(Date.now() / 1000) + 300;

  it('a client token: canonical connects, each variant is refused with 401', async () => {
    const token = signHs256({ aud: `http://localhost:${emulator.port}/client/hubs/chat`, exp: exp(), sub: 'u' }, KEY);
    const url = (t: string) => `ws://localhost:${emulator.port}/client/hubs/chat?access_token=${t}`;
    const ok = await RawClient.open(url(token), 'json.webpubsub.azure.v1');
    ok.close();
    for (const variant of alternateSpellings(token)) expect(await RawClient.refusal(url(variant), 'json.webpubsub.azure.v1')).toBe(401);
  });

  it('a REST token: canonical is served, each variant gets 401', async () => {
    const url = `http://localhost:${emulator.port}/api/hubs/chat/users/u/:send?api-version=2024-12-01`;
    const token = signHs256({ aud: url, exp: exp() }, KEY);
    const send = (t: string) => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'text/plain' }, body: 'hi' });
    expect((await send(token)).status).toBe(202);
    for (const variant of alternateSpellings(token)) {
      const res = await send(variant);
      expect(res.status).toBe(401);
    }
  });
});
