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

import {
  isOnePasswordId,
  ItemLookup,
  ItemSummary,
  parseItemPath,
} from '@secret-sync/backstage-plugin-onepassword-common';
import type { ServerView, VaultView } from '../connect/ConnectSnapshotService';

function oldestFirst(a: ItemSummary, b: ItemSummary) {
  return (a.createdAt ?? '').localeCompare(b.createdAt ?? '');
}

// Indexed once per server view: resolving 20,000 paths against 100 vaults
// must not lower-case and sort the vault list each time.
const vaultIndexes = new WeakMap<ServerView, Map<string, VaultView>>();

/**
 * The operator's `getVaultID`: titles first, case-insensitively, the oldest
 * `createdAt` among equal titles; then the reference as an id.
 */
function findVault(view: ServerView, ref: string): VaultView | undefined {
  let byTitle = vaultIndexes.get(view);
  if (!byTitle) {
    byTitle = new Map();
    for (const vault of view.vaults) {
      const title = vault.name.toLocaleLowerCase('en-US');
      const held = byTitle.get(title);
      // Strictly older only: among equal times the first listed, as a stable sort keeps it.
      if (!held || (vault.createdAt ?? '') < (held.createdAt ?? '')) {
        byTitle.set(title, vault);
      }
    }
    vaultIndexes.set(view, byTitle);
  }
  return (
    byTitle.get(ref.toLocaleLowerCase('en-US')) ??
    view.vaults.find(v => v.id === ref)
  );
}

interface ItemIndex {
  byId: Map<string, ItemSummary>;
  /** The oldest item of each title, as the operator picks among duplicates. */
  byTitle: Map<string, ItemSummary>;
}

// Indexed once per vault and refresh: resolving 20,000 paths against vaults
// of thousands of items must not scan them each time.
const itemIndexes = new WeakMap<VaultView, ItemIndex>();

function indexOf(vault: VaultView): ItemIndex {
  let index = itemIndexes.get(vault);
  if (!index) {
    index = { byId: new Map(), byTitle: new Map() };
    for (const item of [...vault.items].sort(oldestFirst)) {
      index.byId.set(item.id, item);
      if (!index.byTitle.has(item.title)) index.byTitle.set(item.title, item);
    }
    itemIndexes.set(vault, index);
  }
  return index;
}

function findItem(vault: VaultView, ref: string): ItemSummary | undefined {
  const index = indexOf(vault);
  return (
    (isOnePasswordId(ref) ? index.byId.get(ref) : undefined) ??
    index.byTitle.get(ref)
  );
}

/**
 * The vault id to ask Connect about directly when the token does not list the
 * vault: the id the operator wrote on the Secret, else the declared vault if
 * it is an id. A vault named only by title cannot be asked about.
 */
export function vaultToProbe(
  declaredPath: string,
  secretItemPath: string | null,
): string | undefined {
  const declared = parseItemPath(declaredPath);
  const written = secretItemPath ? parseItemPath(secretItemPath) : undefined;
  if (written && isOnePasswordId(written.vault)) return written.vault;
  if (declared && isOnePasswordId(declared.vault)) return declared.vault;
  return undefined;
}

/**
 * Resolves an item path against what Connect showed Backstage's token, the
 * way the operator resolves it (vault by id or case-insensitive title, item by
 * id or title, the oldest of duplicate titles).
 */
export function resolveItem(
  view: ServerView | undefined,
  declaredPath: string,
  secretItemPath: string | null,
  lastSuccessAt: string | null,
): ItemLookup {
  return resolveItemInVault(view, declaredPath, secretItemPath, lastSuccessAt)
    .lookup;
}

/**
 * {@link resolveItem}, with the listed vault whose items the answer came
 * from (null when it came from the server or its vault list alone): the
 * answer changes only with that vault's content or the server's vault list.
 */
export function resolveItemInVault(
  view: ServerView | undefined,
  declaredPath: string,
  secretItemPath: string | null,
  lastSuccessAt: string | null,
): { lookup: ItemLookup; vaultId: string | null } {
  const fromServer = (lookup: ItemLookup) => ({ lookup, vaultId: null });
  if (!view) {
    return fromServer({
      kind: 'unavailable',
      message: 'the server is not configured',
      since: null,
    });
  }
  if (view.state === 'unavailable') {
    return fromServer({
      kind: 'unavailable',
      message: view.error ?? 'no answer',
      since: lastSuccessAt,
    });
  }
  if (view.state === 'unauthorized') {
    return fromServer({
      kind: 'access-denied',
      status: view.status ?? 401,
      message: view.error ?? undefined,
      scope: 'server',
    });
  }
  const parsed = parseItemPath(declaredPath);
  if (!parsed) return fromServer({ kind: 'not-found', what: 'vault' });
  const written = secretItemPath ? parseItemPath(secretItemPath) : undefined;
  const vault =
    findVault(view, parsed.vault) ??
    (written ? view.vaults.find(v => v.id === written.vault) : undefined);
  if (vault) {
    const inVault = (lookup: ItemLookup) => ({ lookup, vaultId: vault.id });
    const failure = view.vaultFailures.get(vault.id);
    if (failure && (failure.status === 401 || failure.status === 403)) {
      return inVault({
        kind: 'access-denied',
        status: failure.status,
        message: failure.message,
        scope: 'vault',
      });
    }
    if (failure) {
      return inVault({
        kind: 'unavailable',
        message: failure.message,
        since: lastSuccessAt,
        scope: 'vault',
        status: failure.status,
      });
    }
    const item = findItem(vault, parsed.item);
    return inVault(
      item
        ? { kind: 'found', vaultName: vault.name, item }
        : { kind: 'not-found', what: 'item', vaultName: vault.name },
    );
  }
  const probeId = vaultToProbe(declaredPath, secretItemPath);
  if (probeId && view.probes.get(probeId) === 'denied') {
    return fromServer({ kind: 'access-denied', status: 403, scope: 'vault' });
  }
  return fromServer({ kind: 'not-found', what: 'vault' });
}
