import { SignJWT } from 'jose';
import { signHs256 } from '../../../../emulator/auth/hs256';
import { createEntraTokenVerifier } from '../../../../emulator/entra/data-plane-auth';
import { createRestAuthenticator, LOCAL_AUTH_DISABLED_MESSAGE } from '../../../../emulator/rest/rest-authenticator';
import { ForbiddenError, UnauthorizedError } from '../../../../emulator/core/service-errors';
import { authority, APP, foreignKey, OTHER } from '../../../support/entra-authority';

const KEY = 'test-access-key-0123456789-0123456789-0123';
const url = { scheme: 'https', host: 'localhost:8443', target: '/api/hubs/chat/:send?api-version=2024-01-01' };
const keyToken = () => `Bearer ${signHs256({ aud: `https://localhost:8443${url.target}`, exp: Math.floor(Date.now() / 1000) + 60 }, KEY)}`;

test('local auth on, no authority: access-key tokens pass, anything else is refused', async () => {
  const auth = createRestAuthenticator({ keys: [KEY], localAuthDisabled: false });
  await expect(auth(keyToken(), url, 'sendToAll')).resolves.toBeUndefined();
  await expect(auth(undefined, url, 'sendToAll')).rejects.toThrow(UnauthorizedError);
});

test('local auth disabled: a valid access-key token is refused with the disableLocalAuth message; no header → 401', async () => {
  const auth = createRestAuthenticator({ keys: [KEY], localAuthDisabled: true });
  await expect(auth(keyToken(), url, 'sendToAll')).rejects.toThrow(LOCAL_AUTH_DISABLED_MESSAGE);
  await expect(auth(undefined, url, 'sendToAll')).rejects.toThrow(/Microsoft Entra token/);
});

test('with the authority: Entra tokens are verified, then authorized by role; both kinds pass while local auth is on', async () => {
  const a = await authority();
  const entra = { verify: createEntraTokenVerifier(a), roleAssignments: a.settings.roleAssignments };
  const on = createRestAuthenticator({ keys: [KEY], localAuthDisabled: false, entra });
  const off = createRestAuthenticator({ keys: [KEY], localAuthDisabled: true, entra });
  const owner = `Bearer ${(await a.issue(APP, 'https://webpubsub.azure.com')).accessToken}`;
  const reader = `Bearer ${(await a.issue(OTHER, 'https://webpubsub.azure.com')).accessToken}`;
  await expect(off(owner, url, 'sendToAll')).resolves.toBeUndefined();
  await expect(on(keyToken(), url, 'sendToAll')).resolves.toBeUndefined();
  await expect(off(reader, url, 'sendToAll')).rejects.toThrow(ForbiddenError);
  await expect(off(reader, url, 'groupExists')).resolves.toBeUndefined();
  const forged = await new SignJWT({ aud: 'https://webpubsub.azure.com', oid: APP.principalId })
    .setProtectedHeader({ alg: 'RS256', kid: a.kid })
    .sign(foreignKey());
  await expect(off(`Bearer ${forged}`, url, 'sendToAll')).rejects.toThrow(UnauthorizedError);
});
