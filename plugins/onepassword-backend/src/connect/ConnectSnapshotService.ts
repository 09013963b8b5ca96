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

import type { ItemSummary } from '@secret-sync/backstage-plugin-onepassword-common';
import type {
  CachedVault,
  CachedVaultState,
  SecretSyncStore,
} from '../database/SecretSyncStore';
import { ConnectGateway, ConnectHealth, VaultSummary } from './ConnectGateway';
import { ConnectRequestError } from '@secret-sync/backstage-plugin-onepassword-node';

/** How long a 403/404 answer for an unlisted vault is trusted. */
const PROBE_TTL_MS = 60 * 60 * 1000;

/** A listed vault with its item summaries. @public */
export interface VaultView {
  id: string;
  name: string;
  contentVersion: number | null;
  createdAt?: string | null;
  items: ItemSummary[];
}

/**
 * What one Connect server showed Backstage's token in one refresh.
 * @public
 */
export interface ServerView {
  name: string;
  /** ok; unauthorized (401/403 on the vault list: token revoked); unavailable. */
  state: 'ok' | 'unauthorized' | 'unavailable';
  error: string | null;
  /** The HTTP status of the vault list's failure, when Connect answered. */
  status?: number;
  /**
   * Vaults whose item list failed while the server answered otherwise: a
   * fact about that vault only, with the real status.
   */
  vaultFailures: Map<string, { status: number | null; message: string }>;
  health: ConnectHealth;
  vaults: VaultView[];
  /** Answers of `GET /v1/vaults/{id}` for vaults the token does not list. */
  probes: Map<string, 'denied' | 'absent'>;
}

/**
 * Reads one Connect server per refresh as cheaply as it can: the vault list
 * once, and item summaries only for vaults whose `contentVersion` moved since
 * the cached read. The cache lives in the plugin database, so it survives
 * restarts and is shared by replicas.
 * @public
 */
export class ConnectSnapshotService {
  static create(options: { store: SecretSyncStore }) {
    return new ConnectSnapshotService(options.store);
  }

  private constructor(private readonly store: SecretSyncStore) {}

  /**
   * The item summaries of each server's listed vaults at a content version,
   * as last read: the same at the same version, so they need not be read
   * from the database again (which another replica may have written too).
   */
  private readonly itemsByServer = new Map<
    string,
    Map<string, { contentVersion: number; items: ItemSummary[] }>
  >();
  /** The stored vaults each view was read against, and which of its vaults' items came from them. */
  private readonly readFrom = new WeakMap<
    ServerView,
    { stored: CachedVaultState[]; unchangedItems: Set<string> }
  >();

  async read(name: string, gateway: ConnectGateway): Promise<ServerView> {
    // The three reads are independent: none waits for another.
    const listing = gateway.listVaults().then(
      vaults => ({ vaults }),
      (error: unknown) => ({ error }),
    );
    const [health, cached] = await Promise.all([
      gateway.health(),
      this.store.listVaultStates(name),
    ]);
    const cachedById = new Map(cached.map(v => [v.vaultId, v]));
    const probes = new Map<string, 'denied' | 'absent'>();
    for (const v of cached) {
      if (
        v.access !== 'listed' &&
        Date.now() - Date.parse(v.checkedAt) < PROBE_TTL_MS
      ) {
        probes.set(v.vaultId, v.access);
      }
    }
    try {
      const listedOrError = await listing;
      if ('error' in listedOrError) throw listedOrError.error;
      const listed = listedOrError.vaults;
      const known = this.itemsByServer.get(name) ?? new Map();
      const isFresh = (vault: VaultSummary) => {
        const hit = cachedById.get(vault.id);
        return (
          hit?.access === 'listed' &&
          hit.hasItems &&
          vault.contentVersion !== null &&
          hit.contentVersion === vault.contentVersion
        );
      };
      const stored = await this.store.listVaultItems(
        name,
        listed
          .filter(
            v =>
              isFresh(v) &&
              known.get(v.id)?.contentVersion !== v.contentVersion,
          )
          .map(v => v.id),
      );
      const vaults: VaultView[] = [];
      const vaultFailures: ServerView['vaultFailures'] = new Map();
      const unchangedItems = new Set<string>();
      const current = new Map<
        string,
        { contentVersion: number; items: ItemSummary[] }
      >();
      for (const vault of listed) {
        probes.delete(vault.id);
        const items = isFresh(vault)
          ? stored.get(vault.id) ??
            (known.get(vault.id)?.contentVersion === vault.contentVersion
              ? known.get(vault.id)!.items
              : undefined)
          : undefined;
        if (items) {
          unchangedItems.add(vault.id);
          vaults.push({ ...vault, items });
        } else {
          try {
            vaults.push({ ...vault, items: await gateway.listItems(vault.id) });
          } catch (e) {
            const error = ConnectRequestError.from(e);
            vaultFailures.set(vault.id, {
              status: error.status ?? null,
              message: error.message,
            });
            vaults.push({ ...vault, items: [] });
            continue;
          }
        }
        if (vault.contentVersion !== null) {
          current.set(vault.id, {
            contentVersion: vault.contentVersion,
            items: vaults[vaults.length - 1].items,
          });
        }
      }
      this.itemsByServer.set(name, current);
      const view: ServerView = {
        name,
        state: 'ok',
        error: null,
        health,
        vaults,
        probes,
        vaultFailures,
      };
      this.readFrom.set(view, { stored: cached, unchangedItems });
      return view;
    } catch (e) {
      const error = ConnectRequestError.from(e);
      const unauthorized = error.status === 401 || error.status === 403;
      return {
        name,
        state: unauthorized ? 'unauthorized' : 'unavailable',
        error: error.message,
        status: error.status,
        health,
        vaults: [],
        probes,
        vaultFailures: new Map(),
      };
    }
  }

  /** Asks Connect about vaults the token does not list, and records the answers. */
  async probe(
    view: ServerView,
    gateway: ConnectGateway,
    vaultIds: string[],
  ): Promise<void> {
    for (const id of vaultIds) {
      if (view.probes.has(id) || view.vaults.some(v => v.id === id)) continue;
      try {
        const status = await gateway.probeVault(id);
        if (status === 403) view.probes.set(id, 'denied');
        else if (status === 404) view.probes.set(id, 'absent');
      } catch {
        // An unanswered probe leaves the vault undecided; it is asked again next time.
      }
    }
  }

  /** Remembers what a successful read saw, for the next refresh. */
  async save(view: ServerView, at: string): Promise<void> {
    if (view.state !== 'ok') return;
    const readFrom = this.readFrom.get(view);
    const previous = new Map(
      (readFrom?.stored ?? (await this.store.listVaultStates(view.name))).map(
        v => [v.vaultId, v],
      ),
    );
    const vaults: CachedVault[] = [
      ...view.vaults.map(v => ({
        vaultId: v.id,
        name: v.name,
        access: 'listed' as const,
        contentVersion: v.contentVersion,
        // A failed item list is listed again next time, not trusted as empty.
        items: view.vaultFailures.has(v.id) ? null : v.items,
        checkedAt: at,
      })),
      ...[...view.probes.entries()].map(([vaultId, access]) => ({
        vaultId,
        name: null,
        access,
        contentVersion: null,
        items: null,
        checkedAt:
          previous.get(vaultId)?.access === access
            ? previous.get(vaultId)!.checkedAt
            : at,
      })),
    ];
    await this.store.replaceVaults(view.name, vaults, {
      unchangedItems: readFrom?.unchangedItems,
    });
  }
}
