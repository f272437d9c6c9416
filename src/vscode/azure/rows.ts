// How Azure resources read in the tree: labels, descriptions, tooltips, icons. Plain functions of plain data.
import type { AssetVersion, Compute, Datastore, Job, RunSummary } from '../../core/azure/resources/types';
import type { ItemView } from '../tree/framework/node';

/** Status → codicon and colour, as Azure ML studio colours them. */
export function statusIcon(status: string | undefined): { icon: string; iconColor?: string } {
  switch ((status ?? '').toLowerCase()) {
    case 'completed':
    case 'finished':
    case 'succeeded':
      return { icon: 'pass', iconColor: 'testing.iconPassed' };
    case 'failed':
      return { icon: 'error', iconColor: 'testing.iconFailed' };
    case 'canceled':
    case 'cancelled':
    case 'cancelrequested':
      return { icon: 'circle-slash' };
    case 'running':
    case 'finalizing':
    case 'provisioning':
      return { icon: 'sync~spin', iconColor: 'charts.blue' };
    case 'notstarted':
    case 'queued':
    case 'preparing':
    case 'starting':
      return { icon: 'clock' };
    default:
      return { icon: 'circle-outline' };
  }
}

const seconds = (s: number | undefined) => (s === undefined ? undefined : s % 60 === 0 && s >= 60 ? `${s / 60} min` : `${s} s`);

export function computeRow(c: Compute): Omit<ItemView, 'collapsible'> {
  const failed = c.errors.length ? `\nErrors:\n${c.errors.join('\n')}` : '';
  if (c.kind === 'cluster') {
    const nodes = `${c.currentNodes ?? 0}/${c.minNodes ?? 0}–${c.maxNodes ?? '?'} nodes`;
    const state = c.provisioningState === 'Succeeded' ? c.allocationState : c.provisioningState;
    return {
      label: c.name,
      description: [state, nodes, c.vmSize].filter(Boolean).join(' · '),
      tooltip:
        [
          `Cluster ${c.name}`,
          `Provisioning: ${c.provisioningState ?? 'unknown'}`,
          `Allocation: ${c.allocationState ?? 'unknown'}`,
          `Nodes: ${c.currentNodes ?? 0} current, ${c.targetNodes ?? 0} target, min ${c.minNodes ?? 0}, max ${c.maxNodes ?? '?'}`,
          `VM size: ${c.vmSize ?? 'unknown'}${c.vmPriority ? ` (${c.vmPriority})` : ''}`,
          `Idle before scale-down: ${seconds(c.idleSecondsBeforeScaleDown) ?? 'unknown'}`,
        ].join('\n') + failed,
      icon: c.errors.length || c.provisioningState === 'Failed' ? 'warning' : 'server-environment',
      iconColor: c.errors.length || c.provisioningState === 'Failed' ? 'list.warningForeground' : undefined,
      contextValue: `azureCompute.cluster.${c.provisioningState ?? 'Unknown'}`,
    };
  }
  if (c.kind === 'instance') {
    return {
      label: c.name,
      description: ['instance', c.state ?? c.provisioningState, c.vmSize].filter(Boolean).join(' · '),
      tooltip: `Compute instance ${c.name}\nState: ${c.state ?? 'unknown'}\nProvisioning: ${c.provisioningState ?? 'unknown'}\nVM size: ${c.vmSize ?? 'unknown'}${failed}`,
      icon: 'vm',
      contextValue: 'azureCompute.instance',
    };
  }
  return {
    label: c.name,
    description: c.computeType,
    tooltip: `${c.computeType} ${c.name}\nProvisioning: ${c.provisioningState ?? 'unknown'}${failed}`,
    icon: 'server',
    contextValue: 'azureCompute.other',
  };
}

export function datastoreRow(d: Datastore): Omit<ItemView, 'collapsible'> {
  return {
    label: d.name,
    description: [d.isDefault && 'default', d.type, d.containerName].filter(Boolean).join(' · '),
    tooltip: [
      `Datastore ${d.name}${d.isDefault ? ' (workspace default)' : ''}`,
      `Type: ${d.type}`,
      d.accountName && `Account: ${d.accountName}`,
      d.containerName && `Container: ${d.containerName}`,
      d.credentialsType && `Credential: ${d.credentialsType}`,
    ]
      .filter(Boolean)
      .join('\n'),
    icon: d.isDefault ? 'star-full' : 'database',
    contextValue: d.isDefault ? 'azureDatastore.default' : 'azureDatastore',
  };
}

export function assetVersionRow(v: AssetVersion): Omit<ItemView, 'collapsible'> {
  return {
    label: v.version,
    description: [v.type, v.path].filter(Boolean).join(' · '),
    tooltip: [
      `${v.name}:${v.version}`,
      v.type && `Type: ${v.type}`,
      v.path && `${v.kind === 'environments' ? 'Image' : 'Path'}: ${v.path}`,
      v.description,
      v.createdAt && `Created ${v.createdAt}`,
    ]
      .filter(Boolean)
      .join('\n'),
    icon: 'versions',
    contextValue: `azureAssetVersion.${v.kind}`,
  };
}

export function jobRow(j: Job): Omit<ItemView, 'collapsible'> {
  return {
    label: j.displayName || j.name,
    description: [j.status, j.jobType, j.createdAt?.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')].filter(Boolean).join(' · '),
    tooltip: [
      `Job ${j.name}`,
      `Status: ${j.status}`,
      `Type: ${j.jobType}`,
      j.experimentName && `Experiment: ${j.experimentName}`,
      j.computeId && `Compute: ${j.computeId.split('/').pop()}`,
      j.createdAt && `Created ${j.createdAt}`,
    ]
      .filter(Boolean)
      .join('\n'),
    ...statusIcon(j.status),
    contextValue: `azureJob.${j.jobType.toLowerCase()}`,
  };
}

export function stepRow(r: RunSummary): Omit<ItemView, 'collapsible'> {
  return {
    label: r.displayName || r.runId,
    description: [r.status, r.runType].filter(Boolean).join(' · '),
    tooltip: [
      `Step ${r.runId}`,
      `Status: ${r.status}`,
      r.startTimeUtc && `Started ${r.startTimeUtc}`,
      r.endTimeUtc && `Ended ${r.endTimeUtc}`,
      r.error && `Error: ${r.error}`,
    ]
      .filter(Boolean)
      .join('\n'),
    ...statusIcon(r.status),
    contextValue: 'azureJobStep',
  };
}
