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

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  entityNamingContext,
  NamingRule,
  NamingRules,
  readNamingRules,
} from '@secret-sync/backstage-plugin-onepassword-common';

/**
 * `onepassword.naming` as the actions enforce it: a new vault or
 * OnePasswordItem whose name breaks a rule is refused with the name the rule
 * would accept, before anything is created. The same rules (and the same
 * compiled checks, from -common) the backend's audit lists violations of.
 */
export class NamingConventions {
  static fromConfig(
    config: Config,
    options: { catalog?: CatalogService } = {},
  ): NamingConventions {
    return new NamingConventions(readNamingRules(config), options.catalog);
  }

  constructor(
    private readonly rules: NamingRules,
    private readonly catalog?: CatalogService,
  ) {}

  /** Throws an InputError naming the expected title when the vault rule refuses it for the entity. */
  async assertVaultTitle(
    title: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const rule = this.rules.vault;
    if (!rule) return;
    if (!this.catalog) {
      throw new Error(
        'onepassword.naming.vaults is set but the scaffolder module has no catalog client',
      );
    }
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity '${entityRef}' in the catalog: onepassword.naming.vaults takes the vault title from it`,
      );
    }
    refuse(rule, title, entityNamingContext(entity), 'vault title');
  }

  /** Throws an InputError naming the expected name when the OnePasswordItem rule refuses it for the item title. */
  assertOnePasswordItemName(name: string, itemTitle: string | undefined): void {
    const rule = this.rules.onePasswordItem;
    if (!rule || !itemTitle) return;
    refuse(rule, name, { title: itemTitle }, 'OnePasswordItem name');
  }
}

function refuse(
  rule: NamingRule,
  name: string,
  context: Parameters<NamingRule['check']>[1],
  what: string,
) {
  const result = rule.check(name, context);
  if (result.ok === false) {
    // The rule's message names the expected name (or the pattern).
    throw new InputError(`The ${what} ${result.message}`);
  }
}
