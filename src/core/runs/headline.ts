/** Moved to src/shared/headline.ts (browser-safe, shared with the run panel's page); kept for existing imports. */
export * from '../../shared/headline';
