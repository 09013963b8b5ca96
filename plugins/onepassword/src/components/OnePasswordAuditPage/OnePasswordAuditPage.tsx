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

import { Container, Header } from '@backstage/ui';
import { AuditContent } from './AuditContent';

/** The page title, also the new frontend system's page header. */
export const AUDIT_PAGE_TITLE = '1Password secrets audit';

/**
 * The audit page for apps on the legacy frontend system, which bring no page
 * header of their own. Built on Backstage UI's `Header` and `Container`, the
 * current replacements of core-components' deprecated `Page`, `Header` and
 * `Content`. (The new system's page blueprint renders `AuditContent` under
 * its own header.)
 * @public
 */
export function OnePasswordAuditPage() {
  return (
    <>
      <Header
        title={AUDIT_PAGE_TITLE}
        description="Every Secret the 1Password operator syncs, in every cluster"
      />
      <Container py="4">
        <AuditContent />
      </Container>
    </>
  );
}
