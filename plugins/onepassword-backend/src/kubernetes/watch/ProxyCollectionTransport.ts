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

import {
  KubernetesProxyClient,
  METADATA_LIST_ACCEPT,
} from '../KubernetesProxyClient';
import {
  CollectionRequestError,
  CollectionTransport,
  ListPage,
  WatchEvent,
} from './ResourceInformer';

/** The watch counterpart of {@link METADATA_LIST_ACCEPT}. */
const METADATA_WATCH_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

interface RawList {
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items?: unknown[];
}

interface RawWatchLine {
  type?: string;
  object?: {
    kind?: string;
    code?: number;
    message?: string;
    metadata?: { resourceVersion?: string };
  };
}

async function failure(response: Response, what: string) {
  let message = response.statusText;
  try {
    const body = (await response.json()) as { message?: string };
    if (body?.message) message = body.message;
  } catch {
    // The status line says enough.
  }
  return new CollectionRequestError(
    `${what} answered ${response.status}: ${message}`,
    response.status,
  );
}

async function* jsonLines(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line);
      newline = buffered.indexOf('\n');
    }
  }
  const rest = (buffered + decoder.decode()).trim();
  if (rest) yield JSON.parse(rest);
}

/**
 * Lists and watches one collection of one cluster through the Kubernetes
 * plugin's `/proxy`, so the plugin's cluster locators and credentials apply.
 * With `metadataOnly`, every answer must be `PartialObjectMetadata`: an
 * answer with anything more (something on the way dropped the Accept header)
 * is refused rather than held.
 */
export class ProxyCollectionTransport<T> implements CollectionTransport<T> {
  static create<T>(options: {
    client: KubernetesProxyClient;
    cluster: string;
    /** e.g. `/api/v1/secrets` or `/api/v1/namespaces/a/secrets`. */
    path: string;
    /** Extra query parameters, e.g. a fieldSelector. */
    query?: Record<string, string>;
    metadataOnly?: boolean;
    /** Keeps only what the plugin reads of each object, to bound memory. */
    project?: (object: unknown) => T;
  }) {
    return new ProxyCollectionTransport<T>(options);
  }

  private constructor(
    private readonly options: {
      client: KubernetesProxyClient;
      cluster: string;
      path: string;
      query?: Record<string, string>;
      metadataOnly?: boolean;
      project?: (object: unknown) => T;
    },
  ) {}

  private url(params: Record<string, string>) {
    const search = new URLSearchParams({ ...this.options.query, ...params });
    return `${this.options.path}?${search}`;
  }

  private project(object: unknown): T {
    return this.options.project ? this.options.project(object) : (object as T);
  }

  private describe() {
    return `${this.options.cluster} ${this.options.path}`;
  }

  async list(options: {
    limit: number;
    continueToken?: string;
  }): Promise<ListPage<T>> {
    const response = await this.options.client.open(
      this.options.cluster,
      this.url({
        limit: String(options.limit),
        ...(options.continueToken ? { continue: options.continueToken } : {}),
      }),
      {
        accept: this.options.metadataOnly
          ? METADATA_LIST_ACCEPT
          : 'application/json',
        signal: AbortSignal.timeout(60_000),
      },
    );
    if (!response.ok)
      throw await failure(response, `Listing ${this.describe()}`);
    const body = (await response.json()) as RawList;
    if (
      this.options.metadataOnly &&
      body.kind !== 'PartialObjectMetadataList'
    ) {
      throw new CollectionRequestError(
        `Listing ${this.describe()} answered '${
          body.kind
        }' to a metadata-only request; refusing to read it`,
        undefined,
      );
    }
    return {
      items: (body.items ?? []).map(item => this.project(item)),
      resourceVersion: body.metadata?.resourceVersion ?? '',
      continueToken: body.metadata?.continue || null,
    };
  }

  async watch(options: {
    resourceVersion: string;
    timeoutSeconds: number;
    signal: AbortSignal;
  }): Promise<AsyncIterable<WatchEvent<T>>> {
    const response = await this.options.client.open(
      this.options.cluster,
      this.url({
        watch: '1',
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(options.timeoutSeconds),
      }),
      {
        accept: this.options.metadataOnly
          ? METADATA_WATCH_ACCEPT
          : 'application/json',
        signal: options.signal,
      },
    );
    if (!response.ok || !response.body) {
      throw await failure(response, `Watching ${this.describe()}`);
    }
    return this.events(response.body);
  }

  private async *events(
    body: ReadableStream<Uint8Array>,
  ): AsyncGenerator<WatchEvent<T>> {
    for await (const raw of jsonLines(body)) {
      const line = raw as RawWatchLine;
      const object = line.object;
      if (line.type === 'ERROR') {
        yield {
          type: 'ERROR',
          code: object?.code ?? 500,
          message: object?.message ?? 'watch error',
        };
      } else if (line.type === 'BOOKMARK') {
        yield {
          type: 'BOOKMARK',
          resourceVersion: object?.metadata?.resourceVersion ?? '',
        };
      } else if (
        line.type === 'ADDED' ||
        line.type === 'MODIFIED' ||
        line.type === 'DELETED'
      ) {
        if (
          this.options.metadataOnly &&
          object?.kind !== 'PartialObjectMetadata'
        ) {
          throw new CollectionRequestError(
            `Watching ${this.describe()} sent '${
              object?.kind
            }' to a metadata-only request; refusing to read it`,
            undefined,
          );
        }
        yield {
          type: line.type,
          object: this.project(object),
          resourceVersion: object?.metadata?.resourceVersion,
        };
      }
    }
  }
}
