/** Moved to src/shared/protocol.ts (browser-safe, shared with the page); kept for existing imports. */
export * from '../../shared/protocol';
