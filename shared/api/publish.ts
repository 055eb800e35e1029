import type { HubService } from '../hub/hub-service';
import type { PublishRequest } from './publish-request';

/** Sends a validated publish request through the hub's service (docs/protocol/rest-api.md §2 ops 2–5). */
export async function publish(request: PublishRequest, service: HubService): Promise<void> {
  const { target, message, excluded } = request;
  const options = { dataType: message.dataType, ...(excluded.length > 0 ? { excluded } : {}) };
  switch (target.kind) {
    case 'all':
      return service.sendToAll(message.data, options);
    case 'group':
      return service.sendToGroup(target.group, message.data, options);
    case 'user':
      return service.sendToUser(target.userId, message.data, options);
    case 'connection':
      return service.sendToConnection(target.connectionId, message.data, { dataType: message.dataType });
  }
}
