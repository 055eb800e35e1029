import { BadRequestError, NotFoundError, UnauthorizedError } from '../../../../shared/http/errors';
import { toErrorResponse } from '../../../../emulator/rest/error-detail';
import { InvalidParameterError, MethodNotAllowedError } from '../../../../emulator/rest/request-errors';

describe('toErrorResponse (docs/protocol/rest-api.md §1: ErrorDetail + x-ms-error-code)', () => {
  it('maps a typed error to its status, code and message', () => {
    expect(toErrorResponse(new NotFoundError('Connection c does not exist.', 'ConnectionNotFound'), 'PUT')).toEqual({
      status: 404,
      headers: { 'x-ms-error-code': 'ConnectionNotFound' },
      body: { code: 'ConnectionNotFound', message: 'Connection c does not exist.' },
    });
    expect(toErrorResponse(new UnauthorizedError('nope'), 'POST').status).toBe(401);
  });

  it('adds the parameter name as target', () => {
    expect(toErrorResponse(new InvalidParameterError('filter', 'Invalid filter: x', 'InvalidFilter'), 'POST').body).toEqual({
      code: 'InvalidFilter',
      message: 'Invalid filter: x',
      target: 'filter',
    });
  });

  it('sends no body for HEAD but keeps the header', () => {
    const r = toErrorResponse(new BadRequestError('bad'), 'HEAD');
    expect(r).toEqual({ status: 400, headers: { 'x-ms-error-code': 'BadRequest' } });
    expect('body' in r).toBe(false);
  });

  it('adds Allow to a 405', () => {
    expect(toErrorResponse(new MethodNotAllowedError('GET', ['POST']), 'GET').headers).toEqual({ 'x-ms-error-code': 'MethodNotAllowed', allow: 'POST' });
  });

  it('hides the details of an untyped error behind a generic 500', () => {
    const r = toErrorResponse(new Error('secret internals'), 'POST');
    expect(r.status).toBe(500);
    expect(r.body?.code).toBe('InternalServerError');
    expect(JSON.stringify(r)).not.toContain('secret internals');
  });
});
