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
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ONEPASSWORD_CONNECT_SERVER_ANNOTATION,
  ONEPASSWORD_CONNECT_SERVERS_ANNOTATION,
  ONEPASSWORD_VAULT_ENTITY_TYPE,
  ONEPASSWORD_VAULT_ID_ANNOTATION,
  ONEPASSWORD_VAULTS_ANNOTATION,
} from '@secret-sync/backstage-plugin-onepassword-common';
import { createHash } from 'node:crypto';
import type { ListedVault } from '../connect/ConnectVaultReader';

/** The location type of the vault entities: the Connect server they came from. */
export const VAULT_LOCATION_TYPE = 'onepassword-connect';

/**
 * Annotation of a vault claimed by services with different owners: every
 * owner that claims it, so the platform group sees whom to ask.
 */
export const OWNER_CLAIMS_ANNOTATION = '1password.com/owner-claims';

/** A catalog entity's `1password.com/vaults` claim. */
export interface VaultClaim {
  entityRef: string;
  /** The entity's owner as a full ref; null when it has none. */
  owner: string | null;
  /** Vault titles or ids as written in the annotation. */
  vaults: string[];
  /** `1password.com/connect-server`: the claim holds only on this server. */
  server: string | null;
}

/** Which entities have Secrets synced from a vault, by vault id. */
export type VaultUsage = ReadonlyMap<string, readonly string[]>;

/**
 * The entity name of a vault: from its id, which stays when the vault is
 * renamed (the title is `metadata.title`). 1Password ids are 26 lowercase
 * letters and digits; anything else is made a valid name with a hash so two
 * ids never share one.
 */
export function vaultEntityName(vaultId: string): string {
  const prefix = '1password-vault-';
  if (/^[a-z0-9]{1,40}$/.test(vaultId)) return `${prefix}${vaultId}`;
  const hash = createHash('sha256').update(vaultId).digest('hex').slice(0, 8);
  const readable = vaultId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30);
  return `${prefix}${readable ? `${readable}-` : ''}${hash}`;
}

/** The claim an entity makes in its annotations, or null. */
export function claimOf(entity: Entity): VaultClaim | null {
  const annotations = entity.metadata.annotations ?? {};
  const vaults = (annotations[ONEPASSWORD_VAULTS_ANNOTATION] ?? '')
    .split(',')
    .map(v => v.trim())
    .filter(Boolean);
  if (vaults.length === 0) return null;
  const namespace = entity.metadata.namespace ?? 'default';
  const rawOwner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  let owner: string | null = null;
  if (typeof rawOwner === 'string' && rawOwner !== '') {
    try {
      owner = stringifyEntityRef(
        parseEntityRef(rawOwner, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        }),
      );
    } catch {
      owner = null;
    }
  }
  return {
    entityRef: stringifyEntityRef(entity),
    owner,
    vaults,
    server: annotations[ONEPASSWORD_CONNECT_SERVER_ANNOTATION]?.trim() || null,
  };
}

/**
 * Whether a claim names this vault on this server: titles match
 * case-insensitively, as the operator matches them; ids exactly.
 */
function claims(claim: VaultClaim, vault: ListedVault, servers: string[]) {
  if (claim.server !== null && !servers.includes(claim.server)) return false;
  const title = vault.title.toLocaleLowerCase('en-US');
  return claim.vaults.some(
    v => v === vault.id || v.toLocaleLowerCase('en-US') === title,
  );
}

/**
 * The owner of a vault: the one owner of every service that claims it;
 * the platform group when none claims it, or when services of different
 * owners do (a vault several teams share is the platform's to run, and
 * picking one team would be arbitrary).
 */
export function resolveVaultOwner(
  claimOwners: string[],
  defaultOwner: string,
): { owner: string; conflicting: string[] } {
  const owners = [...new Set(claimOwners)].sort();
  if (owners.length === 1) return { owner: owners[0], conflicting: [] };
  return { owner: defaultOwner, conflicting: owners };
}

/**
 * The catalog entities of the vaults the servers serve. A vault served by
 * several servers is one entity (vault ids are unique across 1Password).
 * Pure: the same inputs give the same entities, in the same order, so an
 * unchanged vault is not processed again.
 */
export function buildVaultEntities(input: {
  vaultsByServer: ReadonlyMap<string, readonly ListedVault[]>;
  claims: readonly VaultClaim[];
  usage: VaultUsage;
  defaultOwner: string;
}): Entity[] {
  const byId = new Map<string, { vault: ListedVault; servers: string[] }>();
  for (const [server, vaults] of [...input.vaultsByServer].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    for (const vault of vaults) {
      const seen = byId.get(vault.id);
      if (seen) seen.servers.push(server);
      else byId.set(vault.id, { vault, servers: [server] });
    }
  }
  return [...byId.values()]
    .sort((a, b) => a.vault.id.localeCompare(b.vault.id))
    .map(({ vault, servers }) => {
      const claimOwners = input.claims
        .filter(claim => claims(claim, vault, servers))
        .map(claim => claim.owner)
        .filter((owner): owner is string => owner !== null);
      const { owner, conflicting } = resolveVaultOwner(
        claimOwners,
        input.defaultOwner,
      );
      const location = `${VAULT_LOCATION_TYPE}:${servers[0]}`;
      const dependents = [...new Set(input.usage.get(vault.id) ?? [])].sort();
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: vaultEntityName(vault.id),
          title: vault.title,
          ...(vault.description ? { description: vault.description } : {}),
          annotations: {
            [ANNOTATION_LOCATION]: location,
            [ANNOTATION_ORIGIN_LOCATION]: location,
            [ONEPASSWORD_VAULT_ID_ANNOTATION]: vault.id,
            [ONEPASSWORD_CONNECT_SERVERS_ANNOTATION]: servers.join(','),
            ...(conflicting.length > 1
              ? { [OWNER_CLAIMS_ANNOTATION]: conflicting.join(',') }
              : {}),
          },
        },
        spec: {
          type: ONEPASSWORD_VAULT_ENTITY_TYPE,
          owner,
          // The catalog turns each into `dependencyOf` here and `dependsOn`
          // on the service, both owned by this entity: when the usage
          // changes, the next mutation replaces them, and the services'
          // own definitions stay untouched.
          ...(dependents.length ? { dependencyOf: dependents } : {}),
        },
      };
    });
}

/** Whether a catalog entity is one this provider published. */
export function isPublishedVaultEntity(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return (
    entity.kind === 'Resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      ONEPASSWORD_VAULT_ENTITY_TYPE &&
    Boolean(annotations[ONEPASSWORD_VAULT_ID_ANNOTATION]) &&
    (annotations[ANNOTATION_ORIGIN_LOCATION] ?? '').startsWith(
      `${VAULT_LOCATION_TYPE}:`,
    )
  );
}

/**
 * What the catalog holds from the last good read: each server's vaults and
 * each vault's dependents, to publish again when a source cannot be read.
 */
export function previousState(entities: readonly Entity[]): {
  vaultsByServer: Map<string, ListedVault[]>;
  usage: Map<string, string[]>;
} {
  const vaultsByServer = new Map<string, ListedVault[]>();
  const usage = new Map<string, string[]>();
  for (const entity of entities.filter(isPublishedVaultEntity)) {
    const annotations = entity.metadata.annotations!;
    const vault: ListedVault = {
      id: annotations[ONEPASSWORD_VAULT_ID_ANNOTATION],
      title:
        entity.metadata.title ?? annotations[ONEPASSWORD_VAULT_ID_ANNOTATION],
      description: entity.metadata.description ?? null,
    };
    for (const server of (
      annotations[ONEPASSWORD_CONNECT_SERVERS_ANNOTATION] ?? ''
    )
      .split(',')
      .filter(Boolean)) {
      vaultsByServer.set(server, [
        ...(vaultsByServer.get(server) ?? []),
        vault,
      ]);
    }
    const dependents = (entity.spec as { dependencyOf?: unknown }).dependencyOf;
    if (Array.isArray(dependents)) usage.set(vault.id, dependents.map(String));
  }
  return { vaultsByServer, usage };
}
