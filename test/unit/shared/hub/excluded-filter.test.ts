import { compileFilter } from '../../../../emulator/rest/filter';
import { BadRequestError } from '../../../../shared/http/errors';
import { excludedConnectionsFilter, MAX_FILTER_LENGTH } from '../../../../shared/hub/excluded-filter';

/** Connection ids shaped like the service's (22–40 characters). */
const ids = (n: number, length = 36) => Array.from({ length: n }, (_, i) => `${'c'.repeat(length - 6)}${String(i).padStart(6, '0')}`);

describe('excludedConnectionsFilter: the OData filter for a send to a user with excluded connections', () => {
  it('is one `in` list, with quotes doubled', () => {
    expect(excludedConnectionsFilter(['a', "o'x"])).toBe("not(connectionId in ('a','o''x'))");
  });

  it('fits 100 service-sized ids (the publish limit), which the old `ne … and` form could not', () => {
    const filter = excludedConnectionsFilter(ids(100));
    expect(filter.length).toBeLessThanOrEqual(MAX_FILTER_LENGTH);
    // The form it replaced: 90 ids of 36 characters already needed more than 4,096 characters.
    expect(
      ids(90)
        .map((id) => `connectionId ne '${id}'`)
        .join(' and ').length,
    ).toBeGreaterThan(MAX_FILTER_LENGTH);
  });

  it('means what it says to an independent filter implementation (the emulator), quotes included', () => {
    const excluded = [...ids(100), "o'x"];
    const keep = compileFilter(excludedConnectionsFilter(excluded));
    const target = (connectionId: string) => ({ connectionId, userId: 'u', groups: new Set<string>(), protocol: null });
    for (const id of excluded) expect(keep(target(id) as never)).toBe(false);
    expect(keep(target('someone-else') as never)).toBe(true);
    expect(keep(target('o') as never)).toBe(true);
  });

  it('refuses ids too long to fit with a 400 that says what to change', () => {
    const error = (() => {
      try {
        excludedConnectionsFilter(ids(100, 45));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(400);
    expect((error as BadRequestError).code).toBe('ExcludedTooLong');
    expect((error as Error).message).toMatch(/"excluded" is too long .* at most 4096/);
  });

  it('the longest list that fits is accepted, one more character is not', () => {
    // 100 ids: 21 characters of framing + 100 × (length + 3) − 1 commas.
    const frame = excludedConnectionsFilter(['']).length - 2;
    const length = Math.floor((MAX_FILTER_LENGTH - frame + 1) / 100) - 3;
    const fits = ids(100, length);
    expect(excludedConnectionsFilter(fits).length).toBeLessThanOrEqual(MAX_FILTER_LENGTH);
    const tooLong = [...fits.slice(0, 99), `${fits[99]}${'x'.repeat(MAX_FILTER_LENGTH - excludedConnectionsFilter(fits).length + 1)}`];
    expect(() => excludedConnectionsFilter(tooLong)).toThrow(BadRequestError);
  });
});
