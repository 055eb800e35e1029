import { InvalidParameterError } from './request-errors';

/** docs/protocol/rest-api.md header: the current version, and the earlier stable versions that are also accepted. */
export const CURRENT_API_VERSION = '2024-12-01';
export const SUPPORTED_API_VERSIONS: readonly string[] = ['2021-10-01', '2022-11-01', '2023-07-01', '2024-01-01', CURRENT_API_VERSION];

/**
 * Validates `api-version`. It is required except where `optional` (requests that follow a nextLink,
 * docs/protocol/rest-api.md §5, and the health probe); then a missing value means the current version.
 */
export function checkApiVersion(value: string | null, optional: boolean): string {
  if (value === null || value === '') {
    if (optional) return CURRENT_API_VERSION;
    throw new InvalidParameterError('api-version', `The api-version query parameter is required; use api-version=${CURRENT_API_VERSION}.`);
  }
  if (!SUPPORTED_API_VERSIONS.includes(value)) {
    throw new InvalidParameterError('api-version', `api-version '${value}' is not supported; supported versions are ${SUPPORTED_API_VERSIONS.join(', ')}.`);
  }
  return value;
}
