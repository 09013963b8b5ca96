import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import onePasswordPlugin from '@secret-sync/backstage-plugin-onepassword/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Feature discovery (`app.packages: all`) finds every plugin in package.json;
// the ones listed here are also named so the app keeps them (and its tests
// see them) whatever the discovery settings. The plugin brings the
// scaffolder's vault picker field with it.
export default createApp({
  features: [catalogPlugin, onePasswordPlugin, navModule, signInModule],
});
