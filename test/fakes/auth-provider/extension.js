// Test-only authentication provider for `microsoft` and `microsoft-sovereign-cloud` (test/integration's Azure
// scenario installs it into code-server). Once signed in it answers any scopes silently, as MSAL does; a
// `VSCODE_TENANT:<id>` scope picks the tenant; tokens are unsigned JWTs the fake ARM accepts. A tenant asked
// for explicitly through createSession (the "Sign in to this tenant" flow) gets tokens with the MFA claim. Being
// signed in outlives a window reload (kept in the extension's global state), as VS Code's Microsoft sign-in does.
'use strict';
const vscode = require('vscode');

const HOME_TENANT = process.env.FAKE_AUTH_HOME_TENANT || '72f988bf-0000-4000-8000-00000000fake';
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

function jwt(aud, tenantId, mfa) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud,
    iss: `https://sts.windows.net/${tenantId}/`,
    tid: tenantId,
    oid: 'fake-user',
    name: 'Local Test User',
    upn: 'user@local.test',
    iat: now,
    nbf: now,
    exp: now + 3600,
    amr: mfa ? ['pwd', 'mfa'] : ['pwd'],
  };
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

class FakeProvider {
  constructor(id, state) {
    this.id = id;
    this.state = state;
    this.signedIn = state.get(`${id}.signedIn`, false);
    this.mfaTenants = new Set();
    this.changed = new vscode.EventEmitter();
    this.onDidChangeSessions = this.changed.event;
  }
  session(scopes) {
    const tenant = (scopes.find((s) => s.startsWith('VSCODE_TENANT:')) || '').slice('VSCODE_TENANT:'.length) || HOME_TENANT;
    const resource = scopes.find((s) => !s.startsWith('VSCODE_')) || 'https://management.azure.com/.default';
    const aud = resource.replace(/\/\.default$/, '').replace(/\/$/, '');
    return {
      id: `${this.id}:${tenant}:${aud}`,
      accessToken: jwt(aud, tenant, this.mfaTenants.has(tenant)),
      account: { id: 'fake-user', label: 'user@local.test' },
      scopes,
    };
  }
  async getSessions(scopes) {
    return this.signedIn ? [this.session(scopes || [])] : [];
  }
  async createSession(scopes) {
    const tenant = scopes.find((s) => s.startsWith('VSCODE_TENANT:'));
    if (tenant && this.signedIn) this.mfaTenants.add(tenant.slice('VSCODE_TENANT:'.length));
    this.signedIn = true;
    await this.state.update(`${this.id}.signedIn`, true);
    const s = this.session(scopes);
    this.changed.fire({ added: [s], removed: [], changed: [] });
    return s;
  }
  async removeSession() {
    this.signedIn = false;
    await this.state.update(`${this.id}.signedIn`, false);
    this.mfaTenants.clear();
    this.changed.fire({ added: [], removed: [], changed: [] });
  }
}

exports.activate = (context) => {
  // Tests wait for this file before they make the first sign-in request: VS Code's own Microsoft sign-in registers
  // the same provider ids when a request comes first, and offline it never answers (a spinning Azure ML view).
  const readyFile = process.env.FAKE_AUTH_READY_FILE;
  for (const [id, label] of [
    ['microsoft', 'Microsoft (fake, tests only)'],
    ['microsoft-sovereign-cloud', 'Microsoft Sovereign Cloud (fake, tests only)'],
  ]) {
    try {
      context.subscriptions.push(
        vscode.authentication.registerAuthenticationProvider(id, label, new FakeProvider(id, context.globalState), {
          supportsMultipleAccounts: false,
        }),
      );
    } catch (err) {
      console.error(`fake auth: could not register ${id}: ${err && err.message}`);
    }
  }
  if (readyFile) require('fs').writeFileSync(readyFile, new Date().toISOString());
};
exports.deactivate = () => {};
