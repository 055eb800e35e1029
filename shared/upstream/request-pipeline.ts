import { parseCloudEvent, parseEventHeaders } from './cloud-event-parser';
import { findHubSettings } from '../config/app-config';
import { dispatchEvent } from './hub-dispatch';
import { NotFoundError } from '../http/errors';
import type { HttpReply } from './event-types';
import type { HubLogger } from '../hub/hub-definition';
import type { HeaderReader } from '../http/http-headers';
import type { Runtime } from '../config/app-runtime';

/**
 * One upstream POST, in the order that avoids work for strangers: headers (400) → authentication
 * (401; needs only ce-connectionId) → hub (404) → body (413/400) → hub handler.
 */
export async function handleUpstreamEvent(
  request: { headers: HeaderReader; readBody: () => Promise<Uint8Array> },
  runtime: Runtime,
  log: HubLogger,
): Promise<HttpReply> {
  const envelope = parseEventHeaders(request.headers);
  await runtime.authenticateUpstream(request.headers, envelope.context.connectionId);
  const settings = findHubSettings(runtime.config, envelope.context.hub);
  const hub = runtime.hubs.find(envelope.context.hub);
  if (!settings || !hub) throw new NotFoundError(`hub "${envelope.context.hub}" is not configured in this app (WebPubSubHub)`, 'UnknownHub');
  for (const warning of envelope.warnings) log.warn(`${warning} (connection ${envelope.context.connectionId})`);
  const event = parseCloudEvent(envelope, request.headers.get('content-type'), await request.readBody());
  return dispatchEvent(event, hub, runtime.serviceFor(settings.name), log);
}
