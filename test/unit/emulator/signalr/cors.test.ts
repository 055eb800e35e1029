import { corsHeaders, preflightHeaders } from '../../../../emulator/signalr/cors';

describe('SignalR client endpoint CORS', () => {
  it('names the calling origin, with credentials, and adds nothing without an Origin', () => {
    expect(corsHeaders('http://localhost:7071')).toEqual({
      'Access-Control-Allow-Origin': 'http://localhost:7071',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    expect(corsHeaders(undefined)).toEqual({});
  });

  it('answers a preflight with the methods of the transports and the headers asked for', () => {
    expect(preflightHeaders('https://app.example', 'authorization,x-signalr-user-agent')).toMatchObject({
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'authorization,x-signalr-user-agent',
    });
  });
});
