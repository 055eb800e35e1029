import { corsHeaders, preflightHeaders } from '../../../../shared/api/negotiate-cors';

describe('CORS for negotiate', () => {
  it('adds nothing when not configured', () => {
    expect(corsHeaders('https://a.example.com', [])).toEqual({});
  });
  it('"*" answers * without credentials', () => {
    expect(corsHeaders('https://a.example.com', ['*'])).toEqual({ 'Access-Control-Allow-Origin': '*' });
  });
  it('a listed origin is echoed with credentials and Vary: Origin; others only get Vary', () => {
    expect(corsHeaders('https://A.example.com', ['https://a.example.com'])).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://A.example.com',
      'Access-Control-Allow-Credentials': 'true',
    });
    expect(corsHeaders('https://b.example.com', ['https://a.example.com'])).toEqual({ Vary: 'Origin' });
  });
  it('preflight lists methods and headers for allowed origins only', () => {
    expect(preflightHeaders('https://a.example.com', ['https://a.example.com'], ['GET', 'POST'])).toMatchObject({
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    });
    expect(preflightHeaders('https://b.example.com', ['https://a.example.com'], ['GET'])['Access-Control-Allow-Methods']).toBeUndefined();
  });
});
