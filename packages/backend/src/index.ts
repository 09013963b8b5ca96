import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: guest sign-in for the demo, see https://backstage.io/docs/auth/guest/provider
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permissions: allow-all for the demo; see the onepassword plugin README for
// an owner-only policy on onepassword.secrets.read
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@secret-sync/backstage-plugin-scaffolder-backend-module-onepassword'),
);

// the onepassword plugin reads clusters through the kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@secret-sync/backstage-plugin-onepassword-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));

backend.start();
