import { ConfigError } from '../../../../emulator/core/service-errors';
import { createRestHandler } from '../../../../emulator/rest/index';
import { FakeServiceOps } from '../../../support/fake-service-ops';

describe('createRestHandler', () => {
  it('fails at start-up without an access key', () => {
    expect(() => createRestHandler({ ops: new FakeServiceOps(), keys: [] })).toThrow(ConfigError);
    expect(() => createRestHandler({ ops: new FakeServiceOps(), keys: [''] })).toThrow(/access key/);
  });

  it('returns a request listener when configured', () => {
    expect(typeof createRestHandler({ ops: new FakeServiceOps(), keys: ['k'] })).toBe('function');
  });
});
