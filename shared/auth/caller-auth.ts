import type { NegotiateAuthSettings } from '../config/app-config';
import { readEasyAuthUserId } from './easy-auth';
import { BadRequestError } from '../http/errors';
import type { HeaderReader } from '../http/http-headers';
import { createJwtVerifier, invalidToken, readBearerToken } from './jwt-verifier';
import { isValidUserId } from '../validation/names';

/**
 * Who is calling negotiate, per `NegotiateAuth`:
 * - `dev`: the `userId` query parameter, trusted as is (config refuses this mode in Azure);
 * - `easyauth`: the principal App Service / Static Web Apps authenticated;
 * - `jwt`: the configured claim of a verified `Authorization: Bearer` token.
 * The user id is never taken from the query outside dev mode.
 */
export interface CallerRequest {
  readonly headers: HeaderReader;
  readonly query: URLSearchParams;
}

export type CallerAuthenticator = (request: CallerRequest) => Promise<string>;

export function createCallerAuthenticator(settings: NegotiateAuthSettings): CallerAuthenticator {
  switch (settings.mode) {
    case 'dev':
      return async ({ query }) => {
        const userId = query.get('userId');
        if (userId === null || userId === '') throw new BadRequestError('userId query parameter is required (NegotiateAuth=dev)', 'MissingUserId');
        if (!isValidUserId(userId))
          throw new BadRequestError(
            'userId must be 1..128 visible characters, without leading or trailing spaces, invisible or control characters, or "%"',
            'InvalidUserId',
          );
        return userId;
      };
    case 'easyauth':
      return async ({ headers }) => checkUserId(readEasyAuthUserId(headers));
    case 'jwt': {
      const verify = createJwtVerifier({
        ...(settings.jwksUrl ? { jwksUrl: settings.jwksUrl } : {}),
        ...(settings.secret ? { secret: settings.secret } : {}),
        issuers: [settings.issuer],
        audience: settings.audience,
      });
      return async ({ headers }) => {
        const payload = await verify(readBearerToken(headers));
        const id = payload[settings.userClaim];
        if (typeof id !== 'string' || !isValidUserId(id)) throw invalidToken(`the token has no usable ${settings.userClaim.replace(/[^\w.:-]/g, '')} claim`);
        return id;
      };
    }
  }
}

function checkUserId(id: string): string {
  if (!isValidUserId(id)) throw new BadRequestError('the authenticated user id is not a valid Web PubSub user id', 'InvalidUserId');
  return id;
}
