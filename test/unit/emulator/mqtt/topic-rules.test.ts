import { isPublishableTopic, SERVER_MESSAGES_TOPIC, topicFilterProblem } from '../../../../emulator/mqtt/topic-rules';

describe('topic rules', () => {
  it('accepts group names and the server messages topic as filters', () => {
    expect(topicFilterProblem('room1', 5)).toBeUndefined();
    expect(topicFilterProblem('a/b', 4)).toBeUndefined();
    expect(topicFilterProblem(SERVER_MESSAGES_TOPIC, 5)).toBeUndefined();
  });

  it('refuses wildcard and shared subscriptions with their 5.0 codes, 0x80 in 3.1.1', () => {
    expect(topicFilterProblem('a/#', 5)).toBe(0xa2);
    expect(topicFilterProblem('+', 5)).toBe(0xa2);
    expect(topicFilterProblem('$share/g/t', 5)).toBe(0x9e);
    expect(topicFilterProblem('a/#', 4)).toBe(0x80);
    expect(topicFilterProblem('   ', 5)).toBe(0x8f);
  });

  it('lets clients publish to group names only, not to $ topics', () => {
    expect(isPublishableTopic('room1')).toBe(true);
    expect(isPublishableTopic(SERVER_MESSAGES_TOPIC)).toBe(false);
    expect(isPublishableTopic('a/+')).toBe(false);
    expect(isPublishableTopic('')).toBe(false);
  });
});
