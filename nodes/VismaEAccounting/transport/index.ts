export * from './client';
export * from './filter';
export { toNodeApiError } from './errors';
export { readFailure } from './failures';
export { configurePacing, resetPacing } from './pacing';
export { withKeys } from './locks';
export { mapPool } from './pool';
