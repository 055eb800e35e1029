export declare const DEFAULT_WAIT_SECONDS: number;
/** Milliseconds from `nowMs` until the latest of the comma-separated creation times plus `windowMs`; 0 when past. */
export declare function remainingWaitMs(createdOn: string | undefined, nowMs: number, windowMs: number): number;
/** The wait window in ms from ROLE_ASSIGNMENT_WAIT_SECONDS (unset: the default). */
export declare function waitWindowMs(value: string | undefined): number;
/** Waits as needed; resolves with the ms waited. Never rejects for bad input. */
export declare function main(env?: Record<string, string | undefined>, sleep?: (ms: number) => Promise<void>, say?: (line: string) => void): Promise<number>;
