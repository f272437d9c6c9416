/**
 * What the Azure tree needs from the outside: the Azure layer (dist/azure.js, loaded on first use), where ARM
 * is, and a credential per tenant. Type-only imports: nothing of the SDK loads with this file.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AzureMachineLearningWorkspaces } from '@azure/arm-machinelearning';
import type { ServiceClient } from '@azure/core-client';
import type { ArmEndpoint } from '../../core/azure/client';
import type { RunHistory } from '../../core/azure/resources/run-history';
import type { WorkspaceRef } from '../../core/azure/resources/types';

export type AzureApi = typeof import('../../core/azure');

export interface AzureAccess {
  api(): Promise<AzureApi>;
  endpoint: ArmEndpoint;
  /** True once an account is signed in (asks nothing of the user). */
  signedIn(): Promise<boolean>;
  /** A credential for `tenantId` (undefined: the account's home tenant). */
  credential(tenantId?: string): TokenCredential;
}

/** Clients are built once per subscription/tenant and shared by every node under them. */
export class Clients {
  private readonly ml = new Map<string, AzureMachineLearningWorkspaces>();
  private readonly arm = new Map<string, ServiceClient>();
  private readonly history = new Map<string, RunHistory>();
  constructor(readonly access: AzureAccess) {}

  async mlFor(subscriptionId: string, tenantId: string | undefined): Promise<AzureMachineLearningWorkspaces> {
    const api = await this.access.api();
    const key = `${tenantId ?? ''}/${subscriptionId}`;
    let c = this.ml.get(key);
    if (!c) this.ml.set(key, (c = api.mlClient(this.access.credential(tenantId), subscriptionId, this.access.endpoint)));
    return c;
  }

  /** Run history of a workspace (pipeline steps); one per workspace, so discovery is read once. */
  async runHistory(ws: WorkspaceRef, tenantId: string | undefined, discoveryUrl: string | undefined): Promise<RunHistory> {
    const api = await this.access.api();
    const key = `${ws.subscriptionId}/${ws.resourceGroup}/${ws.workspace}`.toLowerCase();
    let h = this.history.get(key);
    if (!h) this.history.set(key, (h = new api.RunHistory(await this.armFor(tenantId), ws, discoveryUrl)));
    return h;
  }

  async armFor(tenantId: string | undefined): Promise<ServiceClient> {
    const api = await this.access.api();
    const key = tenantId ?? '';
    let c = this.arm.get(key);
    if (!c) this.arm.set(key, (c = api.armClient(this.access.credential(tenantId), this.access.endpoint)));
    return c;
  }
}
