import { isValidGroupName } from '../core/name-rules';
import { V5, type MqttVersion } from './reason-codes';

/**
 * Topics are groups ("MQTT in Azure Web PubSub"): a topic name is a group name. Wildcard and shared
 * subscriptions are not supported ("MQTT support status"), and `$webpubsub/server/messages` is where
 * server messages arrive. Pure.
 */

export const SERVER_MESSAGES_TOPIC = '$webpubsub/server/messages';

/** undefined = a valid topic filter; otherwise the SUBACK code for the client's version. */
export function topicFilterProblem(filter: string, version: MqttVersion): number | undefined {
  const failure = (v5: number) => (version === 5 ? v5 : 0x80);
  if (filter.startsWith('$share/')) return failure(V5.SharedSubscriptionsNotSupported);
  if (filter.includes('#') || filter.includes('+')) return failure(V5.WildcardSubscriptionsNotSupported);
  if (filter === SERVER_MESSAGES_TOPIC) return undefined;
  if (!isValidGroupName(filter)) return failure(V5.TopicFilterInvalid);
  return undefined;
}

/** A topic a client may publish to: a valid group name without wildcard characters and not `$`-reserved. */
export function isPublishableTopic(topic: string): boolean {
  return isValidGroupName(topic) && !topic.includes('#') && !topic.includes('+') && !topic.startsWith('$');
}
