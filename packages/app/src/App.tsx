import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import onePasswordPlugin from '@secret-sync/backstage-plugin-onepassword/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Feature discovery (`app.packages: all`) finds every plugin in package.json;
// the ones listed here are also named so the app keeps them (and its tests
// see them) whatever the discovery settings. The plugin brings the
// scaffolder's vault picker field with it. Notifications give the bell in the
// sidebar; signals let it and the Secrets tab update without a reload.
export default createApp({
  features: [
    catalogPlugin,
    notificationsPlugin,
    signalsPlugin,
    onePasswordPlugin,
    navModule,
    signInModule,
  ],
});
