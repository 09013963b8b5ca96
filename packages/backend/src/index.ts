import { createBackend } from '@backstage/backend-defaults';
import { demoSignInModule } from './modules/demoSignIn';
import { onePasswordPolicyModule } from './modules/onePasswordPolicy';
import { safeErrorsRootHttpRouter } from './modules/safeErrorBodies';

const backend = createBackend();

// errors of every plugin's routes answered without stacks, query strings or
// internal messages, see src/modules/safeErrorBodies.ts
backend.add(safeErrorsRootHttpRouter);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: guest sign-in for the demo, see https://backstage.io/docs/auth/guest/provider
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// a second demo user, a developer of team-payments only
backend.add(demoSignInModule);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// 1Password vaults as Resource entities (type 1password-vault), owned and
// related to the services whose Secrets come from them
backend.add(
  import('@secret-sync/backstage-plugin-catalog-backend-module-onepassword'),
);

// permissions: owner-only for 1Password (owners read their entities' Secrets,
// permission.platformGroups the audit), see src/modules/onePasswordPolicy.ts
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(onePasswordPolicyModule);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@secret-sync/backstage-plugin-scaffolder-backend-module-onepassword'),
);

// the onepassword plugin reads clusters through the kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@secret-sync/backstage-plugin-onepassword-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// the bell: the onepassword plugin notifies entity owners through the
// notifications backend; signals push them, and Secrets tab reloads, live
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
