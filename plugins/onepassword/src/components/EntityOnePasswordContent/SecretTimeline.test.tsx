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
import { SignalApi } from '@backstage/plugin-signals-react';
import { SecretStatusTransition } from '@secret-sync/backstage-plugin-onepassword-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  annotatedEntity,
  entitySecretsResponse,
  minutesAgo,
  mockOnePasswordApi,
  NOW,
  secretRecord,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/render';
import { EntityOnePasswordContent } from './EntityOnePasswordContent';

const DAY_MINUTES = 24 * 60;

function transition(
  fromStatus: SecretStatusTransition['fromStatus'],
  toStatus: SecretStatusTransition['toStatus'],
  at: string,
): SecretStatusTransition {
  return {
    recordKey: 'dev-eu/payments/payments-db',
    cluster: 'dev-eu',
    namespace: 'payments',
    secretName: 'payments-db',
    fromStatus,
    toStatus,
    at,
    itemVersion: 3,
    secretVersion: 3,
    message: null,
  };
}

/** What a signal carries. */
type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** A signals API whose channels a test publishes on. */
function fakeSignals() {
  const listeners = new Map<string, Array<(message: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const list = listeners.get(channel) ?? [];
      list.push(onMessage as (message: JsonObject) => void);
      listeners.set(channel, list);
      return {
        unsubscribe: () =>
          listeners.set(
            channel,
            (listeners.get(channel) ?? []).filter(l => l !== onMessage),
          ),
      };
    },
  };
  const publish = (channel: string, message: JsonObject) =>
    (listeners.get(channel) ?? []).forEach(l => l(message));
  return { api, publish, channels: () => [...listeners.keys()] };
}

describe('the Secrets tab timeline and live updates', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, advanceTimers: true });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows the time in each status over the last 30 days and since when, in the details panel', async () => {
    const api = mockOnePasswordApi();
    const record = secretRecord({
      cluster: 'dev-eu',
      namespace: 'payments',
      secretName: 'payments-db',
      status: 'in-sync',
      statusSince: minutesAgo(3 * DAY_MINUTES),
    });
    api.getEntitySecrets.mockResolvedValue(entitySecretsResponse([record]));
    api.getSecretHistory.mockResolvedValue({
      entityRef: 'component:default/payments-api',
      items: [
        transition('stale', 'in-sync', minutesAgo(3 * DAY_MINUTES)),
        transition('in-sync', 'stale', minutesAgo(6 * DAY_MINUTES)),
      ],
      nextCursor: null,
    });
    await renderForEntity(<EntityOnePasswordContent />, {
      entity: annotatedEntity,
      api,
    });
    const table = await screen.findByRole('grid', { name: 'Synced Secrets' });
    // A closed panel reads no history.
    expect(api.getSecretHistory).not.toHaveBeenCalled();
    await userEvent.click(
      within(table).getByRole('button', { name: 'Details' }),
    );

    const timeline = await within(table).findByTestId('secret-timeline');
    expect(api.getSecretHistory).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'payments-api' },
      expect.objectContaining({ record: 'dev-eu/payments/payments-db' }),
    );
    const totals = within(timeline).getByRole('list', {
      name: 'Time in each status',
    });
    // In words beside the colours: 27 days in-sync, 3 days stale.
    expect(totals).toHaveTextContent(/in-sync\s*27 days \(90%\)/);
    expect(totals).toHaveTextContent(/stale\s*3 days \(10%\)/);
    expect(
      within(timeline).getByRole('img', {
        name: /Status over the last 30 days: in-sync 27 days \(90%\), stale 3 days \(10%\)/,
      }),
    ).toBeInTheDocument();
    expect(within(table).getByText('In this status since')).toBeVisible();
  });

  it('reads the Secrets again when the backend signals a refresh changed them', async () => {
    const api = mockOnePasswordApi();
    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([secretRecord()]),
    );
    const signals = fakeSignals();
    await renderForEntity(<EntityOnePasswordContent />, {
      entity: annotatedEntity,
      api,
      signals: signals.api,
    });
    await screen.findByRole('grid', { name: 'Synced Secrets' });
    const channel = 'onepassword:secrets:component:default/payments-api';
    expect(signals.channels()).toContain(channel);
    const calls = api.getEntitySecrets.mock.calls.length;

    api.getEntitySecrets.mockResolvedValue(
      entitySecretsResponse([secretRecord({ status: 'stale' })]),
    );
    act(() => signals.publish(channel, { refreshedAt: NOW.toISOString() }));
    await waitFor(() =>
      expect(api.getEntitySecrets.mock.calls.length).toBe(calls + 1),
    );
    const table = await screen.findByRole('grid', { name: 'Synced Secrets' });
    await waitFor(() =>
      expect(within(table).getByText('stale')).toBeInTheDocument(),
    );
  });
});
