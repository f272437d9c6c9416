/** Moved to src/shared/panel-state.ts (browser-safe, shared with the page); kept for existing imports. */
export * from '../../shared/panel-state';
