import type { HttpRequest } from '@azure/functions';
import { PayloadTooLargeError } from '../shared/http/errors';

/** The body as bytes, refusing more than `limit` bytes (413) — by Content-Length first, then by size. */
export async function readBody(request: HttpRequest, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new PayloadTooLargeError(`request body is ${declared} bytes; the limit is ${limit}`);
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > limit) throw new PayloadTooLargeError(`request body is ${body.byteLength} bytes; the limit is ${limit}`);
  return body;
}
