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

import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases the plugin's tests run on: SQLite, and every PostgreSQL the
 * environment names (`BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING`,
 * which ./scripts/test sets). Under `ONEPASSWORD_TEST_REQUIRE_POSTGRES=1`, as
 * in CI, a run without PostgreSQL fails instead of quietly testing SQLite only.
 */
export function createTestDatabases() {
  const databases = TestDatabases.create({
    ids: [
      'POSTGRES_18',
      'POSTGRES_17',
      'POSTGRES_16',
      'POSTGRES_15',
      'POSTGRES_14',
      'POSTGRES_13',
      'SQLITE_3',
    ],
  });
  const supportedIds = databases.eachSupportedId();
  if (
    process.env.ONEPASSWORD_TEST_REQUIRE_POSTGRES === '1' &&
    !supportedIds.some(([id]: [TestDatabaseId]) => id.startsWith('POSTGRES'))
  ) {
    throw new Error(
      'ONEPASSWORD_TEST_REQUIRE_POSTGRES=1 but no PostgreSQL is configured: set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING',
    );
  }
  return { databases, supportedIds };
}
