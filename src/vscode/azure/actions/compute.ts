// Compute actions: create an AmlCompute cluster and follow its provisioning, resize it, delete it.
import type { VmSize } from '../../../core/azure/resources/computes';
import type { Compute, ComputeCluster } from '../../../core/azure/resources/types';
import type { WorkspaceTarget } from './target';
import { isCancelled, wholeNumberProblem, type Action, type ActionUi, type PickItem } from './wizard';

export interface ClusterAnswers {
  name: string;
  vmSize: VmSize;
  minNodes: number;
  maxNodes: number;
  idleSeconds: number;
  lowPriority: boolean;
}

/** What an action that follows a long-running operation ends with: the resource, or "stopped following". */
export type Followed<T> = { done: true; value: T } | { done: false };

/** azure-ai-ml's defaults for a new AmlCompute: 0–1 nodes, 120 s idle before scale-down, dedicated. */
const defaults = { minNodes: 0, maxNodes: 1, idleSeconds: 120 };

export function vmSizeItem(v: VmSize): PickItem<VmSize> {
  return {
    label: v.name,
    description: [
      v.vCPUs !== undefined && `${v.vCPUs} cores`,
      v.memoryGB !== undefined && `${v.memoryGB} GB RAM`,
      v.gpus ? `${v.gpus} GPU${v.gpus > 1 ? 's' : ''}` : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    detail: [v.family, v.lowPriorityCapable ? 'low priority available' : 'dedicated only'].filter(Boolean).join(' · '),
    value: v,
  };
}

async function locationOf(t: WorkspaceTarget): Promise<string> {
  if (t.location) return t.location;
  const w = await t.api.getWorkspace(t.ml, t.ws);
  if (!w.location) throw new Error(`Workspace ${t.ws.workspace} names no region: cannot list its VM sizes.`);
  return (t.location = w.location);
}

/** Create compute cluster…: name (checked as typed, then for an existing compute), VM size, nodes, idle time, priority. */
export function createClusterAction(t: WorkspaceTarget): Action<Partial<ClusterAnswers>, Followed<Compute>> {
  const taken = new Set<string>();
  return {
    title: 'Create compute cluster',
    steps: [
      {
        async prompt(c, ui) {
          for (;;) {
            const name = await ui.input({
              title: '',
              prompt: `Name of the new cluster in workspace ${t.ws.workspace} (2–16 letters, digits and hyphens, starting with a letter)`,
              placeHolder: 'cpu-cluster',
              value: c.name,
              validate: (v) =>
                t.api.computeNameProblem(v.trim()) ??
                (taken.has(v.trim().toLowerCase())
                  ? `A compute named "${v.trim()}" already exists in ${t.ws.workspace}: choose another name.`
                  : undefined),
            });
            c.name = name.trim();
            if (!(await computeExists(t, c.name))) return;
            taken.add(c.name.toLowerCase());
          }
        },
      },
      {
        async prompt(c, ui) {
          const sizes = locationOf(t).then(async (loc) => (await t.api.listVmSizes(t.ml, loc)).map(vmSizeItem));
          c.vmSize = await ui.pick(sizes, { title: '', placeHolder: `VM size of each node (region ${t.location ?? 'of the workspace'})` });
        },
      },
      {
        async prompt(c, ui) {
          const v = await ui.input({
            title: '',
            prompt: 'Minimum nodes (0 lets the cluster scale down to nothing when idle, so it costs nothing)',
            value: String(c.minNodes ?? defaults.minNodes),
            validate: (s) => wholeNumberProblem(s, 'Minimum nodes', 0),
          });
          c.minNodes = Number(v);
        },
      },
      {
        async prompt(c, ui) {
          const min = c.minNodes ?? 0;
          const v = await ui.input({
            title: '',
            prompt: `Maximum nodes (at least ${Math.max(1, min)}): a parallel job runs at most this many nodes at once`,
            value: String(c.maxNodes ?? Math.max(defaults.maxNodes, min)),
            validate: (s) => wholeNumberProblem(s, 'Maximum nodes', Math.max(1, min)),
          });
          c.maxNodes = Number(v);
        },
      },
      {
        async prompt(c, ui) {
          const v = await ui.input({
            title: '',
            prompt: 'Seconds a node stays idle before the cluster scales down',
            value: String(c.idleSeconds ?? defaults.idleSeconds),
            validate: (s) => wholeNumberProblem(s, 'Idle seconds', 0),
          });
          c.idleSeconds = Number(v);
        },
      },
      {
        when: (c) => c.vmSize?.lowPriorityCapable !== false,
        async prompt(c, ui) {
          c.lowPriority = await ui.pick(
            [
              { label: 'Dedicated', description: 'nodes are yours until the cluster scales down', value: false },
              { label: 'Low priority', description: 'cheaper; Azure may preempt nodes (PRS retries their mini-batches)', value: true },
            ],
            { title: '', placeHolder: 'Node priority' },
          );
        },
      },
    ],
    async execute(c, ui) {
      const name = c.name!;
      const settings = {
        name,
        vmSize: c.vmSize!.name,
        minNodes: c.minNodes!,
        maxNodes: c.maxNodes!,
        idleSecondsBeforeScaleDown: c.idleSeconds!,
        lowPriority: c.lowPriority === true,
        location: t.location,
      };
      const r = await follow(ui, `Creating compute cluster ${name}`, name, 'created', (onProgress, abortSignal) =>
        t.api.createAmlCluster(t.ml, t.ws, settings, { onProgress, abortSignal, pollIntervalMs: t.pollIntervalMs }).catch((err: Error) => {
          // The SDK's poller ends a failed provisioning with the service's reason only: say what to do too.
          if (/long-running operation has failed/i.test(err.message ?? '')) {
            err.message = `${err.message.replace(/\s*$/, '')} The cluster is left in state Failed: delete it (right-click it → Delete…), fix the cause (quota, VM size, region) and create it again.`;
          }
          throw err;
        }),
      );
      if (r.done)
        void ui.info(
          `Compute cluster ${name} is ready: ${settings.vmSize}, ${settings.minNodes}–${settings.maxNodes} nodes${settings.lowPriority ? ', low priority' : ''}.`,
        );
      return r;
    },
  };
}

async function computeExists(t: WorkspaceTarget, name: string): Promise<boolean> {
  try {
    await t.api.getCompute(t.ml, t.ws, name);
    return true;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return false;
    throw err;
  }
}

/**
 * Runs a long-running operation under a cancellable progress notification that shows each state the service
 * reports. Cancel stops following (the operation goes on in Azure) and says so.
 */
async function follow<T>(
  ui: ActionUi,
  title: string,
  name: string,
  verb: string,
  run: (onProgress: (state: string) => void, signal: AbortSignal) => Promise<T>,
): Promise<Followed<T>> {
  let stopped = false;
  try {
    const value = await ui.progress(title, true, (p, signal) => {
      signal.addEventListener('abort', () => (stopped = true));
      return run((state) => p.report(state), signal);
    });
    return { done: true, value };
  } catch (err) {
    if (stopped && isCancelled(err)) {
      void ui.info(`Stopped following ${name}: it is still being ${verb} in Azure. Refresh the Compute folder to see its state.`);
      return { done: false };
    }
    throw err;
  }
}

/** Resize…: new minimum and maximum node counts. */
export function resizeClusterAction(
  t: WorkspaceTarget,
  cluster: ComputeCluster,
): Action<{ minNodes?: number; maxNodes?: number }, Followed<Compute>> {
  return {
    title: `Resize ${cluster.name}`,
    steps: [
      {
        async prompt(c, ui) {
          const v = await ui.input({
            title: '',
            prompt: `Minimum nodes of ${cluster.name}`,
            value: String(c.minNodes ?? cluster.minNodes ?? 0),
            validate: (s) => wholeNumberProblem(s, 'Minimum nodes', 0),
          });
          c.minNodes = Number(v);
        },
      },
      {
        async prompt(c, ui) {
          const min = c.minNodes ?? 0;
          const v = await ui.input({
            title: '',
            prompt: `Maximum nodes of ${cluster.name} (at least ${Math.max(1, min)})`,
            value: String(c.maxNodes ?? Math.max(cluster.maxNodes ?? 1, min)),
            validate: (s) => wholeNumberProblem(s, 'Maximum nodes', Math.max(1, min)),
          });
          c.maxNodes = Number(v);
        },
      },
    ],
    async execute(c, ui) {
      const r = await follow(ui, `Resizing ${cluster.name}`, cluster.name, 'resized', (onProgress, abortSignal) =>
        t.api.resizeAmlCluster(
          t.ml,
          t.ws,
          cluster.name,
          { minNodes: c.minNodes!, maxNodes: c.maxNodes! },
          { onProgress, abortSignal, pollIntervalMs: t.pollIntervalMs },
        ),
      );
      if (r.done) void ui.info(`${cluster.name} now scales between ${c.minNodes} and ${c.maxNodes} nodes.`);
      return r;
    },
  };
}

/** Delete…: a modal confirmation naming the compute and the workspace, then the delete operation followed. */
export function deleteComputeAction(t: WorkspaceTarget, compute: Pick<Compute, 'name' | 'kind'>): Action<object, Followed<void>> {
  const what = compute.kind === 'cluster' ? 'compute cluster' : compute.kind === 'instance' ? 'compute instance' : 'compute';
  return {
    title: `Delete ${compute.name}`,
    steps: [
      {
        prompt: (_c, ui) =>
          ui.confirm(
            `Delete ${what} "${compute.name}" from workspace ${t.ws.workspace}?`,
            'Its nodes are released and jobs running on it fail. This cannot be undone.',
            'Delete',
          ),
      },
    ],
    async execute(_c, ui) {
      const r = await follow(ui, `Deleting ${compute.name}`, compute.name, 'deleted', (onProgress, abortSignal) =>
        t.api.deleteCompute(t.ml, t.ws, compute.name, { onProgress, abortSignal, pollIntervalMs: t.pollIntervalMs }),
      );
      if (r.done) void ui.info(`Deleted ${what} ${compute.name}.`);
      return r;
    },
  };
}
