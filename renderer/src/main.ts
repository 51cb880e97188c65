/** Renderer entry: Pinia, i18n (locale from settings), the bridge, then the app. */
import './csp'; // first: keeps zod eval-free under the CSP
import { createApp, watch } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { applyLocale, createAppI18n } from './i18n';
import { createBridge } from './bridge';
import { useSettingsStore } from './stores/settings';
import { useEventRouter } from './stores/router';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);

const settings = useSettingsStore(pinia);
const i18n = createAppI18n(settings.locale);
app.use(i18n);
watch(
  () => settings.locale,
  (locale) => applyLocale(i18n, locale),
  { immediate: true },
);

useEventRouter(pinia).connect(createBridge());
app.mount('#app');
