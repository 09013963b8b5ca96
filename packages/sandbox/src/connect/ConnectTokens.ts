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

import { NotFoundError } from '@backstage/errors';
import { timingSafeEqual } from 'node:crypto';
import { ConnectTokenSpec } from '../scenario/types';
import { deterministicId } from './ids';

/** A bearer token the server knows, with its vault scope. @public */
export interface ConnectTokenState {
  readonly name: string;
  /** The `lastEditedBy` / `jti` id Connect reports for this token. */
  readonly id: string;
  readonly vaults: readonly string[] | '*';
  readonly write: boolean;
  readonly revoked: boolean;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The tokens of one Connect server. A token sees the vaults it names (by id
 * or title) or all of them (`'*'`); only tokens with `write` may change items.
 * Revoking keeps the token known but makes the server refuse it, as happens
 * when someone revokes it in 1Password.
 */
export class ConnectTokens {
  private readonly tokens: Array<{ value: string; state: ConnectTokenState }>;

  constructor(specs: ConnectTokenSpec[]) {
    this.tokens = specs.map(spec => ({
      value: spec.token,
      state: {
        name: spec.name,
        id: deterministicId(`token:${spec.name}`),
        vaults: spec.vaults,
        write: spec.write ?? false,
        revoked: spec.revoked ?? false,
      },
    }));
  }

  /** The token a bearer value belongs to, revoked or not. */
  find(bearer: string): ConnectTokenState | undefined {
    return this.tokens.find(token => sameSecret(token.value, bearer))?.state;
  }

  /** Every token's state, without the token values. */
  list(): ConnectTokenState[] {
    return this.tokens.map(token => token.state);
  }

  /** The secret value of a token, for the info file and tests. */
  valueOf(name: string): string {
    return this.entry(name).value;
  }

  revoke(name: string): void {
    this.setRevoked(name, true);
  }

  restore(name: string): void {
    this.setRevoked(name, false);
  }

  /** Changes which vaults a token may see, as `op connect vault grant/revoke` would. */
  setVaults(name: string, vaults: string[] | '*'): void {
    const entry = this.entry(name);
    entry.state = { ...entry.state, vaults };
  }

  private setRevoked(name: string, revoked: boolean): void {
    const entry = this.entry(name);
    entry.state = { ...entry.state, revoked };
  }

  private entry(name: string) {
    const entry = this.tokens.find(token => token.state.name === name);
    if (!entry) {
      throw new NotFoundError(`No Connect token named '${name}'`);
    }
    return entry;
  }
}

/** Whether a token may read a vault. */
export function tokenCanSee(
  token: ConnectTokenState,
  vault: { id: string; name: string },
): boolean {
  return (
    token.vaults === '*' ||
    token.vaults.includes(vault.id) ||
    token.vaults.includes(vault.name)
  );
}
