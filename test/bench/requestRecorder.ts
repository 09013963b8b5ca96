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

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a sandbox server received, as much as is needed to send it again. */
export interface ObservedRequest {
  /** The sandbox server's name (a Connect server or a cluster). */
  target: string;
  method: string;
  /** Path and query. */
  url: string;
  accept: string | undefined;
}

const CHANNEL = 'http.server.request.start';

/**
 * Sees every request that the named sandbox servers receive, from any client
 * in this process, through Node's `http.server.request.start` diagnostics
 * channel: the count does not depend on the plugin's or the sandbox's own
 * bookkeeping.
 */
export class RequestRecorder {
  private requests: ObservedRequest[] = [];
  private readonly onRequest = (message: unknown) => {
    const { request, server } = message as {
      request: IncomingMessage;
      server: Server;
    };
    const target = this.targetsByPort.get(
      (server.address() as AddressInfo | null)?.port ?? -1,
    );
    if (!target) return;
    this.requests.push({
      target,
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      accept: request.headers.accept,
    });
  };

  static start(targets: Array<{ name: string; url: string }>) {
    return new RequestRecorder(
      new Map(targets.map(t => [Number(new URL(t.url).port), t.name])),
    );
  }

  private constructor(private readonly targetsByPort: Map<number, string>) {
    subscribe(CHANNEL, this.onRequest);
  }

  /** The requests seen since the last call, oldest first. */
  take(): ObservedRequest[] {
    const taken = this.requests;
    this.requests = [];
    return taken;
  }

  stop() {
    unsubscribe(CHANNEL, this.onRequest);
  }
}
