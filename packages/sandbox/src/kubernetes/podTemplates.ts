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
 * The pod template of a scenario Deployment: its container reads Secrets in
 * each of the ways Kubernetes offers, as a team's manifest would.
 */

import { DeploymentSpec, SecretConsumerSpec } from '../scenario/types';

/** `payments-db` + `password` → `PAYMENTS_DB_PASSWORD`. */
function envName(secret: string, key: string): string {
  return `${secret}_${key}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The container and pod spec for a Deployment's Secret consumers. */
export function podSpecFor(spec: DeploymentSpec): Record<string, any> {
  const consumers: SecretConsumerSpec[] = [
    ...(spec.secretRefs ?? []).map(secret => ({
      secret,
      as: 'envFrom' as const,
    })),
    ...(spec.consumes ?? []),
  ];
  const env: any[] = Object.entries(spec.literalEnv ?? {}).map(
    ([name, value]) => ({ name, value }),
  );
  const envFrom: any[] = [];
  const volumes: any[] = [];
  const volumeMounts: any[] = [];
  for (const consumer of consumers) {
    const key = consumer.key ?? 'password';
    const volume = `${consumer.as}-${consumer.secret}`;
    switch (consumer.as) {
      case 'env':
        env.push({
          name: envName(consumer.secret, key),
          valueFrom: { secretKeyRef: { name: consumer.secret, key } },
        });
        break;
      case 'envFrom':
        envFrom.push({ secretRef: { name: consumer.secret } });
        break;
      case 'volume':
        volumes.push({ name: volume, secret: { secretName: consumer.secret } });
        volumeMounts.push({
          name: volume,
          mountPath: `/etc/secrets/${consumer.secret}`,
          readOnly: true,
        });
        break;
      case 'projected':
        volumes.push({
          name: volume,
          projected: { sources: [{ secret: { name: consumer.secret } }] },
        });
        volumeMounts.push({
          name: volume,
          mountPath: `/etc/projected/${consumer.secret}`,
          readOnly: true,
        });
        break;
      case 'subPath':
        volumes.push({ name: volume, secret: { secretName: consumer.secret } });
        volumeMounts.push({
          name: volume,
          mountPath: `/etc/${consumer.secret}/${key}`,
          subPath: key,
          readOnly: true,
        });
        break;
      default:
        throw new Error(`unknown consumer kind ${(consumer as any).as}`);
    }
  }
  const container = {
    name: spec.name,
    image: `registry.example.com/${spec.name}:1.0.0`,
    ...(env.length ? { env } : {}),
    ...(envFrom.length ? { envFrom } : {}),
    ...(volumeMounts.length ? { volumeMounts } : {}),
  };
  return { containers: [container], ...(volumes.length ? { volumes } : {}) };
}
