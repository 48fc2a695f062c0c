/** The tenant doctor: checks a tenant's configuration and explains failures in Logto's terms. */
export { runDoctor, doctorFetch, verdictOf } from './run';
export { checkForFailure } from './failure-map';
export { formatReport } from './format';
export type * from './types';
