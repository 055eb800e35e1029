/** The part of the Fetch `Headers` the pure modules need, so they never depend on an HTTP library. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The media type of a Content-Type value, lower case, parameters dropped (`text/plain; charset=x` → `text/plain`). */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
