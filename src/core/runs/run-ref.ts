/** Moved to src/shared/run-ref.ts (browser-safe, shared with the run panel's page); kept for existing imports. */
export * from '../../shared/run-ref';
