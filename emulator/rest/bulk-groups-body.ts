import type { ConnectionFilter } from '../core/types';
import { BadRequestError } from '../core/service-errors';
import { compileFilter } from './filter';
import { INVALID_GROUP_NAME, parseGroup } from './parameters';
import { InvalidParameterError } from './request-errors';

/**
 * The JSON body of `:addToGroups` / `:removeFromGroups` (docs/protocol/rest-api.md §2 #19/#20):
 * `{"groups": [non-empty list of group names], "filter"?: "<odata>"}`. An absent, null or empty filter
 * selects every connection of the hub [emulator].
 */
export interface BulkGroupsRequest {
  readonly groups: readonly string[];
  readonly filter?: ConnectionFilter;
}

export function parseBulkGroupsBody(contentType: string | undefined, body: Buffer): BulkGroupsRequest {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== '' && mediaType !== 'application/json') {
    throw new InvalidParameterError('body', `The body must be application/json, not '${mediaType.slice(0, 64)}'.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new InvalidParameterError('body', `The body is not valid JSON: ${(e as Error).message}.`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new InvalidParameterError('body', 'The body must be a JSON object like {"groups":["g1"],"filter":"userId eq \'u1\'"}.');
  }
  const { groups, filter } = json as { groups?: unknown; filter?: unknown };
  // The service names body properties as its request model does (PascalCase): `Groups`, `Filter`
  // (recorded live in Azure/azure-sdk-assets). A missing or empty list gets the group-name message, as there.
  if (!Array.isArray(groups) || groups.length === 0) throw new InvalidParameterError('Groups', INVALID_GROUP_NAME);
  const names = groups.map((g) => {
    if (typeof g !== 'string') throw new InvalidParameterError('Groups', INVALID_GROUP_NAME);
    return parseGroup(g, 'Groups');
  });
  if (filter === undefined || filter === null || filter === '') return { groups: names };
  if (typeof filter !== 'string') throw new InvalidParameterError('Filter', '"filter" must be a string holding an OData filter.');
  try {
    return { groups: names, filter: compileFilter(filter) };
  } catch (e) {
    throw e instanceof BadRequestError ? new InvalidParameterError('Filter', e.message) : e;
  }
}
