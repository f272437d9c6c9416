/** The options a Run command takes from its caller (a CodeLens, the tree, a test), checked key by key. */
import type { SampleOptions } from '../../core/local/partition/types';

export interface RunCommandOptions {
  sample?: SampleOptions;
  /** Open the run panel (default true). */
  reveal?: boolean;
  /** The parallel node (Run Locally) or the step (Run Step Locally) to run. */
  node?: string;
}

/** Only the keys a caller may set: menus pass other things (a list of selected URIs, editor group ids). */
export function commandOptionsOf(raw: unknown): RunCommandOptions {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const o = raw as Record<string, unknown>;
  return {
    sample: typeof o.sample === 'object' && o.sample !== null ? (o.sample as SampleOptions) : undefined,
    reveal: typeof o.reveal === 'boolean' ? o.reveal : undefined,
    node: typeof o.node === 'string' ? o.node : undefined,
  };
}
