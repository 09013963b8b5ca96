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

export interface Config {
  /**
   * 1Password. `onepassword.connect.servers`,
   * `onepassword.scaffolder.allowedVaults` and `onepassword.naming` are
   * declared by `@secret-sync/backstage-plugin-onepassword-backend` and read
   * here as well, with the same meaning: `onepassword:vault:create` refuses a
   * title `naming.vaults` refuses for the entity, and
   * `onepassword:kubernetes:item:write` a name `naming.onePasswordItems` refuses
   * for the item title.
   */
  onepassword?: {
    /**
     * A 1Password service account, used only to create vaults (Connect
     * cannot). Without it, `onepassword:vault:create` fails and says why.
     */
    serviceAccount?: {
      /**
       * Service account token (`ops_…`); `OP_SERVICE_ACCOUNT_TOKEN` is used
       * when unset. The account must be created with `--can-create-vaults`.
       * @visibility secret
       */
      token?: string;
    };
  };
}
