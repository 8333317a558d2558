/**
 * Entry point: start loading the family's language (saved choice, else browser) at once, and define the shell,
 * which waits for that language before its first real render.
 */
import { initLocale } from './i18n/localization.ts';
import './shell/sprout-app.ts';

void initLocale();
