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
 * An error the Connect API answers with, as `{ status, message }` (the spec's
 * `ErrorResponse`). Messages follow what real Connect servers say.
 */
export class ConnectApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ConnectApiError';
    this.status = status;
  }

  static invalidToken(): ConnectApiError {
    return new ConnectApiError(401, 'Invalid token signature');
  }

  static revokedToken(): ConnectApiError {
    return new ConnectApiError(401, 'Invalid bearer token');
  }

  static vaultNotInScope(vaultId: string): ConnectApiError {
    return new ConnectApiError(
      403,
      `Authorization: (token does not have access to vault), vault ${vaultId} is not in scope`,
    );
  }

  static noWriteAccess(vaultId: string): ConnectApiError {
    return new ConnectApiError(
      403,
      `Authorization: (token does not have write access to vault), vault ${vaultId} is read-only for this token`,
    );
  }

  static vaultNotFound(vaultId: string): ConnectApiError {
    return new ConnectApiError(404, `vault ${vaultId} not found`);
  }

  static itemNotFound(itemId: string): ConnectApiError {
    return new ConnectApiError(404, `item ${itemId} not found`);
  }

  static fileNotFound(fileId: string): ConnectApiError {
    return new ConnectApiError(404, `file ${fileId} not found`);
  }

  static badRequest(message: string): ConnectApiError {
    return new ConnectApiError(400, message);
  }

  static internal(): ConnectApiError {
    return new ConnectApiError(500, 'Something went wrong');
  }
}
