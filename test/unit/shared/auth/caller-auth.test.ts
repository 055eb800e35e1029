import { createCallerAuthenticator } from '../../../../shared/auth/caller-auth';
import { BadRequestError } from '../../../../shared/http/errors';

const dev = createCallerAuthenticator({ mode: 'dev' });
const call = (query: string) => dev({ headers: new Headers(), query: new URLSearchParams(query) });

describe('dev caller authentication', () => {
  it('takes userId from the query', async () => {
    await expect(call('userId=alice')).resolves.toBe('alice');
    await expect(call(`userId=${'x'.repeat(128)}`)).resolves.toHaveLength(128);
  });
  it.each(['', 'userId=', `userId=${'x'.repeat(129)}`, 'userId=a%00b', 'userId=a%0Ab', 'userId=%20a', 'userId=%E2%80%AE'])('400 for %p', async (q) => {
    await expect(call(q)).rejects.toBeInstanceOf(BadRequestError);
  });
});
