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

import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueServerCertificate, loadOrCreateCa, serialNumber } from './tls';

describe('sandbox CA', () => {
  let dir: string;

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'sandbox-ca-')), 'nested');
  });

  afterEach(() => {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('is created once in its directory and reused', () => {
    const first = loadOrCreateCa(dir);
    expect(existsSync(join(dir, 'ca.pem'))).toBe(true);
    expect(existsSync(join(dir, 'ca-key.pem'))).toBe(true);
    expect(loadOrCreateCa(dir)).toEqual(first);
    expect(new X509Certificate(first.certPem).ca).toBe(true);
  });

  it('issues server certificates for 127.0.0.1 and localhost that chain to it', () => {
    const ca = loadOrCreateCa(dir);
    const server = new X509Certificate(
      issueServerCertificate(ca, 'sandbox-test').certPem,
    );
    const authority = new X509Certificate(ca.certPem);
    expect(server.checkIssued(authority)).toBe(true);
    expect(server.verify(authority.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.ca).toBe(false);
  });

  it('writes serial numbers OpenSSL accepts, whatever the random bytes', () => {
    const ca = loadOrCreateCa(dir);
    for (let i = 0; i < 100; i++) {
      expect(serialNumber()).toMatch(/^(0[1-9a-f]|[1-7][0-9a-f])[0-9a-f]{30}$/);
      const server = issueServerCertificate(ca, `server-${i}`);
      // What an HTTPS server does with them.
      expect(() =>
        createSecureContext({ cert: server.certPem, key: server.keyPem }),
      ).not.toThrow();
    }
  });
});
