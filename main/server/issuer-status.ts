/** Whether the bundled server can verify tokens with its issuer, as plain data (no imports). */
export type IssuerStatus =
  | { state: 'checking'; issuer: string }
  | { state: 'ready'; issuer: string; since: string; discovery: string }
  | {
      state: 'unavailable';
      issuer: string;
      /** What went wrong, in words that name the issuer's URL and the failure. */
      problem: string;
      since: string;
      /** When the server asks again by itself (a request also makes it ask, at most once a second). */
      nextCheckAt: string;
    };
