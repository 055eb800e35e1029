import { decodeJwt } from 'jose';
import { createServiceTokenSource } from '../../../../emulator/entra/service-token-source';
import { authority, APP_REG, SERVICE } from '../../../support/entra-authority';

test('tokens of the service identity are reused until the last fifth of their lifetime, then renewed; one per resource', async () => {
  let clock = 1_000_000;
  const a = await authority({ tokenLifetimeSeconds: 10 }, () => clock);
  const issued: string[] = [];
  const source = createServiceTokenSource(
    a,
    (t, resource) => issued.push(`${resource}@${t.expiresOn}`),
    () => clock,
  );
  const first = await source(APP_REG);
  expect(decodeJwt(first)).toMatchObject({ oid: SERVICE.principalId, aud: APP_REG, ver: '2.0' });
  clock += 7;
  expect(await source(APP_REG)).toBe(first);
  clock += 2; // 1 s left of 10: renew
  const second = await source(APP_REG);
  expect(second).not.toBe(first);
  await source('https://webpubsub.azure.com');
  expect(issued).toEqual([`${APP_REG}@1000010`, `${APP_REG}@1000019`, 'https://webpubsub.azure.com@1000019']);
});

test('concurrent callers share one issuance; a failure is not cached', async () => {
  const a = await authority();
  let count = 0;
  const source = createServiceTokenSource(a, () => count++);
  const [x, y] = await Promise.all([source(APP_REG), source(APP_REG)]);
  expect(x).toBe(y);
  expect(count).toBe(1);
  await expect(source('api://nobody')).rejects.toThrow(/AADSTS500011/);
  await expect(source('api://nobody')).rejects.toThrow(/AADSTS500011/);
});
