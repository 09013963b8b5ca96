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

import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';

/** True for a 403 from the backend: the permission policy said no. */
export function isPermissionDenied(error: Error): boolean {
  return (error as Partial<ResponseError>).statusCode === 403;
}

/**
 * A failed read of the snapshot: a permission denial explained as such,
 * anything else with the error's details.
 */
export function SnapshotError(props: { error: Error; deniedMessage: string }) {
  const { error, deniedMessage } = props;
  if (isPermissionDenied(error)) {
    return (
      <WarningPanel
        severity="warning"
        defaultExpanded
        title="Permission denied"
        message={deniedMessage}
      />
    );
  }
  return (
    <ResponseErrorPanel
      title="Could not load the 1Password sync state"
      error={error}
    />
  );
}
