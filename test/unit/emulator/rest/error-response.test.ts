import { BadRequestError, NotFoundError, UnauthorizedError } from '../../../../emulator/core/service-errors';
import { JSON_UTF8, PROBLEM_JSON, toErrorResponse, VALIDATION_TITLE } from '../../../../emulator/rest/error-response';
import { InvalidParameterError, MethodNotAllowedError } from '../../../../emulator/rest/request-errors';

/** The shapes are those of the service's live answers recorded in Azure/azure-sdk-assets. */
describe('toErrorResponse', () => {
  it('a validation error is a 400 problem+json body whose text matches the recorded answer byte for byte', () => {
    const message = "Invalid syntax for 'invalid filter': Syntax error at position 14 in 'invalid filter'. (Parameter 'filter')";
    const r = toErrorResponse(new InvalidParameterError('filter', message));
    expect(r.status).toBe(400);
    expect(r.headers).toEqual({ 'content-type': PROBLEM_JSON, 'x-ms-error-code': 'Error.BadRequest' });
    const text = JSON.stringify(r.body);
    // js recordings, group_client_working_with_a_group/can_broadcast_to_group_with_filter: Content-Length 416.
    expect(Buffer.byteLength(text)).toBe(416);
    expect(text).toBe(
      `{"code":"Error.BadRequest","message":${JSON.stringify(message)},"target":"filter","errors":{"filter":[${JSON.stringify(message)}]},` +
        `"type":null,"title":"${VALIDATION_TITLE}","status":400,"detail":null,"instance":null,"extensions":{}}`,
    );
  });

  it('a not-found error is a JSON ErrorDetail with the service code and target', () => {
    const r = toErrorResponse(new NotFoundError('Connection `fake-connection-id` is not found.', 'Error.Connection.NotExisted', { target: 'Connection' }));
    expect(r).toEqual({
      status: 404,
      headers: { 'content-type': JSON_UTF8, 'x-ms-error-code': 'Error.Connection.NotExisted' },
      body: { code: 'Error.Connection.NotExisted', message: 'Connection `fake-connection-id` is not found.', target: 'Connection', details: null, inner: null },
    });
    // python recordings, test_add_connection_to_group_not_found: Content-Length 146.
    expect(Buffer.byteLength(JSON.stringify(r.body))).toBe(146);
  });

  it('a 401 has no body and carries its challenge', () => {
    const r = toErrorResponse(
      new UnauthorizedError('The signature is invalid.', undefined, { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }),
    );
    expect(r).toEqual({ status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
  });

  it('a 400 without a named parameter still has the validation shape', () => {
    const r = toErrorResponse(new BadRequestError('bad'));
    expect(r.headers['x-ms-error-code']).toBe('Error.BadRequest');
    expect(r.body).toMatchObject({ code: 'Error.BadRequest', message: 'bad', title: VALIDATION_TITLE, status: 400 });
  });

  it('adds Allow to a 405', () => {
    expect(toErrorResponse(new MethodNotAllowedError('GET', ['POST'])).headers).toEqual({
      allow: 'POST',
      'x-ms-error-code': 'Error.MethodNotAllowed',
      'content-type': JSON_UTF8,
    });
  });

  it('hides the details of an untyped error behind a generic 500', () => {
    const r = toErrorResponse(new Error('secret internals'));
    expect(r.status).toBe(500);
    expect(r.body?.code).toBe('Error.InternalServerError');
    expect(JSON.stringify(r)).not.toContain('secret internals');
  });
});
