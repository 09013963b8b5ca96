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

import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import { IdentityApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';

/** Remembers the chosen demo user across reloads, until sign-out. */
export const DEMO_PROVIDER_STORAGE_KEY = 'demo:sign-in-provider';

/**
 * The demo's two people, each a proxy sign-in provider of the auth backend
 * (see packages/backend and app-config.yaml): a platform owner, who sees
 * the audit, and a developer of team-payments only, who sees the Secrets of
 * the payments services and gets 403 for everyone else's.
 */
const DEMO_USERS = [
  {
    provider: 'guest',
    title: 'Platform owner',
    description:
      'A member of team-platform (and team-payments): the audit page, refreshes, the health of servers and clusters, every service.',
    action: 'Enter',
  },
  {
    provider: 'payments-developer',
    title: 'Payments developer',
    description:
      'A member of team-payments only: the Secrets of the payments services, 403 for other teams’ services and the audit.',
    action: 'Sign in as a payments developer',
  },
] as const;

function withForgetOnSignOut(identityApi: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identityApi.getProfileInfo(),
    getBackstageIdentity: () => identityApi.getBackstageIdentity(),
    getCredentials: () => identityApi.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(DEMO_PROVIDER_STORAGE_KEY);
      await identityApi.signOut();
    },
  };
}

export function DemoSignInPage(props: SignInPageProps) {
  const [provider, setProvider] = useState(() =>
    localStorage.getItem(DEMO_PROVIDER_STORAGE_KEY),
  );

  if (provider) {
    return (
      <ProxiedSignInPage
        {...props}
        provider={provider}
        onSignInSuccess={identityApi => {
          localStorage.setItem(DEMO_PROVIDER_STORAGE_KEY, provider);
          props.onSignInSuccess(withForgetOnSignOut(identityApi));
        }}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title="1Password Secrets for Backstage"
        subtitle="Sign in to the demo as"
      />
      <Content>
        <Grid container spacing={3}>
          {DEMO_USERS.map(user => (
            <Grid item xs={12} sm={6} md={4} key={user.provider}>
              <InfoCard
                title={user.title}
                actions={
                  <Button
                    color="primary"
                    variant="outlined"
                    onClick={() => setProvider(user.provider)}
                  >
                    {user.action}
                  </Button>
                }
              >
                <Typography variant="body1">{user.description}</Typography>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
