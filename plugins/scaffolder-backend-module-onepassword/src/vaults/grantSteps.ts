/*
 * Copyright 2026 The Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * What is still needed after a vault is created: Connect cannot grant itself
 * access, and a Connect token only sees the vaults it was issued for.
 */
export function connectGrantSteps(options: {
  server: string;
  vaultId: string;
  vaultTitle: string;
}): string[] {
  const { server, vaultId, vaultTitle } = options;
  return [
    `Grant the Connect server that Backstage calls '${server}' access to vault '${vaultTitle}': op connect vault grant --server <connect server> --vault ${vaultId}`,
    `Issue a Connect token that includes the vault with write access for Backstage (op connect token create backstage --server <connect server> --vault ${vaultId},r,w) and put it in onepassword.connect.servers for '${server}'`,
    `For every cluster whose 1Password operator should sync from the vault, issue a read token that includes it (op connect token create <cluster> --server <connect server> --vault ${vaultId},r), update the operator's token Secret and restart the operator (kubectl rollout restart deployment/onepassword-connect-operator): it reads its token only at start`,
    `Run these as someone with full access to vault '${vaultTitle}': op connect server create and op connect vault grant fail with 401 or exit code 6 when the person running them lacks it`,
  ];
}
