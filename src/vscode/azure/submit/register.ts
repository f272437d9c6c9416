/**
 * "Submit to Azure ML…" (palette, CodeLens), "Submit a Job Here…" (a cluster in the Azure ML view) and
 * "Submit Again" (a job in the view, or the run panel of a cloud job), registered at activation as thin
 * shells: the flow and the panels live in the lazy half. Jobs followed before a reload are followed again.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { registerCommandTable } from '../../commands/register';
import { lazy } from '../../load';
import { chooseSpec, loadJob, targetUri } from '../../run/target';
import { commandOptionsOf } from '../../run/command-options';
import { SUBMIT_COMMANDS } from './ids';
import { FOLLOWED_KEY, followedJobOf, type FollowedJob, type SubmitHost } from './host';

type CloudJobs = InstanceType<Awaited<ReturnType<typeof lazy>>['CloudJobs']>;

/** What the Azure view lends: the host, and how to read a tree row a command was run on. */
export interface SubmitViewSide {
  host(): SubmitHost;
  computeOfRow(node: unknown): { ws: FollowedJob['ws']; compute: string; tenantId?: string } | undefined;
  jobOfRow(node: unknown): { ws: FollowedJob['ws']; job: { name: string; computeId?: string }; tenantId?: string } | undefined;
}

let side: SubmitViewSide | undefined;
let jobs: Promise<CloudJobs> | undefined;
/** The jobs this window follows, once made (nothing is followed before). */
let followed: CloudJobs | undefined;

/** True while this window follows the job (its row changes with the follow: the tree's own polling skips it). */
export function isFollowedHere(ws: FollowedJob['ws'], name: string): boolean {
  return followed?.isFollowing({ ws, name }) ?? false;
}

function cloudJobs(ctx: Ctx): Promise<CloudJobs> {
  if (!side) return Promise.reject(new Error('The Azure ML view is not registered.'));
  const s = side;
  return (jobs ??= lazy().then((l) => {
    const made = new l.CloudJobs(s.host());
    followed = made;
    ctx.extension.subscriptions.push(made);
    return made;
  }));
}

/** The spec and node a submit command is about: the CodeLens's, the editor's, or one the user picks. */
async function specAndNode(ctx: Ctx, uri: unknown, options: unknown): Promise<{ specFile: string; nodeName: string } | undefined> {
  const choice = await chooseSpec(targetUri(uri), commandOptionsOf(options).node, ctx.log);
  if (!choice) return undefined;
  const job = await loadJob(choice, ctx.log);
  return job && { specFile: job.specFile, nodeName: job.nodeName };
}

export function registerSubmit(ctx: Ctx, viewSide: SubmitViewSide): void {
  side = viewSide;
  const submit = async (request: Parameters<Awaited<ReturnType<typeof lazy>>['submitToAzure']>[2]) => {
    const l = await lazy();
    return l.submitToAzure(viewSide.host(), await cloudJobs(ctx), request);
  };
  ctx.extension.subscriptions.push(
    // Submitting uploads the workspace's code: the table asks for a trusted workspace.
    registerCommandTable(ctx.log, SUBMIT_COMMANDS, {
      submit: async (uri?: unknown, options?: unknown) => {
        const target = await specAndNode(ctx, uri, options);
        return target && submit(target);
      },
      submitToCompute: async (row?: unknown) => {
        const at = viewSide.computeOfRow(row);
        const target = await specAndNode(ctx, undefined, undefined);
        return target && submit({ ...target, compute: at?.compute, ws: at?.ws, tenantId: at?.tenantId });
      },
      submitAgain: async (arg?: unknown) => {
        const again = await followedOf(ctx, viewSide, arg);
        if (again) return submit({ specFile: again.specFile, nodeName: again.nodeName, again });
        // A job this VS Code did not submit: its spec is unknown, so the user names it (same workspace and compute).
        const row = viewSide.jobOfRow(arg);
        const target = await specAndNode(ctx, undefined, undefined);
        return target && submit({ ...target, ws: row?.ws, tenantId: row?.tenantId, compute: row?.job.computeId?.split('/').pop() });
      },
      // The run panel's Cancel does the same for the job it shows.
      cancelJob: async (arg?: unknown) => {
        const row = viewSide.jobOfRow(arg);
        const direct = followedJobOf(arg) ?? (arg as { ws?: FollowedJob['ws']; name?: string } | undefined);
        const target = row
          ? { ws: row.ws, name: row.job.name, tenantId: row.tenantId }
          : direct?.ws && typeof direct.name === 'string'
            ? { ws: direct.ws, name: direct.name, tenantId: (direct as FollowedJob).tenantId }
            : undefined;
        if (!target) throw new Error("Cancel Job needs a job: run it on a job of the Azure ML view, or Cancel in the job's run panel.");
        const j = await cloudJobs(ctx);
        await j.cancel(target);
        // Follow it to its end (its row and panel show CancelRequested, then Canceled).
        const known = await j.known(target);
        if (known) await j.follow(known);
      },
    }),
  );
  // Jobs followed before the window reloaded: followed again, once the window has settled.
  if ((ctx.extension.workspaceState.get<unknown[]>(FOLLOWED_KEY) ?? []).length > 0) {
    const t = setTimeout(() => {
      void cloudJobs(ctx)
        .then((j) => j.reattach())
        .then((n) => ctx.log.info(`Following ${n} Azure ML job(s) again after the reload.`))
        .catch((err) => ctx.log.warn(`Could not follow the Azure ML jobs of before the reload: ${(err as Error)?.message ?? err}`));
    }, 500);
    ctx.extension.subscriptions.push({ dispose: () => clearTimeout(t) });
  }
}

/** The followed job a Submit Again is about: the panel passes it; a tree row is looked up in this window's jobs. */
async function followedOf(ctx: Ctx, viewSide: SubmitViewSide, arg: unknown): Promise<FollowedJob | undefined> {
  const direct = followedJobOf(arg);
  if (direct) return direct;
  const row = viewSide.jobOfRow(arg);
  if (!row) return undefined;
  const j = await cloudJobs(ctx);
  return j.known({ ws: row.ws, name: row.job.name });
}

/**
 * A job resubmitted from `source` with other data or parameters (Resubmit with…): followed in its own run panel
 * like a submitted one, when this window knows the source's spec. False: it does not (submitted elsewhere).
 */
export async function followResubmitted(
  ctx: Ctx,
  source: Pick<FollowedJob, 'ws' | 'name' | 'tenantId'>,
  job: { name: string; studioUrl: string },
): Promise<boolean> {
  if (!side) return false;
  const j = await cloudJobs(ctx);
  const known = await j.known(source);
  if (!known) return false;
  const { estimate: _measuredForTheSource, ...rest } = known;
  await j.follow(
    {
      ...rest,
      name: job.name,
      studioUrl: job.studioUrl,
      submittedAt: new Date().toISOString(),
      tenantId: source.tenantId ?? known.tenantId,
    },
    { show: true },
  );
  return true;
}

/** A run panel restored after a reload that showed a cloud job: it follows the job again. False: not one. */
export async function restoreCloudPanel(ctx: Ctx, panel: vscode.WebviewPanel, runDir: string): Promise<boolean> {
  if (!side) return false;
  return (await cloudJobs(ctx)).restorePanel(panel, runDir);
}
