import { BadRequestError } from '../core/service-errors';

/**
 * A filter the service cannot use. The message is one sentence in the service's words, with 0-based
 * positions as its OData parser counts them (e.g. "Syntax error at position 14 in 'invalid filter'.");
 * compileFilter wraps it into the full answer (invalidFilterMessage).
 */
export class FilterSyntaxError extends BadRequestError {}

/**
 * The service's message for a filter it refuses, as recorded live (Azure/azure-sdk-assets, js web-pubsub
 * recordings): "Invalid syntax for '<filter>': <reason> (Parameter 'filter')". The public docs show the
 * same form for a type error ("… Type 'null', expect 'bool'. (Parameter 'filter')").
 */
export function invalidFilterMessage(text: string, reason: string): string {
  return `Invalid syntax for '${text}': ${reason} (Parameter 'filter')`;
}
