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

import http from 'node:http';
import { AddressInfo } from 'node:net';

/** How the proxy answers: as the target, or broken in a way the target cannot be. */
type ProxyMode = 'pass' | 'non-json' | 'truncated';

/**
 * An HTTP proxy in front of a sandbox Connect server that can break its
 * answers the way a load balancer or a crashing server does: an HTML error
 * page with status 200, or a JSON body cut off mid-way. The sandbox itself
 * answers well-formed JSON only, as real Connect does.
 */
export class FaultProxy {
  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target));
    await proxy.listen();
    return proxy;
  }

  mode: ProxyMode = 'pass';
  /** Requests received, to show that a failing server is not retried without bound. */
  requests = 0;
  private readonly server: http.Server;
  private port = 0;

  private constructor(private readonly target: URL) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async listen() {
    await new Promise<void>(resolve =>
      this.server.listen(this.port, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening: clients get ECONNREFUSED until {@link FaultProxy.resume}. */
  async pause(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  async resume(): Promise<void> {
    await this.listen();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    this.requests++;
    if (this.mode === 'non-json') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      answer => {
        const chunks: Buffer[] = [];
        answer.on('data', chunk => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers = { ...answer.headers };
          if (this.mode === 'truncated' && body.length > 1) {
            // The declared length is kept: the client sees a body cut short.
            delete headers['transfer-encoding'];
            headers['content-length'] = String(body.length);
            res.writeHead(answer.statusCode ?? 502, headers);
            res.write(body.subarray(0, Math.floor(body.length / 2)));
            res.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async stop(): Promise<void> {
    if (this.server.listening) await this.pause();
  }
}
