import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import onepasswordPlugin, {
  onePasswordScaffolderModule,
} from '@secret-sync/backstage-plugin-onepassword/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Feature discovery (`app.packages: all`) finds every plugin in package.json;
// the ones listed here are also named so the app keeps them (and its tests
// see them) whatever the discovery settings. Discovery only takes a package's
// default export, so the scaffolder form field module must be listed.
export default createApp({
  features: [
    catalogPlugin,
    onepasswordPlugin,
    onePasswordScaffolderModule,
    navModule,
    signInModule,
  ],
});
