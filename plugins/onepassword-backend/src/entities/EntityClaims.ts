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

import { AuthService } from '@backstage/backend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  type EntityFilterQuery,
} from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@secret-sync/backstage-plugin-onepassword-common';
import {
  EntitySelector,
  entitySelector,
  hasKubernetesAnnotations,
  selects,
} from './entityLinking';

/** Who claims a record: the entity and its owner. */
interface Claim {
  entityRef: string;
  owner: string | null;
}

function ownerOf(entity: Entity): string | null {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return relation.targetRef;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return null;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return null;
  }
}

/**
 * Links records to the catalog entities that select them, with the
 * Kubernetes plugin's annotations. When several entities select a record the
 * first by entity ref claims it, so the answer is stable.
 */
export class EntityClaims {
  private readonly byKubernetesId = new Map<
    string,
    Array<{ selector: EntitySelector; claim: Claim }>
  >();
  private readonly custom: Array<{ selector: EntitySelector; claim: Claim }> =
    [];
  /**
   * Every claim and what it selects, as one string: equal strings claim
   * every record alike.
   */
  readonly fingerprint: string;
  /** The claiming entities' uids and etags, when every one has both. */
  readonly versions: string | null;

  constructor(entities: Entity[]) {
    this.versions = entityVersions(entities);
    const sorted = entities
      .filter(hasKubernetesAnnotations)
      .map(entity => {
        try {
          return {
            selector: entitySelector(entity),
            claim: {
              entityRef: stringifyEntityRef(entity),
              owner: ownerOf(entity),
            },
          };
        } catch {
          return undefined; // An entity with an invalid selector claims nothing.
        }
      })
      .filter((e): e is { selector: EntitySelector; claim: Claim } => !!e)
      .sort((a, b) => a.claim.entityRef.localeCompare(b.claim.entityRef));
    this.fingerprint = this.versions ?? JSON.stringify(sorted);
    for (const entry of sorted) {
      if (entry.selector.kubernetesId !== null) {
        const list = this.byKubernetesId.get(entry.selector.kubernetesId) ?? [];
        list.push(entry);
        this.byKubernetesId.set(entry.selector.kubernetesId, list);
      } else {
        this.custom.push(entry);
      }
    }
  }

  claim(record: {
    namespace: string;
    labels: Record<string, string>;
  }): Claim | null {
    const id = record.labels[KUBERNETES_ID_ANNOTATION];
    const candidates = [
      ...(id !== undefined ? this.byKubernetesId.get(id) ?? [] : []),
      ...this.custom,
    ]
      .filter(c => selects(c.selector, record))
      .sort((a, b) => a.claim.entityRef.localeCompare(b.claim.entityRef));
    return candidates[0]?.claim ?? null;
  }
}

/**
 * The uid and etag of each entity, as one string; null if one lacks either.
 * The catalog gives every entity a new etag whenever it changes, its
 * relations included.
 */
function entityVersions(entities: Entity[]): string | null {
  const versions: string[] = [];
  for (const entity of entities) {
    const { uid, etag } = entity.metadata;
    if (!uid || !etag) return null;
    versions.push(`${uid} ${etag}`);
  }
  return versions.sort().join('\n');
}

const CLAIMING_ENTITIES: EntityFilterQuery = [
  {
    [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: CATALOG_FILTER_EXISTS,
  },
  {
    [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  },
];

/**
 * Reads the entities that link themselves to Kubernetes, with the plugin's
 * own credentials. Given the claims of an earlier read, it first asks only
 * for the entities' uids and etags, and keeps those claims when none of
 * them changed.
 */
export async function loadEntityClaims(
  catalog: CatalogService,
  auth: AuthService,
  earlier?: EntityClaims,
): Promise<EntityClaims> {
  const credentials = await auth.getOwnServiceCredentials();
  if (earlier?.versions) {
    const { items } = await catalog.getEntities(
      {
        filter: CLAIMING_ENTITIES,
        fields: ['metadata.uid', 'metadata.etag'],
      },
      { credentials },
    );
    if (entityVersions(items) === earlier.versions) return earlier;
  }
  const { items } = await catalog.getEntities(
    {
      filter: CLAIMING_ENTITIES,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.uid',
        'metadata.etag',
        'metadata.annotations',
        'spec.owner',
        'relations',
      ],
    },
    { credentials },
  );
  return new EntityClaims(items);
}
