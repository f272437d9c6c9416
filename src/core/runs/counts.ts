/** Moved to src/shared/counts.ts (browser-safe, shared with the run panel's page); kept for existing imports. */
export * from '../../shared/counts';
